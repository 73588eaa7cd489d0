"use client";

import Link from "next/link";
import { useActionState, useRef } from "react";
import { useFocusFirstError } from "@/components/forms/use-focus-first-error";
import { signInAction } from "@/app/(auth)/actions";
import { FormField } from "@/components/forms/form-field";
import { SubmitButton } from "@/components/forms/submit-button";
import { PasskeySignIn } from "./passkey-sign-in";
import { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from "@/components/ui/card";
import { SsoButton } from "./sso-button";

type Props = {
  callbackUrl?: string;
  passwordReset?: boolean;
  /** The single sign-on provider's display name, when OIDC is configured. */
  ssoName?: string;
  /** Single sign-on is the only way in: the password form is for break-glass administrators only. */
  ssoOnly?: boolean;
  /** A sentence for how the last single sign-on ended (lib/auth/sso-errors.ts). */
  ssoError?: string | null;
  /** Passkeys are offered here (APP_URL set): "Sign in with a passkey" under the password form. */
  passkeys?: boolean;
};

export function SignInForm({ callbackUrl, passwordReset = false, ssoName, ssoOnly = false, ssoError, passkeys = false }: Props) {
  const [state, action, pending] = useActionState(signInAction, { ok: false });
  const form = useRef<HTMLFormElement>(null);
  useFocusFirstError(form, state.fieldErrors);
  const errors = state.fieldErrors ?? {};
  const passwordForm = (
    <form ref={form} action={action} noValidate>
      <div className="grid gap-4">
        {state.message && (
          <p role="alert" className="rounded-md border border-destructive/50 bg-destructive/10 p-3 text-sm text-foreground">
            {state.message}
          </p>
        )}
        {callbackUrl && <input type="hidden" name="callbackUrl" value={callbackUrl} />}
        <FormField id="email" name="email" type="email" label="Email" autoComplete="email" required defaultValue={state.data?.email} error={errors.email} />
        <div className="grid gap-1">
          <FormField id="password" name="password" type="password" label="Password" autoComplete="current-password" required error={errors.password} />
          {!ssoOnly && (
            <Link href="/forgot-password" className="justify-self-end text-sm text-muted-foreground underline-offset-4 hover:text-foreground hover:underline">
              Forgot your password?
            </Link>
          )}
        </div>
        <SubmitButton pending={pending} pendingLabel="Signing in…" variant={ssoName && !ssoOnly ? "outline" : "default"} className={ssoOnly ? "w-full" : undefined}>
          Sign in{ssoName ? " with password" : ""}
        </SubmitButton>
      </div>
    </form>
  );
  return (
    <Card>
      <CardHeader>
        <CardTitle>
          <h1>Sign in</h1>
        </CardTitle>
        <CardDescription>Manage your API keys.</CardDescription>
      </CardHeader>
      <CardContent className="grid gap-4">
        {passwordReset && !state.message && (
          <p role="status" className="rounded-md border p-3 text-sm">
            Your password is changed and every session was signed out. Sign in with the new password.
          </p>
        )}
        {ssoError && (
          <p role="alert" className="rounded-md border border-destructive/50 bg-destructive/10 p-3 text-sm text-foreground">
            {ssoError}
          </p>
        )}
        {ssoName && <SsoButton name={ssoName} callbackUrl={callbackUrl} primary />}
        {ssoName && ssoOnly ? (
          <>
            <p className="text-sm text-muted-foreground">Password sign-in is turned off here: everyone signs in with {ssoName}.</p>
            <details className="rounded-md border p-3 text-sm [&[open]>summary]:mb-4">
              <summary className="cursor-pointer font-medium">Emergency sign-in for administrators</summary>
              {passwordForm}
            </details>
          </>
        ) : (
          <>
            {ssoName && (
              <p className="flex items-center gap-3 text-xs uppercase text-muted-foreground before:h-px before:flex-1 before:bg-border after:h-px after:flex-1 after:bg-border">
                or
              </p>
            )}
            {passwordForm}
            {passkeys && (
              <>
                <p className="text-center text-xs text-muted-foreground">or</p>
                <PasskeySignIn callbackUrl={callbackUrl} />
              </>
            )}
          </>
        )}
      </CardContent>
      <CardFooter className="mt-6 flex flex-col items-stretch gap-3">
        <p className="text-center text-sm text-muted-foreground">
          No account yet?{" "}
          <Link href="/signup" className="font-medium text-foreground underline underline-offset-4">
            Create one
          </Link>
        </p>
      </CardFooter>
    </Card>
  );
}
