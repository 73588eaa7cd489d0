"use client";

import { withStepUp } from "@/components/auth/step-up";
import { resetSecondFactorAction } from "@/app/(dashboard)/admin/actions";
import { ConfirmButton } from "@/components/forms/confirm-button";

/** Resets a user's second factors (a lost phone and recovery codes, lost passkey devices): asks first, names the user. */
export function ResetSecondFactorButton({ userId, email }: { userId: string; email: string }) {
  return (
    <ConfirmButton
      label="Reset two-factor"
      name={`Reset two-factor: ${email}`}
      title={`Reset the two-factor authentication of ${email}?`}
      description="Their authenticator app, recovery codes and passkeys are removed and every session of theirs ends. They sign in with their password alone, then add a passkey or an app again (at once, if this Keysmith requires one). Do this only once you are sure it is them asking."
      destructive
      run={() => withStepUp(() => resetSecondFactorAction({ userId }))}
      failure="The second factor could not be reset. Try again."
    />
  );
}
