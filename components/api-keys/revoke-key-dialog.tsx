"use client";

import { Loader2Icon } from "lucide-react";
import { useRef, useTransition } from "react";
import { toast } from "sonner";
import { revokeApiKeyAction } from "@/app/(dashboard)/settings/api-keys/actions";
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
import type { KeyRow } from "./keys-table";

/**
 * Confirms, then revokes: unlike Delete, the key stays in the list (marked Revoked) with its
 * history. The dialog closes only when the server says it worked.
 */
export function RevokeKeyDialog({ target, onClose }: { target: KeyRow | null; onClose: () => void }) {
  const [pending, startTransition] = useTransition();
  // Keeps the name on screen while the dialog animates closed.
  const last = useRef(target);
  if (target) last.current = target;
  const shown = last.current;

  function confirm() {
    if (!target) return;
    startTransition(async () => {
      const result = await revokeApiKeyAction(target.id);
      if (result.ok) {
        onClose();
        toast.success(result.message ?? `“${target.name}” was revoked.`);
      } else {
        toast.error(result.message ?? "The key could not be revoked. Try again.");
      }
    });
  }

  return (
    <AlertDialog open={target !== null} onOpenChange={(open) => !open && !pending && onClose()}>
      <AlertDialogContent>
        <AlertDialogHeader>
          <AlertDialogTitle>Revoke API key “{shown?.name}”?</AlertDialogTitle>
          <AlertDialogDescription>
            Any app or script using this key stops working at once: its next request is refused. The key stays in your list,
            marked Revoked, so you can still see its details; delete it later to remove it. This cannot be undone.
          </AlertDialogDescription>
        </AlertDialogHeader>
        <AlertDialogFooter>
          <AlertDialogCancel disabled={pending}>Cancel</AlertDialogCancel>
          {/* A plain button, not AlertDialogAction: that one would close before the server answers. */}
          <Button variant="destructive" onClick={confirm} disabled={pending}>
            {pending && <Loader2Icon className="animate-spin" aria-hidden />}
            {pending ? "Revoking…" : "Revoke key"}
          </Button>
        </AlertDialogFooter>
      </AlertDialogContent>
    </AlertDialog>
  );
}
