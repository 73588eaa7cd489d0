"use client";

import { Loader2Icon } from "lucide-react";
import { useState, useTransition } from "react";
import { toast } from "sonner";
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

export type ConfirmButtonProps = {
  /** The button's words. */
  label: string;
  /** Its accessible name when the words alone do not say whom it acts on (e.g. "Remove ann@example.com"). */
  name?: string;
  title: string;
  description: React.ReactNode;
  /** The dialog's confirming button, and what it says while the change runs. */
  confirmLabel?: string;
  pendingLabel?: string;
  destructive: boolean;
  /** The opener: a small outline button in a table row (a destructive change's is red unless
   * `openerClassName` says otherwise), or a full-size one standing alone in a section. */
  opener?: "row" | "section";
  openerClassName?: string;
  /** The change. Nothing back means it redirected (leaving a team): the dialog just closes. */
  run: () => Promise<ActionState | undefined>;
  /** Said when the change fails without a message of its own. */
  failure: string;
  /** What the dialog asks beside the confirmation (a new owner to choose). */
  children?: React.ReactNode;
};

/**
 * A change that asks first: a small outline button opens a dialog that says what happens; the
 * change runs from the dialog, which stays open (and says why, in a toast) when it is refused,
 * closes on success, and gives focus back to the opener, or to the row's next control when the
 * row is gone. The opener is never disabled while the change runs (the dialog is modal): a
 * disabled button could not take focus back.
 */
export function ConfirmButton({
  label,
  name,
  title,
  description,
  confirmLabel = label,
  pendingLabel = "Saving…",
  destructive,
  opener = "row",
  openerClassName,
  run,
  failure,
  children,
}: ConfirmButtonProps) {
  const [open, setOpen] = useState(false);
  const [pending, startTransition] = useTransition();
  const { remember, onCloseAutoFocus } = useReturnFocus();
  function confirm() {
    startTransition(async () => {
      const result = await run();
      if (!result || result.ok) {
        if (result?.message) toast.success(result.message);
        setOpen(false);
      } else toast.error(result.message ?? failure);
    });
  }
  return (
    <>
      <Button
        variant={opener === "section" && destructive ? "destructive" : "outline"}
        size={opener === "row" ? "sm" : "default"}
        className={openerClassName ?? (opener === "row" && destructive ? "text-destructive" : undefined)}
        aria-label={name}
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
          {children}
          <AlertDialogFooter>
            <AlertDialogCancel disabled={pending}>Cancel</AlertDialogCancel>
            <Button variant={destructive ? "destructive" : "default"} onClick={confirm} disabled={pending}>
              {pending && <Loader2Icon className="animate-spin" aria-hidden />}
              {pending ? pendingLabel : confirmLabel}
            </Button>
          </AlertDialogFooter>
        </AlertDialogContent>
      </AlertDialog>
    </>
  );
}
