"use client";

import { useActionState, useEffect, useRef } from "react";
import { requestEmailChangeAction } from "@/app/(dashboard)/settings/profile/actions";
import { FormField } from "@/components/forms/form-field";
import { SubmitButton } from "@/components/forms/submit-button";
import { useFocusFirstError } from "@/components/forms/use-focus-first-error";
import { FormMessage } from "@/components/forms/form-message";

/**
 * Moves the account to a new address, confirmed from a link mailed there. Where this Keysmith
 * sends no mail, it says so instead (nothing could confirm the new address).
 */
export function ChangeEmailForm({ email, available }: { email: string; available: boolean }) {
  const [state, action, pending] = useActionState(requestEmailChangeAction, { ok: false });
  const form = useRef<HTMLFormElement>(null);
  useFocusFirstError(form, state.fieldErrors);
  useEffect(() => {
    if (state.ok) form.current?.reset();
  }, [state]);
  const errors = state.fieldErrors ?? {};
  return (
    <form ref={form} action={action} noValidate aria-labelledby="email-form-heading" className="grid gap-4 rounded-lg border p-4">
      <div>
        <h3 id="email-form-heading" className="font-medium">
          Email
        </h3>
        <p className="text-sm text-muted-foreground [overflow-wrap:anywhere]">
          You sign in with {email}. A new address is confirmed from a link mailed to it; until then nothing changes.
        </p>
      </div>
      {available ? (
        <>
          <FormMessage state={state} />
          <FormField id="new-email" name="newEmail" type="email" label="New email" autoComplete="email" required defaultValue={state.data?.newEmail} error={errors.newEmail} />
          <FormField id="email-current-password" name="currentPassword" type="password" label="Current password" autoComplete="current-password" required error={errors.currentPassword} />
          <div>
            <SubmitButton pending={pending} pendingLabel="Sending…">
              Send confirmation link
            </SubmitButton>
          </div>
        </>
      ) : (
        <p className="text-sm">This Keysmith does not send mail, so a new address cannot be confirmed. Ask an administrator.</p>
      )}
    </form>
  );
}
