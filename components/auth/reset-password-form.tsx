"use client";

import Link from "next/link";
import { useActionState, useRef } from "react";
import { resetPasswordAction } from "@/app/(auth)/actions";
import { FormField } from "@/components/forms/form-field";
import { SubmitButton } from "@/components/forms/submit-button";
import { useFocusFirstError } from "@/components/forms/use-focus-first-error";
import { useFragmentToken } from "@/components/forms/use-fragment-token";
import { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from "@/components/ui/card";
import { PASSWORD_MIN } from "@/lib/validation/auth.schema";
import { FormAlert } from "@/components/forms/form-alert";
import { LinkProblem } from "@/components/forms/link-problem";


/** Chooses a new password with the token from a reset link's fragment. */
export function ResetPasswordForm() {
  const token = useFragmentToken();
  const [state, action, pending] = useActionState(resetPasswordAction, { ok: false });
  const form = useRef<HTMLFormElement>(null);
  useFocusFirstError(form, state.fieldErrors);
  const askAgain = (
    <Link href="/forgot-password" className="font-medium text-foreground underline underline-offset-4">
      Ask for a new link
    </Link>
  );
  if (token === null) {
    return (
      <LinkProblem
        title="This link is incomplete"
        text="Open the whole link from your reset mail (or the one your administrator gave you), or ask for a new one."
        next={askAgain}
      />
    );
  }
  return (
    <Card>
      <CardHeader>
        <CardTitle>
          <h1>Choose a new password</h1>
        </CardTitle>
        <CardDescription>Setting it signs you out everywhere. Your API keys keep working.</CardDescription>
      </CardHeader>
      <form ref={form} action={action} noValidate>
        <CardContent className="grid gap-4">
          {state.message && !state.fieldErrors && (
            <FormAlert>
              {state.message} {askAgain}
            </FormAlert>
          )}
          <input type="hidden" name="token" value={token ?? ""} />
          <FormField
            id="password"
            name="password"
            type="password"
            label="New password"
            autoComplete="new-password"
            required
            minLength={PASSWORD_MIN}
            hint={`At least ${PASSWORD_MIN} characters. A passphrase of a few words works well.`}
            error={state.fieldErrors?.password}
          />
        </CardContent>
        <CardFooter className="mt-6 flex flex-col items-stretch gap-3">
          <SubmitButton pending={pending || token === undefined} pendingLabel="Saving…">
            Set new password
          </SubmitButton>
        </CardFooter>
      </form>
    </Card>
  );
}
