"use client";

import Link from "next/link";
import { useActionState, useRef, useState } from "react";
import { verifySecondFactorAction } from "@/app/(auth)/actions";
import { FormField } from "@/components/forms/form-field";
import { SubmitButton } from "@/components/forms/submit-button";
import { useFocusFirstError } from "@/components/forms/use-focus-first-error";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from "@/components/ui/card";

/** Asks for the code of a sign-in's second step: the app's 6 digits, or one recovery code. */
export function VerifySecondFactorForm({ live, callbackUrl }: { live: boolean; callbackUrl?: string }) {
  const [state, action, pending] = useActionState(verifySecondFactorAction, { ok: false });
  const [recovery, setRecovery] = useState(false);
  const form = useRef<HTMLFormElement>(null);
  useFocusFirstError(form, state.fieldErrors);
  const ended = !live || state.data?.ended;
  return (
    <Card>
      <CardHeader>
        <CardTitle>
          <h1>Two-factor authentication</h1>
        </CardTitle>
        <CardDescription>{ended ? "This sign-in can no longer be finished." : "Your password is accepted. One more step."}</CardDescription>
      </CardHeader>
      {ended ? (
        <>
          <CardContent>
            <p role={state.message ? "alert" : "status"} className="rounded-md border p-3 text-sm">
              {state.message ?? "This sign-in has expired or ended. Sign in again with your email and password."}
            </p>
          </CardContent>
          <CardFooter className="mt-6">
            <Button asChild className="w-full">
              <Link href="/login">Sign in again</Link>
            </Button>
          </CardFooter>
        </>
      ) : (
        <form ref={form} action={action} noValidate>
          <CardContent className="grid gap-4">
            {state.message && !state.fieldErrors && (
              <p role="alert" className="rounded-md border border-destructive/40 bg-destructive/10 p-3 text-sm text-destructive">
                {state.message}
              </p>
            )}
            {callbackUrl && <input type="hidden" name="callbackUrl" value={callbackUrl} />}
            {recovery ? (
              <FormField
                key="recovery"
                id="code"
                name="code"
                label="Recovery code"
                autoComplete="off"
                autoCapitalize="characters"
                spellCheck={false}
                required
                hint="One of the ten codes you saved, like ABCDE-FGH23. Each works once."
                error={state.fieldErrors?.code}
              />
            ) : (
              <FormField
                key="totp"
                id="code"
                name="code"
                label="Code from your authenticator app"
                inputMode="numeric"
                autoComplete="one-time-code"
                pattern="[0-9 ]*"
                maxLength={7}
                required
                autoFocus
                hint="The 6 digits your app shows for Keysmith now."
                error={state.fieldErrors?.code}
              />
            )}
          </CardContent>
          <CardFooter className="mt-6 flex flex-col items-stretch gap-3">
            <SubmitButton pending={pending} pendingLabel="Checking…">
              Verify
            </SubmitButton>
            <Button type="button" variant="link" onClick={() => setRecovery((r) => !r)}>
              {recovery ? "Use the code from your app instead" : "Lost your phone? Use a recovery code"}
            </Button>
            <Link href="/login" className="text-center text-sm text-muted-foreground underline-offset-4 hover:underline">
              Start again
            </Link>
          </CardFooter>
        </form>
      )}
    </Card>
  );
}
