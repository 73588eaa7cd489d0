"use client";

import { deleteUserAction, reinstateUserAction, suspendUserAction } from "@/app/(dashboard)/admin/actions";
import { ConfirmButton } from "@/components/forms/confirm-button";

/** Suspends an active user, or reinstates a suspended one. */
export function SuspendButton({ userId, email, suspended }: { userId: string; email: string; suspended: boolean }) {
  return suspended ? (
    <ConfirmButton
      label="Reinstate"
      name={`Reinstate: ${email}`}
      title={`Reinstate ${email}?`}
      description="They can sign in again, and their API keys that are not revoked or expired work again on their next request."
      destructive={false}
      run={() => reinstateUserAction({ userId })}
      failure="The account could not be reinstated. Try again."
    />
  ) : (
    <ConfirmButton
      label="Suspend"
      name={`Suspend: ${email}`}
      title={`Suspend ${email}?`}
      description="They are signed out everywhere at once, cannot sign in, and every API key of theirs is refused from its next request. Nothing is deleted: reinstate them to undo it."
      destructive
      run={() => suspendUserAction({ userId })}
      failure="The account could not be suspended. Try again."
    />
  );
}

/** Deletes a user: keys revoked, account anonymised, audit log kept. */
export function DeleteUserButton({ userId, email }: { userId: string; email: string }) {
  return (
    <ConfirmButton
      label="Delete"
      name={`Delete: ${email}`}
      title={`Delete ${email}?`}
      description="Every API key of theirs is revoked at once, they are signed out, and the account is removed from this list for good; its name and email are erased. A team they are the last owner of passes to its longest-standing admin (or, without one, developer, then viewer); team keys keep working. The audit log keeps every event. This cannot be undone."
      destructive
      run={() => deleteUserAction({ userId })}
      failure="The account could not be deleted. Try again."
    />
  );
}
