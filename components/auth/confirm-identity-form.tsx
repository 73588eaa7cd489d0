"use client";

import { KeyRoundIcon, Loader2Icon } from "lucide-react";
import { useEffect, useRef, useState } from "react";
import { beginStepUpPasskeyAction, confirmIdentityAction, confirmIdentityWithSsoAction, stepUpOptionsAction } from "@/app/(dashboard)/actions";
import { askForPasskey } from "@/components/accounts/passkey-item";
import { FormField } from "@/components/forms/form-field";
import { SubmitButton } from "@/components/forms/submit-button";
import { useFocusFirstError } from "@/components/forms/use-focus-first-error";
import { Button } from "@/components/ui/button";
import { DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { STEP_UP_MINUTES } from "@/lib/accounts/step-up";
import type { ActionState } from "@/lib/action-state";
import { ACTIONS } from "@/lib/glossary";

type Method = "passkey" | "totp" | "password";
type Options = { sso: string | null; passkey: boolean; totp: boolean };

/** The password is always offered: an account cannot say it has none (one made by single sign-on has a password nobody knows). */
const FALLBACK: Options = { sso: null, passkey: false, totp: false };

const ASK: Record<Method, string> = {
  passkey: "Use your passkey to continue",
  totp: "Type the code your authenticator app shows to continue",
  password: "Enter your password to continue",
};
const SWITCH: Record<Method, string> = {
  passkey: "Use your passkey instead",
  totp: "Use an authenticator code instead",
  password: "Use your password instead",
};

/** WebAuthn in this browser, checked without loading @simplewebauthn/browser (it loads on the passkey button's click). */
const webAuthnHere = () => typeof window !== "undefined" && typeof window.PublicKeyCredential === "function";

/**
 * "Confirm it's you": the ways the account has, a passkey first when it has one (like GitHub's
 * sudo mode), then an authenticator code and the password; "Continue with <provider>" for single
 * sign-on. Every way ends in the same server action (confirmIdentityAction), which hands the
 * server's proof to the session.
 *
 * Not useActionState: the change that asked is itself an action still in flight, and React commits
 * the states of overlapping actions together, so a nested action's state would wait for the outer
 * one, which waits for this answer. Plain calls and plain state avoid that deadlock.
 */
export function ConfirmIdentityForm({ onConfirmed, onCancel }: { onConfirmed: () => void; onCancel: () => void }) {
  const [options, setOptions] = useState<Options | null>(null);
  const [method, setMethod] = useState<Method>("password");
  const [state, setState] = useState<ActionState>({ ok: false });
  const [pending, setPending] = useState(false);
  const form = useRef<HTMLFormElement>(null);
  const passkeyButton = useRef<HTMLButtonElement>(null);
  useFocusFirstError(form, state.fieldErrors);
  useEffect(() => {
    void stepUpOptionsAction()
      .then((answer) => answer.data ?? FALLBACK)
      .catch(() => FALLBACK)
      .then((found) => {
        const usable = { ...found, passkey: found.passkey && webAuthnHere() };
        setOptions(usable);
        setMethod(usable.passkey ? "passkey" : "password");
      });
  }, []);

  async function send(body: FormData, failure: string) {
    try {
      const result = await confirmIdentityAction({ ok: false }, body);
      if (result.ok) onConfirmed();
      else setState(result);
    } catch {
      setState({ ok: false, message: failure });
    }
  }

  async function submit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (pending) return;
    setPending(true);
    await send(new FormData(event.currentTarget), `Your ${method === "totp" ? "code" : "password"} could not be checked. Check your connection and try again.`);
    setPending(false);
  }

  async function confirmWithPasskey() {
    if (pending) return;
    setPending(true);
    setState({ ok: false });
    try {
      const begun = await beginStepUpPasskeyAction().catch(() => null);
      if (!begun?.ok || !begun.data) return setState({ ok: false, message: begun?.message ?? "Your passkey could not be asked. Check your connection and try again." });
      const answer = await askForPasskey(begun.data.options);
      if (!answer.ok) return setState({ ok: false, message: answer.message });
      const body = new FormData();
      body.set("method", "passkey");
      body.set("response", answer.response);
      await send(body, "Your passkey could not be checked. Check your connection and try again.");
    } finally {
      setPending(false);
      // The button was disabled while the prompt was open, which dropped focus: put it back for another try.
      requestAnimationFrame(() => passkeyButton.current?.focus());
    }
  }

  async function confirmWithSso() {
    setPending(true);
    // On success the browser leaves for the provider and comes back to this page, signed in afresh.
    const result = await confirmIdentityWithSsoAction(`${window.location.pathname}${window.location.search}`).catch(() => null);
    if (result?.ok && result.data) {
      window.location.assign(result.data.url);
      return;
    }
    setPending(false);
    setState({ ok: false, message: result?.message ?? "Single sign-on could not be started. Check your connection and try again." });
  }

  function choose(next: Method) {
    setState({ ok: false });
    setMethod(next);
  }

  const message = !state.ok && state.message && !state.fieldErrors ? state.message : undefined;
  const others = options ? (["passkey", "totp", "password"] as const).filter((m) => m !== method && (m === "password" || options[m])) : [];
  return (
    <form ref={form} onSubmit={submit} noValidate className="grid gap-4">
      <DialogHeader>
        <DialogTitle>{ACTIONS.confirmIdentity}</DialogTitle>
        <DialogDescription>
          This change needs a recent sign-in. {options ? ASK[method] : "Checking how you can confirm"}; you will not be asked again for {STEP_UP_MINUTES} minutes.
        </DialogDescription>
      </DialogHeader>
      {message && (
        <p role="alert" className="text-sm text-destructive">
          {message}
        </p>
      )}
      {!options && (
        <p className="flex items-center gap-2 text-sm text-muted-foreground">
          <Loader2Icon className="size-4 animate-spin" aria-hidden />
          Loading…
        </p>
      )}
      {options && <input type="hidden" name="method" value={method} />}
      {options && method === "passkey" && (
        <Button ref={passkeyButton} type="button" onClick={confirmWithPasskey} disabled={pending} autoFocus className="justify-self-start">
          {pending ? <Loader2Icon className="animate-spin" aria-hidden /> : <KeyRoundIcon aria-hidden />}
          {pending ? "Waiting for your passkey…" : ACTIONS.usePasskey}
        </Button>
      )}
      {options && method === "totp" && (
        <FormField
          key="code"
          id="step-up-code"
          name="code"
          label="Authenticator code"
          hint="The 6 digits your authenticator app shows now. Recovery codes do not work here."
          inputMode="numeric"
          autoComplete="one-time-code"
          maxLength={12}
          required
          autoFocus
          error={state.fieldErrors?.code}
        />
      )}
      {options && method === "password" && (
        <FormField key="password" id="step-up-password" name="password" type="password" label="Password" autoComplete="current-password" required autoFocus error={state.fieldErrors?.password} />
      )}
      {others.length > 0 && (
        <div className="flex flex-wrap gap-x-4 gap-y-1">
          {others.map((m) => (
            <Button key={m} type="button" variant="link" className="h-auto px-0 underline underline-offset-4" onClick={() => choose(m)} disabled={pending}>
              {SWITCH[m]}
            </Button>
          ))}
        </div>
      )}
      {options?.sso && (
        <div className="grid gap-2 text-sm text-muted-foreground">
          <p>Signed in with {options.sso}? Confirm there instead: you come back to this page and make the change again.</p>
          <Button type="button" variant="outline" onClick={confirmWithSso} disabled={pending} className="justify-self-start">
            Continue with {options.sso}
          </Button>
        </div>
      )}
      <DialogFooter>
        <Button type="button" variant="outline" onClick={onCancel} disabled={pending}>
          Cancel
        </Button>
        {options && method !== "passkey" && (
          <SubmitButton pending={pending} pendingLabel="Checking…">
            Continue
          </SubmitButton>
        )}
      </DialogFooter>
    </form>
  );
}
