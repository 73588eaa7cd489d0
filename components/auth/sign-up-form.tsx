"use client";

import Link from "next/link";
import { useActionState, useRef, useState } from "react";
import { useFocusFirstError } from "@/components/forms/use-focus-first-error";
import { signUpAction } from "@/app/(auth)/actions";
import { FormField } from "@/components/forms/form-field";
import { SubmitButton } from "@/components/forms/submit-button";
import { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from "@/components/ui/card";
import { PASSWORD_MIN } from "@/lib/validation/auth.schema";
import { SsoButton } from "./sso-button";
import { FormAlert } from "@/components/forms/form-alert";

/**
 * `notice` says who may sign up here (Admin -> Settings); `closed` (invitation only, or closed)
 * leaves the form out: it could only be refused. Invitations are accepted on their own page.
 */
export function SignUpForm({
  firstAccount = false,
  notice = null,
  closed = false,
  ssoName = null,
}: {
  firstAccount?: boolean;
  notice?: string | null;
  closed?: boolean;
  /** Single sign-on is the only way in: people join by signing in there (where the sign-up mode lets them), not with a password. */
  ssoName?: string | null;
}) {
  const [state, action, pending] = useActionState(signUpAction, { ok: false });
  const form = useRef<HTMLFormElement>(null);
  useFocusFirstError(form, state.fieldErrors);
  // The address as typed, kept here: where sign-up confirms by mail, the server's answer is the same for every address.
  const [asked, setAsked] = useState("");
  const errors = state.fieldErrors ?? {};
  const signInLink = (
    <Link href="/login" className="font-medium text-foreground underline underline-offset-4">
      Sign in
    </Link>
  );
  if (state.ok && state.data?.mailed) {
    return (
      <Card>
        <CardHeader>
          <CardTitle>
            <h1>Check your inbox</h1>
          </CardTitle>
        </CardHeader>
        <CardContent className="grid gap-3 text-sm">
          <p role="status">
            Check your inbox at <span className="font-medium [overflow-wrap:anywhere]">{asked.trim().toLowerCase()}</span>: we sent a link to finish creating your
            account. It works for 24 hours.
          </p>
          <p className="text-muted-foreground">Nothing after a few minutes? Check your spam folder, or sign up again.</p>
          <p className="text-center text-muted-foreground">Already have an account? {signInLink}</p>
        </CardContent>
      </Card>
    );
  }
  return (
    <Card>
      <CardHeader>
        <CardTitle>
          <h1>Create your account</h1>
        </CardTitle>
        <CardDescription>Then create API keys for your apps and scripts.</CardDescription>
      </CardHeader>
      {firstAccount && (
        <p className="mx-6 mb-4 rounded-md border bg-muted/50 p-3 text-sm">
          You are the first person here: this account becomes the administrator of this Keysmith, who can see and revoke
          every key.
        </p>
      )}
      {notice && (
        <p role="note" className="mx-6 mb-4 rounded-md border bg-muted/50 p-3 text-sm">
          {notice}
        </p>
      )}
      {ssoName && !closed ? (
        <CardContent className="grid gap-4">
          <p className="text-sm">
            This Keysmith signs people in through {ssoName} only: sign in there with your work address, and your account is created if sign-up here lets
            you join.
          </p>
          <SsoButton name={ssoName} primary />
        </CardContent>
      ) : closed ? (
        <CardFooter className="flex flex-col items-stretch gap-3">
          <p className="text-center text-sm text-muted-foreground">
            Have an account?{" "}
            <Link href="/login" className="font-medium text-foreground underline underline-offset-4">
              Sign in
            </Link>
          </p>
        </CardFooter>
      ) : (
        <form ref={form} action={action} noValidate onSubmit={(e) => setAsked(String(new FormData(e.currentTarget).get("email") ?? ""))}>
          <CardContent className="grid gap-4">
            {state.message && !state.fieldErrors && (
              <FormAlert>
                {state.message}
              </FormAlert>
            )}
            <FormField id="name" name="name" label="Name" autoComplete="name" required maxLength={80} defaultValue={state.data?.name} error={errors.name} />
            <FormField id="email" name="email" type="email" label="Email" autoComplete="email" required maxLength={254} defaultValue={state.data?.email} error={errors.email} />
            <FormField
              id="password"
              name="password"
              type="password"
              label="Password"
              autoComplete="new-password"
              required
              minLength={PASSWORD_MIN}
              hint={`At least ${PASSWORD_MIN} characters. A passphrase of a few words works well.`}
              error={errors.password}
            />
          </CardContent>
          <CardFooter className="mt-6 flex flex-col items-stretch gap-3">
            <SubmitButton pending={pending} pendingLabel="Creating account…">
              Create account
            </SubmitButton>
            <p className="text-center text-sm text-muted-foreground">
              Already have an account?{" "}
              <Link href="/login" className="font-medium text-foreground underline underline-offset-4">
                Sign in
              </Link>
            </p>
          </CardFooter>
        </form>
      )}
    </Card>
  );
}
