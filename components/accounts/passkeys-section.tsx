"use client";

import { startRegistration } from "@simplewebauthn/browser";
import { useEffect, useRef, useState, useTransition } from "react";
import { beginPasskeyRegistrationAction, finishPasskeyRegistrationAction } from "@/app/(dashboard)/settings/profile/actions";
import { FormField } from "@/components/forms/form-field";
import { SubmitButton } from "@/components/forms/submit-button";
import type { ActionState } from "@/lib/action-state";
import { ACTIONS } from "@/lib/glossary";
import { FormMessage } from "@/components/forms/form-message";
import { promptFailure, type PasskeyItem } from "./passkey-item";
import { PasskeyRow } from "./passkey-row";
import { useWebAuthnSupport } from "./use-webauthn-support";

/**
 * Profile → Passkeys: the user's passkeys (name, added, last used), and adding one. Adding needs the
 * current password (a new way in is a change of factor) and ends every other session; the browser's
 * WebAuthn prompt runs between the two server steps.
 */
export function PasskeysSection({ passkeys, available, done, lastRequired = false }: { passkeys: PasskeyItem[]; available: boolean; done?: "added" | "removed"; lastRequired?: boolean }) {
  const [state, setState] = useState<ActionState>(
    done ? { ok: true, message: done === "added" ? "Your passkey is added. Every other session was signed out." : "The passkey is removed. Every other session was signed out." } : { ok: false },
  );
  const [pending, startTransition] = useTransition();
  const supported = useWebAuthnSupport();
  const form = useRef<HTMLFormElement>(null);
  useEffect(() => {
    const first = form.current?.querySelector<HTMLElement>("[aria-invalid=true]");
    first?.focus();
  }, [state]);

  function add(formData: FormData) {
    const name = String(formData.get("name") ?? "");
    const currentPassword = String(formData.get("currentPassword") ?? "");
    startTransition(async () => {
      const begun = await beginPasskeyRegistrationAction({ currentPassword });
      if (!begun.ok || !begun.data) return setState({ ok: false, message: begun.message, fieldErrors: begun.fieldErrors });
      let response;
      try {
        response = await startRegistration({ optionsJSON: begun.data.options });
      } catch (error) {
        return setState({ ok: false, message: promptFailure(error) });
      }
      // On success the action redirects (a new session for this browser); only a refusal returns.
      const finished = await finishPasskeyRegistrationAction({ name, currentPassword, response });
      setState(finished);
    });
  }

  const errors = state.fieldErrors ?? {};
  return (
    <section aria-labelledby="passkeys-heading" className="grid gap-4 rounded-lg border p-4">
      <div>
        <h3 id="passkeys-heading" className="font-medium">
          Passkeys
        </h3>
        <p className="text-sm text-muted-foreground">
          Sign in with your fingerprint, face or device PIN instead of your password. A passkey checks that it is you, so it counts as two factors; after a password, it is
          your second factor.
        </p>
      </div>
      {passkeys.length === 0 ? (
        <p className="text-sm">You have no passkeys yet.</p>
      ) : (
        <ul aria-label="Your passkeys" className="grid gap-2">
          {passkeys.map((p) => (
            <PasskeyRow key={p.id} passkey={p} />
          ))}
        </ul>
      )}
      {lastRequired && (
        <p className="text-sm text-muted-foreground">This Keysmith requires a second factor for your account and this passkey is your only one: add another passkey or an authenticator app before removing it.</p>
      )}
      {!available ? (
        <p className="text-sm">Passkeys are not available on this Keysmith: it needs APP_URL set to its https address. Ask an administrator.</p>
      ) : !supported ? (
        <p className="text-sm">This browser cannot create passkeys. Use a current browser on a device with a screen lock.</p>
      ) : (
        <form ref={form} action={add} noValidate aria-labelledby="add-passkey-heading" className="grid gap-4 border-t pt-4">
          <h4 id="add-passkey-heading" className="text-sm font-medium">
            {ACTIONS.addPasskey}
          </h4>
          <FormMessage state={state} />
          <FormField id="passkey-name" name="name" label="Passkey name" hint="To tell your passkeys apart, e.g. “Work laptop”." required maxLength={64} error={errors.name} />
          <FormField id="passkey-current-password" name="currentPassword" type="password" label="Current password" autoComplete="current-password" required error={errors.currentPassword} />
          <div>
            <SubmitButton pending={pending} pendingLabel="Waiting for your device…">
              {ACTIONS.addPasskey}
            </SubmitButton>
          </div>
        </form>
      )}
    </section>
  );
}
