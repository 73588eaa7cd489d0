"use client";

import Link from "next/link";
import { useActionState, useRef, useState } from "react";
import { requestPasswordResetAction } from "@/app/(auth)/actions";
import { FormField } from "@/components/forms/form-field";
import { SubmitButton } from "@/components/forms/submit-button";
import { useFocusFirstError } from "@/components/forms/use-focus-first-error";
import { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from "@/components/ui/card";
import { FormAlert } from "@/components/forms/form-alert";

const backToSignIn = (
  <Link href="/login" className="font-medium text-foreground underline underline-offset-4">
    Back to sign in
  </Link>
);

/** Asks for a reset link by email; where mail is not set up, says who can help instead. */
export function ForgotPasswordForm({ byEmail }: { byEmail: boolean }) {
  const [state, action, pending] = useActionState(requestPasswordResetAction, { ok: false });
  const form = useRef<HTMLFormElement>(null);
  // The address as typed, kept here: the server's answer is the same for every address.
  const [asked, setAsked] = useState("");
  useFocusFirstError(form, state.fieldErrors);
  if (!byEmail) {
    return (
      <Card>
        <CardHeader>
          <CardTitle>
            <h1>Forgot your password?</h1>
          </CardTitle>
          <CardDescription>This Keysmith does not send mail, so a reset link cannot be emailed to you.</CardDescription>
        </CardHeader>
        <CardContent className="grid gap-3 text-sm">
          <p>Ask an administrator of this Keysmith: in Admin → Users they can make you a one-time reset link. It works for an hour.</p>
          <p className="text-center text-muted-foreground">{backToSignIn}</p>
        </CardContent>
      </Card>
    );
  }
  if (state.ok && state.data?.sent) {
    return (
      <Card>
        <CardHeader>
          <CardTitle>
            <h1>Check your mail</h1>
          </CardTitle>
        </CardHeader>
        <CardContent className="grid gap-3 text-sm" role="status">
          <p>
            If an account uses <span className="font-medium [overflow-wrap:anywhere]">{asked.trim()}</span>, a link to choose a new password is on its way. It works
            once, for an hour.
          </p>
          <p className="text-muted-foreground">Nothing after a few minutes? Check your spam folder, or ask an administrator for a reset link.</p>
          <p className="text-center text-muted-foreground">{backToSignIn}</p>
        </CardContent>
      </Card>
    );
  }
  return (
    <Card>
      <CardHeader>
        <CardTitle>
          <h1>Forgot your password?</h1>
        </CardTitle>
        <CardDescription>Enter your account&apos;s email and we will send you a link to choose a new one.</CardDescription>
      </CardHeader>
      <form ref={form} action={action} noValidate onSubmit={(e) => setAsked(String(new FormData(e.currentTarget).get("email") ?? ""))}>
        <CardContent className="grid gap-4">
          {state.message && !state.fieldErrors && (
            <FormAlert>
              {state.message}
            </FormAlert>
          )}
          <FormField id="email" name="email" type="email" label="Email" autoComplete="email" required defaultValue={state.data?.email} error={state.fieldErrors?.email} />
        </CardContent>
        <CardFooter className="mt-6 flex flex-col items-stretch gap-3">
          <SubmitButton pending={pending} pendingLabel="Sending…">
            Email me a link
          </SubmitButton>
          <p className="text-center text-sm text-muted-foreground">{backToSignIn}</p>
        </CardFooter>
      </form>
    </Card>
  );
}
