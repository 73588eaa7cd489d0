"use client";

import Link from "next/link";
import { useActionState, useRef, useState } from "react";
import { verifySecondFactorAction } from "@/app/(auth)/actions";
import { FormField } from "@/components/forms/form-field";
import { SubmitButton } from "@/components/forms/submit-button";
import { useFocusFirstError } from "@/components/forms/use-focus-first-error";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from "@/components/ui/card";
import { messageOf } from "@/lib/errors";
import type { SecondFactorMethods } from "@/lib/commands/second-factor";
import { SecondFactorPasskey } from "./second-factor-passkey";
import { FormAlert } from "@/components/forms/form-alert";

function describe(methods: SecondFactorMethods, passkey: boolean): string {
  if (passkey && methods.code) return "Your password is accepted. One more step: your passkey, or a code from your authenticator app.";
  if (passkey) return "Your password is accepted. One more step: confirm it's you with your passkey.";
  return "Your password is accepted. One more step.";
}

/**
 * The second step of a sign-in, offering the factors the pending sign-in's account has (the page
 * knows them only from the challenge's cookie): "Use your passkey", and the app's 6 digits or one
 * recovery code.
 */
export function VerifySecondFactorForm({ methods, passkeysAvailable, callbackUrl }: { methods: SecondFactorMethods | null; passkeysAvailable: boolean; callbackUrl?: string }) {
  const [state, action, pending] = useActionState(verifySecondFactorAction, { ok: false });
  const [recovery, setRecovery] = useState(false);
  const [passkeyEnded, setPasskeyEnded] = useState<string | null>(null);
  const form = useRef<HTMLFormElement>(null);
  useFocusFirstError(form, state.fieldErrors);
  const ended = !methods || state.data?.ended || passkeyEnded !== null;
  const passkey = !!methods?.passkey;
  const endedMessage = passkeyEnded ?? state.message;
  return (
    <Card>
      <CardHeader>
        <CardTitle>
          <h1>Two-factor authentication</h1>
        </CardTitle>
        <CardDescription>{ended || !methods ? "This sign-in can no longer be finished." : describe(methods, passkey)}</CardDescription>
      </CardHeader>
      {ended || !methods ? (
        <>
          <CardContent>
            <p role={endedMessage ? "alert" : "status"} className="rounded-md border p-3 text-sm">
              {endedMessage ?? "This sign-in has expired or ended. Sign in again with your email and password."}
            </p>
          </CardContent>
          <CardFooter className="mt-6">
            <Button asChild className="w-full">
              <Link href="/login">Sign in again</Link>
            </Button>
          </CardFooter>
        </>
      ) : (
        <>
          {passkey && (
            <CardContent className={methods.code ? "grid gap-4 pb-4" : "grid gap-4"}>
              {passkeysAvailable ? (
                <SecondFactorPasskey callbackUrl={callbackUrl} onEnded={setPasskeyEnded} />
              ) : (
                <p className="rounded-md border p-3 text-sm">{messageOf("passkeys_unavailable")}</p>
              )}
              {methods.code && (
                <p className="flex items-center gap-3 text-xs uppercase text-muted-foreground" aria-hidden>
                  <span className="h-px flex-1 bg-border" />
                  or
                  <span className="h-px flex-1 bg-border" />
                </p>
              )}
            </CardContent>
          )}
          {methods.code ? (
            <form ref={form} action={action} noValidate aria-label={passkey ? "Use a code instead" : undefined}>
              <CardContent className="grid gap-4">
                {state.message && !state.fieldErrors && (
                  <FormAlert>
                    {state.message}
                  </FormAlert>
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
                    autoFocus={!passkey}
                    hint="The 6 digits your app shows for Keysmith now."
                    error={state.fieldErrors?.code}
                  />
                )}
              </CardContent>
              <CardFooter className="mt-6 flex flex-col items-stretch gap-3">
                <SubmitButton pending={pending} pendingLabel="Checking…" variant={passkey ? "outline" : "default"}>
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
          ) : (
            <CardFooter className="mt-6 flex flex-col items-stretch gap-3">
              <p className="text-sm text-muted-foreground">Lost the device with your passkey? Ask an administrator to reset your two-factor authentication.</p>
              <Link href="/login" className="text-center text-sm text-muted-foreground underline-offset-4 hover:underline">
                Start again
              </Link>
            </CardFooter>
          )}
        </>
      )}
    </Card>
  );
}
