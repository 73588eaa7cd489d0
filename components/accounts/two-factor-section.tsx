"use client";

import { useRouter } from "next/navigation";
import { useActionState, useEffect, useRef, useState, useTransition } from "react";
import { confirmTotpSetupAction, disableTotpAction, regenerateRecoveryCodesAction, startTotpSetupAction } from "@/app/(dashboard)/settings/profile/actions";
import { FormField } from "@/components/forms/form-field";
import { SubmitButton } from "@/components/forms/submit-button";
import { useFocusFirstError } from "@/components/forms/use-focus-first-error";
import { Button } from "@/components/ui/button";
import type { ActionState } from "@/lib/action-state";
import { FormMessage } from "@/components/forms/form-message";
import { QrCode } from "./qr-code";
import { RecoveryCodesDialog } from "./recovery-codes-dialog";
import { FormAlert } from "@/components/forms/form-alert";

type Setup = { secret: string; uri: string; qr: string[] };
/** `required`: the policy requires a second factor and the app is the only one (no passkey), so it stays on. */
export type TwoFactorStatus = { enabled: boolean; recoveryCodesLeft: number; required: boolean; passkeys: number };

/**
 * Settings → Profile → Two-factor authentication: set up an authenticator app (QR code or setup
 * key, confirmed with a code and the current password), then make new recovery codes or turn it
 * off (both with the password and a code). The seed lives only in this component's state.
 */
export function TwoFactorSection({ status, turnedOff }: { status: TwoFactorStatus; turnedOff: boolean }) {
  const router = useRouter();
  const [codes, setCodes] = useState<string[] | null>(null);
  return (
    <section aria-labelledby="two-factor-heading" className="grid gap-4 rounded-lg border p-4">
      <div>
        <h3 id="two-factor-heading" className="font-medium">
          Two-factor authentication
        </h3>
        <p className="text-sm text-muted-foreground">
          {status.enabled
            ? `On: signing in with your password asks for a code from your authenticator app${status.passkeys > 0 ? " or your passkey" : ""}. ${status.recoveryCodesLeft} of 10 recovery codes left.`
            : status.passkeys > 0
              ? "Authenticator app: off. Signing in with your password asks for your passkey. An app as well lets you sign in when your passkey's device is not at hand."
              : "Off: signing in asks for your password only. Add a passkey, or an authenticator app (such as 1Password, Google Authenticator or Authy), so a stolen password is not enough."}
        </p>
      </div>
      {turnedOff && !status.enabled && <FormMessage state={{ ok: true, message: "Two-factor authentication is off. Every other session is signed out." }} />}
      {status.enabled ? <EnabledControls required={status.required} onCodes={setCodes} /> : <SetUp onCodes={setCodes} />}
      <RecoveryCodesDialog
        codes={codes}
        onClose={() => {
          setCodes(null);
          router.refresh();
        }}
      />
    </section>
  );
}

function SetUp({ onCodes }: { onCodes: (codes: string[]) => void }) {
  const [setup, setSetup] = useState<Setup | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  if (!setup) {
    return (
      <div className="grid gap-2">
        {error && (
          <FormAlert>
            {error}
          </FormAlert>
        )}
        <div>
          <Button
            type="button"
            disabled={pending}
            onClick={() =>
              startTransition(async () => {
                const result = await startTotpSetupAction();
                if (result.ok && result.data) {
                  setSetup(result.data);
                  setError(null);
                } else setError(result.message ?? "The set-up could not start. Try again.");
              })
            }
          >
            {pending ? "Preparing…" : "Set up authenticator app"}
          </Button>
        </div>
      </div>
    );
  }
  return <ConfirmSetUp setup={setup} onCodes={onCodes} />;
}

function ConfirmSetUp({ setup, onCodes }: { setup: Setup; onCodes: (codes: string[]) => void }) {
  const [state, action, pending] = useActionState(confirmTotpSetupAction, { ok: false });
  const form = useRef<HTMLFormElement>(null);
  useFocusFirstError(form, state.fieldErrors);
  useEffect(() => {
    if (state.ok && state.data) onCodes(state.data.recoveryCodes);
  }, [state, onCodes]);
  const errors = state.fieldErrors ?? {};
  return (
    <div className="grid gap-4">
      <ol className="grid list-decimal gap-3 pl-5 text-sm">
        <li>
          Scan this QR code with your authenticator app.
          <div className="mt-2">
            <QrCode rows={setup.qr} label="QR code to add Keysmith to your authenticator app" />
          </div>
        </li>
        <li>
          Or type this setup key into the app:{" "}
          <code id="totp-setup-key" aria-label="Setup key" className="break-all rounded bg-muted px-1.5 py-0.5 font-mono">
            {setup.secret}
          </code>
        </li>
        <li>Type the code the app shows and your current password to turn it on.</li>
      </ol>
      {!state.ok && (
        <form ref={form} action={action} noValidate aria-label="Turn on two-factor authentication" className="grid gap-4">
          <FormMessage state={state} />
          <FormField id="totp-code" name="code" label="Code from the app" inputMode="numeric" autoComplete="one-time-code" maxLength={7} required error={errors.code} />
          <FormField id="totp-current-password" name="currentPassword" type="password" label="Current password" autoComplete="current-password" required error={errors.currentPassword} />
          <div>
            <SubmitButton pending={pending} pendingLabel="Turning on…">
              Turn on
            </SubmitButton>
          </div>
        </form>
      )}
      {state.ok && <FormMessage state={state} />}
    </div>
  );
}

function EnabledControls({ required, onCodes }: { required: boolean; onCodes: (codes: string[]) => void }) {
  const [open, setOpen] = useState<"codes" | "off" | null>(null);
  return (
    <div className="grid gap-4">
      <div className="flex flex-wrap gap-2">
        <Button type="button" variant="outline" aria-expanded={open === "codes"} onClick={() => setOpen(open === "codes" ? null : "codes")}>
          Make new recovery codes
        </Button>
        {!required && (
          <Button type="button" variant="outline" aria-expanded={open === "off"} onClick={() => setOpen(open === "off" ? null : "off")}>
            Turn off
          </Button>
        )}
      </div>
      {required && (
        <p className="text-sm text-muted-foreground">This Keysmith requires two-factor authentication for your account and the app is your only second factor, so it cannot be turned off. Add a passkey first to turn it off.</p>
      )}
      {open === "codes" && <FactorForm label="Make new recovery codes" submit="Make new codes" pendingLabel="Making codes…" action={regenerateRecoveryCodesAction} onCodes={onCodes} />}
      {open === "off" && <FactorForm label="Turn off two-factor authentication" submit="Turn off" pendingLabel="Turning off…" action={disableTotpAction} destructive />}
    </div>
  );
}

function FactorForm<T>({
  label,
  submit,
  pendingLabel,
  action: serverAction,
  onCodes,
  destructive,
}: {
  label: string;
  submit: string;
  pendingLabel: string;
  action: (prev: ActionState<T>, form: FormData) => Promise<ActionState<T>>;
  onCodes?: (codes: string[]) => void;
  destructive?: boolean;
}) {
  const [state, action, pending] = useActionState(serverAction, { ok: false });
  const form = useRef<HTMLFormElement>(null);
  useFocusFirstError(form, state.fieldErrors);
  useEffect(() => {
    const codes = (state.data as { recoveryCodes?: string[] } | undefined)?.recoveryCodes;
    if (state.ok && codes) onCodes?.(codes);
    if (state.ok) form.current?.reset();
  }, [state, onCodes]);
  const errors = state.fieldErrors ?? {};
  const id = destructive ? "off" : "codes";
  return (
    <form ref={form} action={action} noValidate aria-label={label} className="grid gap-4 rounded-md border p-3">
      <FormMessage state={state} />
      <FormField id={`${id}-code`} name="code" label="Code from the app" inputMode="numeric" autoComplete="one-time-code" maxLength={7} required error={errors.code} />
      <FormField id={`${id}-current-password`} name="currentPassword" type="password" label="Current password" autoComplete="current-password" required error={errors.currentPassword} />
      <div>
        <SubmitButton pending={pending} pendingLabel={pendingLabel} variant={destructive ? "destructive" : "default"}>
          {submit}
        </SubmitButton>
      </div>
    </form>
  );
}
