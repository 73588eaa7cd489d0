"use client";

import { Loader2Icon } from "lucide-react";
import { useActionState, useState, useTransition } from "react";
import { removePasskeyAction, renamePasskeyAction } from "@/app/(dashboard)/settings/profile/actions";
import { FormField } from "@/components/forms/form-field";
import { SubmitButton } from "@/components/forms/submit-button";
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
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { useReturnFocus } from "@/components/ui/use-return-focus";
import type { ActionState } from "@/lib/action-state";
import { FormMessage } from "@/components/forms/form-message";
import type { PasskeyItem } from "./passkey-item";

/** One passkey: its name and dates, Rename (a dialog) and Remove (asks first, with the current password). */
export function PasskeyRow({ passkey }: { passkey: PasskeyItem }) {
  return (
    <li>
      <div role="group" aria-label={passkey.name} className="flex flex-wrap items-center justify-between gap-2 rounded-md border p-3">
        <div className="min-w-0">
          <p className="font-medium [overflow-wrap:anywhere]">{passkey.name}</p>
          <p className="text-xs text-muted-foreground">
            Added <time title={passkey.addedExact}>{passkey.added}</time> ·{" "}
            {passkey.lastUsed ? (
              <>
                last used <time title={passkey.lastUsedExact ?? undefined}>{passkey.lastUsed}</time>
              </>
            ) : (
              "never used"
            )}
            {passkey.synced ? " · synced" : ""}
          </p>
        </div>
        <div className="flex gap-2">
          <RenameButton passkey={passkey} />
          <RemoveButton passkey={passkey} />
        </div>
      </div>
    </li>
  );
}

function RenameButton({ passkey }: { passkey: PasskeyItem }) {
  const [open, setOpen] = useState(false);
  const { remember, onCloseAutoFocus } = useReturnFocus();
  const [state, action, pending] = useActionState(async (prev: ActionState<{ name?: string }>, form: FormData) => {
    const next = await renamePasskeyAction(passkey.id, prev, form);
    // The dialog closes only on success; the page's list shows the new name.
    if (next.ok) setOpen(false);
    return next;
  }, { ok: false });
  return (
    <>
      <Button
        variant="outline"
        size="sm"
        aria-label={`Rename passkey: ${passkey.name}`}
        onClick={() => {
          remember();
          setOpen(true);
        }}
      >
        Rename
      </Button>
      <Dialog open={open} onOpenChange={setOpen}>
        <DialogContent onCloseAutoFocus={onCloseAutoFocus}>
          <form action={action} noValidate className="grid gap-4">
            <DialogHeader>
              <DialogTitle>Rename passkey</DialogTitle>
              <DialogDescription className="[overflow-wrap:anywhere]">A new name for “{passkey.name}”.</DialogDescription>
            </DialogHeader>
            <FormMessage state={state} />
            <FormField id={`rename-${passkey.id}`} name="name" label="Passkey name" required maxLength={64} defaultValue={state.data?.name ?? passkey.name} error={state.fieldErrors?.name} />
            <DialogFooter>
              <Button type="button" variant="outline" onClick={() => setOpen(false)}>
                Cancel
              </Button>
              <SubmitButton pending={pending} pendingLabel="Saving…">
                Save name
              </SubmitButton>
            </DialogFooter>
          </form>
        </DialogContent>
      </Dialog>
    </>
  );
}

function RemoveButton({ passkey }: { passkey: PasskeyItem }) {
  const [open, setOpen] = useState(false);
  const [state, setState] = useState<ActionState>({ ok: false });
  const [pending, startTransition] = useTransition();
  const { remember, onCloseAutoFocus } = useReturnFocus();
  const fieldId = `remove-${passkey.id}-password`;
  function confirm(form: FormData) {
    startTransition(async () => {
      // On success the action redirects (this browser signed in again); only a refusal returns.
      setState(await removePasskeyAction({ passkeyId: passkey.id, currentPassword: String(form.get("currentPassword") ?? "") }));
    });
  }
  return (
    <>
      <Button
        variant="outline"
        size="sm"
        className="text-destructive"
        aria-label={`Remove passkey: ${passkey.name}`}
        onClick={() => {
          remember();
          setState({ ok: false });
          setOpen(true);
        }}
      >
        Remove
      </Button>
      <AlertDialog open={open} onOpenChange={(value) => !pending && setOpen(value)}>
        <AlertDialogContent onCloseAutoFocus={onCloseAutoFocus}>
          <form action={confirm} noValidate className="grid gap-4">
            <AlertDialogHeader>
              <AlertDialogTitle className="[overflow-wrap:anywhere]">Remove the passkey “{passkey.name}”?</AlertDialogTitle>
              <AlertDialogDescription>
                It no longer signs you in, and every other session is signed out. Your password and other passkeys keep working. Remove it from your device too.
              </AlertDialogDescription>
            </AlertDialogHeader>
            <FormMessage state={state} />
            <FormField id={fieldId} name="currentPassword" type="password" label="Current password" autoComplete="current-password" required error={state.fieldErrors?.currentPassword} />
            <AlertDialogFooter>
              <AlertDialogCancel disabled={pending}>Cancel</AlertDialogCancel>
              <Button type="submit" variant="destructive" disabled={pending}>
                {pending && <Loader2Icon className="animate-spin" aria-hidden />}
                {pending ? "Removing…" : "Remove passkey"}
              </Button>
            </AlertDialogFooter>
          </form>
        </AlertDialogContent>
      </AlertDialog>
    </>
  );
}
