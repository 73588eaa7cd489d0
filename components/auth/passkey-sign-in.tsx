"use client";

import { KeyRoundIcon, Loader2Icon } from "lucide-react";
import { useState, useTransition } from "react";
import { beginPasskeySignInAction, passkeySignInAction } from "@/app/(auth)/actions";
import { askForPasskey } from "@/components/accounts/passkey-item";
import { useWebAuthnSupport } from "@/components/accounts/use-webauthn-support";
import { Button } from "@/components/ui/button";
import { ACTIONS } from "@/lib/glossary";
import { FormAlert } from "@/components/forms/form-alert";

/**
 * "Sign in with a passkey": no email needed (the passkey names its account). The challenge is
 * bound to this browser by an httpOnly cookie; the answer goes to next-auth's "passkey" provider.
 */
export function PasskeySignIn({ callbackUrl }: { callbackUrl?: string }) {
  const [message, setMessage] = useState<string | null>(null);
  const supported = useWebAuthnSupport();
  const [pending, startTransition] = useTransition();
  if (!supported) return null;

  function signIn() {
    setMessage(null);
    startTransition(async () => {
      const begun = await beginPasskeySignInAction();
      if (!begun.ok || !begun.data) return setMessage(begun.message ?? "Passkey sign-in could not start. Try again.");
      const answer = await askForPasskey(begun.data.options);
      if (!answer.ok) return setMessage(answer.message);
      // On success the action redirects into the app; only a refusal returns.
      const result = await passkeySignInAction(answer.response, callbackUrl);
      if (!result.ok) setMessage(result.message ?? "That passkey was not accepted. Try again.");
    });
  }

  return (
    <div className="grid gap-2">
      {message && (
        <FormAlert>
          {message}
        </FormAlert>
      )}
      <Button type="button" variant="outline" onClick={signIn} disabled={pending}>
        {pending ? <Loader2Icon className="animate-spin" aria-hidden /> : <KeyRoundIcon aria-hidden />}
        {pending ? "Waiting for your passkey…" : ACTIONS.signInWithPasskey}
      </Button>
    </div>
  );
}
