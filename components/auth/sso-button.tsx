"use client";

import { useActionState } from "react";
import { ssoSignInAction } from "@/app/(auth)/actions";
import { SubmitButton } from "@/components/forms/submit-button";

/** "Sign in with <IdP>": a form that starts single sign-on (the server sets state, PKCE and nonce, then redirects). */
export function SsoButton({ name, callbackUrl, primary }: { name: string; callbackUrl?: string; primary: boolean }) {
  const [state, action, pending] = useActionState(ssoSignInAction, { ok: false });
  return (
    <form action={action} className="grid gap-2">
      {callbackUrl && <input type="hidden" name="callbackUrl" value={callbackUrl} />}
      {state.message && (
        <p role="alert" className="rounded-md border border-destructive/50 bg-destructive/10 p-3 text-sm text-foreground">
          {state.message}
        </p>
      )}
      <SubmitButton pending={pending} pendingLabel="Opening single sign-on…" variant={primary ? "default" : "outline"}>
        Sign in with {name}
      </SubmitButton>
    </form>
  );
}
