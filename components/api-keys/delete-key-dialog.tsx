"use client";

import { Loader2Icon } from "lucide-react";
import { useRef, useTransition } from "react";
import { toast } from "sonner";
import { deleteApiKeyAction } from "@/app/(dashboard)/settings/api-keys/actions";
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

/** Confirms, then deletes; the dialog closes only when the server says it worked. */
export function DeleteKeyDialog({ target, onClose }: { target: KeyRow | null; onClose: () => void }) {
  const [pending, startTransition] = useTransition();
  // Keeps the name on screen while the dialog animates closed.
  const last = useRef(target);
  if (target) last.current = target;
  const shown = last.current;

  function confirm() {
    if (!target) return;
    startTransition(async () => {
      const result = await deleteApiKeyAction(target.id);
      if (result.ok) {
        onClose();
        toast.success(result.message ?? `“${target.name}” was deleted.`);
      } else {
        toast.error(result.message ?? "The key could not be deleted. Try again.");
      }
    });
  }

  return (
    <AlertDialog open={target !== null} onOpenChange={(open) => !open && !pending && onClose()}>
      <AlertDialogContent>
        <AlertDialogHeader>
          <AlertDialogTitle>Delete API key “{shown?.name}”?</AlertDialogTitle>
          <AlertDialogDescription>
            {shown?.status === "revoked"
              ? "The key is already revoked. Deleting it removes it from your list; its events stay in your Activity."
              : "Any app or script using this key stops working at once: its next request is refused, and the key leaves your list. This cannot be undone."}
          </AlertDialogDescription>
        </AlertDialogHeader>
        <AlertDialogFooter>
          <AlertDialogCancel disabled={pending}>Cancel</AlertDialogCancel>
          {/* A plain button, not AlertDialogAction: that one would close before the server answers. */}
          <Button variant="destructive" onClick={confirm} disabled={pending}>
            {pending && <Loader2Icon className="animate-spin" aria-hidden />}
            {pending ? "Deleting…" : "Delete key"}
          </Button>
        </AlertDialogFooter>
      </AlertDialogContent>
    </AlertDialog>
  );
}
