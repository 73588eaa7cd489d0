"use client";

import Link from "next/link";
import { useActionState, useRef } from "react";
import { confirmSignUpAction } from "@/app/(auth)/actions";
import { FormField } from "@/components/forms/form-field";
import { SubmitButton } from "@/components/forms/submit-button";
import { useFocusFirstError } from "@/components/forms/use-focus-first-error";
import { useFragmentToken } from "@/components/forms/use-fragment-token";
import { LinkProblem } from "@/components/forms/link-problem";
import { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from "@/components/ui/card";

const linkClass = "font-medium text-foreground underline underline-offset-4";

/**
 * Finishes a sign-up with the token from the mailed link's fragment and the password chosen at
 * sign-up (one click with it: opening a link alone creates nothing). Success signs the new account
 * in and leaves the page.
 */
export function ConfirmSignUpForm() {
  const token = useFragmentToken();
  const [state, action, pending] = useActionState(confirmSignUpAction, { ok: false });
  const form = useRef<HTMLFormElement>(null);
  useFocusFirstError(form, state.fieldErrors);
  const signUpAgain = (
    <Link href="/signup" className={linkClass}>
      Sign up again
    </Link>
  );
  if (token === null) {
    return (
      <LinkProblem
        title="This link is incomplete"
        text="Open the whole link from the mail that asked you to finish creating your account, or sign up again."
        next={signUpAgain}
      />
    );
  }
  const next =
    state.data?.refused === "taken" ? (
      <>
        <Link href="/login" className={linkClass}>
          Sign in
        </Link>{" "}
        or{" "}
        <Link href="/forgot-password" className={linkClass}>
          reset your password
        </Link>
      </>
    ) : state.data?.refused === "invalid" ? (
      signUpAgain
    ) : null;
  return (
    <Card>
      <CardHeader>
        <CardTitle>
          <h1>Finish creating your account</h1>
        </CardTitle>
        <CardDescription>Type the password you chose when you signed up. Then your account is ready and you are signed in.</CardDescription>
      </CardHeader>
      <form ref={form} action={action} noValidate>
        <CardContent className="grid gap-4">
          {state.message && !state.fieldErrors && (
            <p role="alert" className="rounded-md border border-destructive/50 bg-destructive/10 p-3 text-sm text-foreground">
              {state.message} {next}
            </p>
          )}
          <input type="hidden" name="token" value={token ?? ""} />
          <FormField id="password" name="password" type="password" label="Password" autoComplete="current-password" required error={state.fieldErrors?.password} />
        </CardContent>
        <CardFooter className="mt-6 flex flex-col items-stretch gap-3">
          <SubmitButton pending={pending || token === undefined} pendingLabel="Creating account…">
            Create account
          </SubmitButton>
        </CardFooter>
      </form>
    </Card>
  );
}
