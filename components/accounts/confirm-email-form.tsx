"use client";

import Link from "next/link";
import { useActionState } from "react";
import { confirmEmailChangeAction } from "@/app/(auth)/actions";
import { SubmitButton } from "@/components/forms/submit-button";
import { useFragmentToken } from "@/components/forms/use-fragment-token";
import { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from "@/components/ui/card";
import { FormAlert } from "@/components/forms/form-alert";
import { LinkProblem } from "@/components/forms/link-problem";

/** Confirms a new email with the token from the link's fragment (one click: opening a link alone changes nothing). */
export function ConfirmEmailForm() {
  const token = useFragmentToken();
  const [state, action, pending] = useActionState(confirmEmailChangeAction, { ok: false });
  const signIn = (
    <Link href="/login" className="font-medium text-foreground underline underline-offset-4">
      Go to sign in
    </Link>
  );
  if (state.ok) {
    return (
      <Card>
        <CardHeader>
          <CardTitle>
            <h1>Email changed</h1>
          </CardTitle>
        </CardHeader>
        <CardContent className="grid gap-3 text-sm">
          <p role="status" className="[overflow-wrap:anywhere]">
            {state.message}
          </p>
          <p className="text-center text-muted-foreground">{signIn}</p>
        </CardContent>
      </Card>
    );
  }
  if (token === null) {
    return <LinkProblem title="This link is incomplete" text="Open the whole link from the confirmation mail, or ask for the change again in Settings → Profile." />;
  }
  return (
    <Card>
      <CardHeader>
        <CardTitle>
          <h1>Confirm your new email</h1>
        </CardTitle>
        <CardDescription>Your Keysmith account will use this address from now on.</CardDescription>
      </CardHeader>
      <form action={action}>
        <CardContent>
          {state.message && (
            <FormAlert>
              {state.message}
            </FormAlert>
          )}
          <input type="hidden" name="token" value={token ?? ""} />
        </CardContent>
        <CardFooter className="mt-6 flex flex-col items-stretch gap-3">
          <SubmitButton pending={pending || token === undefined} pendingLabel="Confirming…">
            Confirm new email
          </SubmitButton>
        </CardFooter>
      </form>
    </Card>
  );
}
