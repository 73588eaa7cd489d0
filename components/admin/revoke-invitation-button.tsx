"use client";

import { Loader2Icon } from "lucide-react";
import { useState, useTransition } from "react";
import { toast } from "sonner";
import { revokeInvitationAction } from "@/app/(dashboard)/admin/actions";
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

/**
 * Revokes a pending invitation after a confirmation; the dialog stays open (and says why) when
 * refused, and focus goes back to the opener, or to the next control when the row is gone.
 */
export function RevokeInvitationButton({ invitationId, email }: { invitationId: string; email: string }) {
  const [open, setOpen] = useState(false);
  const [pending, startTransition] = useTransition();
  const { remember, onCloseAutoFocus } = useReturnFocus();
  function confirm() {
    startTransition(async () => {
      const result = await revokeInvitationAction({ invitationId });
      if (result.ok) {
        toast.success(result.message);
        setOpen(false);
      } else toast.error(result.message ?? "The invitation could not be revoked. Try again.");
    });
  }
  return (
    <>
      <Button
        variant="outline"
        size="sm"
        className="text-destructive"
        disabled={pending}
        aria-label={`Revoke invitation: ${email}`}
        onClick={() => {
          remember();
          setOpen(true);
        }}
      >
        Revoke
      </Button>
      <AlertDialog open={open} onOpenChange={(value) => !pending && setOpen(value)}>
        <AlertDialogContent onCloseAutoFocus={onCloseAutoFocus}>
          <AlertDialogHeader>
            <AlertDialogTitle className="[overflow-wrap:anywhere]">Revoke the invitation of {email}?</AlertDialogTitle>
            <AlertDialogDescription>Its link stops working at once. You can invite them again later.</AlertDialogDescription>
          </AlertDialogHeader>
          <AlertDialogFooter>
            <AlertDialogCancel disabled={pending}>Cancel</AlertDialogCancel>
            <Button variant="destructive" onClick={confirm} disabled={pending}>
              {pending && <Loader2Icon className="animate-spin" aria-hidden />}
              {pending ? "Revoking…" : "Revoke invitation"}
            </Button>
          </AlertDialogFooter>
        </AlertDialogContent>
      </AlertDialog>
    </>
  );
}
