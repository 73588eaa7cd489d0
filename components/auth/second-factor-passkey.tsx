"use client";

import { KeyRoundIcon, Loader2Icon } from "lucide-react";
import { useState, useSyncExternalStore, useTransition } from "react";
import { beginSecondFactorPasskeyAction, verifySecondFactorPasskeyAction } from "@/app/(auth)/actions";
import { askForPasskey } from "@/components/accounts/passkey-item";
import { Button } from "@/components/ui/button";
import { ACTIONS } from "@/lib/glossary";
import { FormAlert } from "@/components/forms/form-alert";

const subscribe = () => () => {};
// Read without @simplewebauthn/browser, so the page's first load does not carry it: the library
// loads when the button is pressed.
const webAuthnSupported = () => typeof window.PublicKeyCredential === "function";

/**
 * "Use your passkey" on the verify page: a passkey challenge for the pending sign-in's user, the
 * browser's prompt, then the answer to the "second-factor" provider. On success the action
 * redirects into the app; a refusal comes back as a sentence, or as the end of the sign-in.
 */
export function SecondFactorPasskey({ callbackUrl, onEnded }: { callbackUrl?: string; onEnded: (message: string) => void }) {
  const [message, setMessage] = useState<string | null>(null);
  const supported = useSyncExternalStore(subscribe, webAuthnSupported, () => true);
  const [pending, startTransition] = useTransition();
  if (!supported) return <p className="rounded-md border p-3 text-sm">This browser cannot use passkeys. Start again in a current browser on the device that holds your passkey.</p>;

  function confirmWithPasskey() {
    setMessage(null);
    startTransition(async () => {
      const begun = await beginSecondFactorPasskeyAction();
      if (begun.data?.ended) return onEnded(begun.message ?? "This sign-in has expired or ended. Sign in again with your email and password.");
      if (!begun.ok || !begun.data?.options) return setMessage(begun.message ?? "The passkey check could not start. Try again.");
      const answer = await askForPasskey(begun.data.options);
      if (!answer.ok) return setMessage(answer.message);
      const result = await verifySecondFactorPasskeyAction(answer.response, callbackUrl);
      if (result.data?.ended) return onEnded(result.message ?? "This sign-in has ended. Sign in again with your email and password.");
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
      <Button type="button" onClick={confirmWithPasskey} disabled={pending} autoFocus>
        {pending ? <Loader2Icon className="animate-spin" aria-hidden /> : <KeyRoundIcon aria-hidden />}
        {pending ? "Waiting for your passkey…" : ACTIONS.useYourPasskey}
      </Button>
    </div>
  );
}
