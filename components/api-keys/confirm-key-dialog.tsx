"use client";

import { Loader2Icon } from "lucide-react";
import { useState, useTransition } from "react";
import { toast } from "sonner";
import type { ActionState } from "@/lib/action-state";
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
import type { KeyRow } from "./key-row";

/**
 * Confirms a destructive change to one key, then runs it; the dialog closes only when the server
 * says it worked (Revoke and Delete).
 */
export function ConfirmKeyDialog({
  target,
  onClose,
  title,
  description,
  confirmLabel,
  pendingLabel,
  run,
  done,
  failed,
  onDone,
  onCloseAutoFocus,
}: {
  target: KeyRow | null;
  onClose: () => void;
  title: (key: KeyRow) => string;
  description: (key: KeyRow) => string;
  confirmLabel: string;
  pendingLabel: string;
  run: (id: string) => Promise<ActionState>;
  /** The toast when the server sends no message of its own. */
  done: (key: KeyRow) => string;
  failed: string;
  /** After the server says it worked (e.g. leave the page of a deleted key). */
  onDone?: (key: KeyRow) => void;
  /** Where focus goes after closing (see useReturnFocus). */
  onCloseAutoFocus?: (event: Event) => void;
}) {
  const [pending, startTransition] = useTransition();
  // Keeps the name on screen while the dialog animates closed.
  const [shown, setShown] = useState(target);
  if (target && target !== shown) setShown(target);

  function confirm() {
    if (!target) return;
    startTransition(async () => {
      const result = await run(target.id);
      if (result.ok) {
        onClose();
        toast.success(result.message ?? done(target));
        onDone?.(target);
      } else {
        toast.error(result.message ?? failed);
      }
    });
  }

  return (
    <AlertDialog open={target !== null} onOpenChange={(open) => !open && !pending && onClose()}>
      <AlertDialogContent onCloseAutoFocus={onCloseAutoFocus}>
        <AlertDialogHeader>
          <AlertDialogTitle>{shown && title(shown)}</AlertDialogTitle>
          <AlertDialogDescription>{shown && description(shown)}</AlertDialogDescription>
        </AlertDialogHeader>
        <AlertDialogFooter>
          <AlertDialogCancel disabled={pending}>Cancel</AlertDialogCancel>
          {/* A plain button, not AlertDialogAction: that one would close before the server answers. */}
          <Button variant="destructive" onClick={confirm} disabled={pending}>
            {pending && <Loader2Icon className="animate-spin" aria-hidden />}
            {pending ? pendingLabel : confirmLabel}
          </Button>
        </AlertDialogFooter>
      </AlertDialogContent>
    </AlertDialog>
  );
}
