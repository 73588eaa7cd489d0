"use client";

import { Loader2Icon } from "lucide-react";
import { useState, useTransition } from "react";
import { toast } from "sonner";
import { deleteUserAction, reinstateUserAction, suspendUserAction } from "@/app/(dashboard)/admin/actions";
import {
  AlertDialog,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogFooter,
  AlertDialogHeader,
  AlertDialogTitle,
} from "@/components/ui/alert-dialog";
import { Button } from "@/components/ui/button";
import { useReturnFocus } from "@/components/ui/use-return-focus";
import type { ActionState } from "@/lib/action-state";

type Confirmed = {
  /** The button's words; its accessible name adds the user's email. */
  label: string;
  email: string;
  title: string;
  description: string;
  destructive: boolean;
  run: () => Promise<ActionState>;
  failure: string;
};

/**
 * A change to a user that asks first: the dialog names the user and says what happens, stays open
 * (and says why) when the change is refused, and gives focus back to the opener when it closes
 * (or to the row's next control when the row is gone).
 */
export function ConfirmedButton({ label, email, title, description, destructive, run, failure }: Confirmed) {
  const [open, setOpen] = useState(false);
  const [pending, startTransition] = useTransition();
  const { remember, onCloseAutoFocus } = useReturnFocus();
  function confirm() {
    startTransition(async () => {
      const result = await run();
      if (result.ok) {
        toast.success(result.message);
        setOpen(false);
      } else toast.error(result.message ?? failure);
    });
  }
  return (
    <>
      <Button
        variant="outline"
        size="sm"
        className={destructive ? "text-destructive" : undefined}
        // Never disabled while the change runs (the dialog is modal): a disabled button cannot take
        // focus back when the dialog closes, and the transition can outlast the dialog.
        aria-label={`${label}: ${email}`}
        onClick={() => {
          remember();
          setOpen(true);
        }}
      >
        {label}
      </Button>
      <AlertDialog open={open} onOpenChange={(value) => !pending && setOpen(value)}>
        <AlertDialogContent onCloseAutoFocus={onCloseAutoFocus}>
          <AlertDialogHeader>
            <AlertDialogTitle className="[overflow-wrap:anywhere]">{title}</AlertDialogTitle>
            <AlertDialogDescription>{description}</AlertDialogDescription>
          </AlertDialogHeader>
          <AlertDialogFooter>
            <AlertDialogCancel disabled={pending}>Cancel</AlertDialogCancel>
            <Button variant={destructive ? "destructive" : "default"} onClick={confirm} disabled={pending}>
              {pending && <Loader2Icon className="animate-spin" aria-hidden />}
              {pending ? "Saving…" : label}
            </Button>
          </AlertDialogFooter>
        </AlertDialogContent>
      </AlertDialog>
    </>
  );
}

/** Suspends an active user, or reinstates a suspended one. */
export function SuspendButton({ userId, email, suspended }: { userId: string; email: string; suspended: boolean }) {
  return suspended ? (
    <ConfirmedButton
      label="Reinstate"
      email={email}
      title={`Reinstate ${email}?`}
      description="They can sign in again, and their API keys that are not revoked or expired work again on their next request."
      destructive={false}
      run={() => reinstateUserAction({ userId })}
      failure="The account could not be reinstated. Try again."
    />
  ) : (
    <ConfirmedButton
      label="Suspend"
      email={email}
      title={`Suspend ${email}?`}
      description="They are signed out everywhere at once, cannot sign in, and every API key of theirs is refused (USER_SUSPENDED) from its next request. Nothing is deleted: reinstate them to undo it."
      destructive
      run={() => suspendUserAction({ userId })}
      failure="The account could not be suspended. Try again."
    />
  );
}

/** Deletes a user: keys revoked, account anonymised, audit log kept. */
export function DeleteUserButton({ userId, email }: { userId: string; email: string }) {
  return (
    <ConfirmedButton
      label="Delete"
      email={email}
      title={`Delete ${email}?`}
      description="Every API key of theirs is revoked at once, they are signed out, and the account is removed from this list for good; its name and email are erased. A team they are the last owner of passes to its longest-standing admin (or, without one, developer, then viewer); team keys keep working. The audit log keeps every event. This cannot be undone."
      destructive
      run={() => deleteUserAction({ userId })}
      failure="The account could not be deleted. Try again."
    />
  );
}
