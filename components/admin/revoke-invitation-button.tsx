"use client";

import { revokeInvitationAction } from "@/app/(dashboard)/admin/actions";
import { ConfirmButton } from "@/components/forms/confirm-button";

/** Revokes a pending invitation after a confirmation (components/forms/confirm-button.tsx). */
export function RevokeInvitationButton({ invitationId, email }: { invitationId: string; email: string }) {
  return (
    <ConfirmButton
      label="Revoke"
      name={`Revoke invitation: ${email}`}
      title={`Revoke the invitation of ${email}?`}
      description="Its link stops working at once. You can invite them again later."
      confirmLabel="Revoke invitation"
      pendingLabel="Revoking…"
      destructive
      run={() => revokeInvitationAction({ invitationId })}
      failure="The invitation could not be revoked. Try again."
    />
  );
}
