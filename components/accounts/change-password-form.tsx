"use client";

import { useActionState, useEffect, useRef } from "react";
import { changePasswordAction } from "@/app/(dashboard)/settings/profile/actions";
import { FormField } from "@/components/forms/form-field";
import { SubmitButton } from "@/components/forms/submit-button";
import { useFocusFirstError } from "@/components/forms/use-focus-first-error";
import { PASSWORD_MIN } from "@/lib/validation/auth.schema";
import { FormMessage } from "@/components/forms/form-message";

const PASSWORD_CHANGED = "Your password is changed. Every other session is signed out; this one stays signed in.";

/**
 * Changes the password: the current one is checked on the server; every other session ends. The
 * fields are never refilled from the server (no password travels back), and are cleared on success.
 */
export function ChangePasswordForm({ changed }: { changed: boolean }) {
  const [state, action, pending] = useActionState(changePasswordAction, { ok: false });
  const form = useRef<HTMLFormElement>(null);
  useFocusFirstError(form, state.fieldErrors);
  useEffect(() => {
    if (state.ok) form.current?.reset();
  }, [state]);
  const errors = state.fieldErrors ?? {};
  return (
    <form ref={form} action={action} noValidate aria-labelledby="password-form-heading" className="grid gap-4 rounded-lg border p-4">
      <div>
        <h3 id="password-form-heading" className="font-medium">
          Password
        </h3>
        <p className="text-sm text-muted-foreground">Changing it signs you out everywhere else: other browsers and devices sign in again.</p>
      </div>
      <FormMessage state={changed && !state.message ? { ok: true, message: PASSWORD_CHANGED } : state} />
      <FormField id="current-password" name="currentPassword" type="password" label="Current password" autoComplete="current-password" required error={errors.currentPassword} />
      <FormField
        id="new-password"
        name="newPassword"
        type="password"
        label="New password"
        autoComplete="new-password"
        required
        minLength={PASSWORD_MIN}
        hint={`At least ${PASSWORD_MIN} characters. A passphrase of a few words works well.`}
        error={errors.newPassword}
      />
      <FormField id="confirm-password" name="confirmPassword" type="password" label="Confirm new password" autoComplete="new-password" required error={errors.confirmPassword} />
      <div>
        <SubmitButton pending={pending} pendingLabel="Changing password…">
          Change password
        </SubmitButton>
      </div>
    </form>
  );
}
