"use client";

import Link from "next/link";
import { useActionState, useRef } from "react";
import { useFocusFirstError } from "@/components/forms/use-focus-first-error";
import { signInAction } from "@/app/(auth)/actions";
import { FormField } from "@/components/forms/form-field";
import { SubmitButton } from "@/components/forms/submit-button";
import { PasskeySignIn } from "./passkey-sign-in";
import { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from "@/components/ui/card";

export function SignInForm({ callbackUrl, passwordReset = false, passkeys = false }: { callbackUrl?: string; passwordReset?: boolean; passkeys?: boolean }) {
  const [state, action, pending] = useActionState(signInAction, { ok: false });
  const form = useRef<HTMLFormElement>(null);
  useFocusFirstError(form, state.fieldErrors);
  const errors = state.fieldErrors ?? {};
  return (
    <Card>
      <CardHeader>
        <CardTitle>
          <h1>Sign in</h1>
        </CardTitle>
        <CardDescription>Manage your API keys.</CardDescription>
      </CardHeader>
      <form ref={form} action={action} noValidate>
        <CardContent className="grid gap-4">
          {passwordReset && !state.message && (
            <p role="status" className="rounded-md border p-3 text-sm">
              Your password is changed and every session was signed out. Sign in with the new password.
            </p>
          )}
          {state.message && (
            <p role="alert" className="rounded-md border border-destructive/40 bg-destructive/10 p-3 text-sm text-destructive">
              {state.message}
            </p>
          )}
          {callbackUrl && <input type="hidden" name="callbackUrl" value={callbackUrl} />}
          <FormField id="email" name="email" type="email" label="Email" autoComplete="email" required defaultValue={state.data?.email} error={errors.email} />
          <div className="grid gap-1">
            <FormField id="password" name="password" type="password" label="Password" autoComplete="current-password" required error={errors.password} />
            <Link href="/forgot-password" className="justify-self-end text-sm text-muted-foreground underline-offset-4 hover:text-foreground hover:underline">
              Forgot your password?
            </Link>
          </div>
        </CardContent>
        <CardFooter className="mt-6 flex flex-col items-stretch gap-3">
          <SubmitButton pending={pending} pendingLabel="Signing in…">
            Sign in
          </SubmitButton>
          {passkeys && (
            <>
              <p className="text-center text-xs text-muted-foreground">or</p>
              <PasskeySignIn callbackUrl={callbackUrl} />
            </>
          )}
          <p className="text-center text-sm text-muted-foreground">
            No account yet?{" "}
            <Link href="/signup" className="font-medium text-foreground underline underline-offset-4">
              Create one
            </Link>
          </p>
        </CardFooter>
      </form>
    </Card>
  );
}
