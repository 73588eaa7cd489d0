"use client";

import { startTransition, useActionState, useEffect, useState } from "react";
import { toast } from "sonner";
import { createApiKeyAction, type CreatedKey } from "@/app/(dashboard)/settings/api-keys/actions";
import { FormField } from "@/components/auth/form-field";
import { SubmitButton } from "@/components/auth/submit-button";
import {
  AlertDialog,
  AlertDialogAction,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogFooter,
  AlertDialogHeader,
  AlertDialogTitle,
} from "@/components/ui/alert-dialog";
import { Button } from "@/components/ui/button";
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
} from "@/components/ui/dialog";
import { Label } from "@/components/ui/label";
import { Textarea } from "@/components/ui/textarea";
import type { ActionState } from "@/lib/action-state";
import { DESCRIPTION_MAX, NAME_MAX } from "@/lib/validation/api-key.schema";
import { AccessFields } from "./access-fields";
import { ExpirationField } from "./expiration-field";
import { NewKeySecret } from "./new-key-secret";

/**
 * Create dialog. It is rendered once per page at a stable place in the tree (see KeysSection):
 * if it moved when the list went from empty to non-empty, React would remount it and the
 * secret would vanish before the user saw it. The form and, after Generate, the secret live
 * inside DialogContent, which unmounts on close: closing is what forgets the secret.
 */
export function CreateKeyDialog({
  origin,
  open,
  setOpen,
}: {
  origin: string;
  open: boolean;
  setOpen: (open: boolean) => void;
}) {
  const [secretShown, setSecretShown] = useState(false);
  const [copied, setCopied] = useState(false);
  const [confirmClose, setConfirmClose] = useState(false);

  // While a secret is on screen, leaving the page asks first.
  useEffect(() => {
    if (!secretShown || copied) return;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [secretShown, copied]);

  function close() {
    setOpen(false);
    setSecretShown(false);
    setCopied(false);
    setConfirmClose(false);
  }

  function requestOpenChange(next: boolean) {
    if (next) return setOpen(true);
    if (secretShown && !copied) return setConfirmClose(true);
    close();
  }

  return (
    <>
      <Dialog open={open} onOpenChange={requestOpenChange}>
        <DialogContent className="sm:max-w-xl" onInteractOutside={(e) => secretShown && e.preventDefault()}>
          <CreateKeyBody
            origin={origin}
            onCreated={() => setSecretShown(true)}
            onCopied={() => setCopied(true)}
            onDone={() => requestOpenChange(false)}
          />
        </DialogContent>
      </Dialog>
      <AlertDialog open={confirmClose} onOpenChange={setConfirmClose}>
        <AlertDialogContent>
          <AlertDialogHeader>
            <AlertDialogTitle>Close without copying the key?</AlertDialogTitle>
            <AlertDialogDescription>
              You won&apos;t see this key again. If you close now, you will need to create a new key.
            </AlertDialogDescription>
          </AlertDialogHeader>
          <AlertDialogFooter>
            <AlertDialogCancel>Go back and copy</AlertDialogCancel>
            <AlertDialogAction variant="destructive" onClick={close}>
              Close anyway
            </AlertDialogAction>
          </AlertDialogFooter>
        </AlertDialogContent>
      </AlertDialog>
    </>
  );
}

function CreateKeyBody({
  origin,
  onCreated,
  onCopied,
  onDone,
}: {
  origin: string;
  onCreated: () => void;
  onCopied: () => void;
  onDone: () => void;
}) {
  const [state, action, pending] = useActionState<ActionState<CreatedKey>, FormData>(createApiKeyAction, { ok: false });
  const created = state.ok ? state.data : undefined;

  useEffect(() => {
    if (created) {
      onCreated();
      toast.success(`API key “${created.name}” created`);
    } else if (state.message && !state.fieldErrors) {
      toast.error(state.message);
    }
  }, [state]); // eslint-disable-line react-hooks/exhaustive-deps

  if (created) {
    return (
      <>
        <DialogHeader>
          <DialogTitle>Save your API key</DialogTitle>
          <DialogDescription>
            “{created.name}” is ready. Use it as a Bearer token in the Authorization header.
          </DialogDescription>
        </DialogHeader>
        <NewKeySecret secret={created.secret} origin={origin} onCopied={onCopied} />
        <DialogFooter>
          <Button type="button" onClick={onDone}>
            Done
          </Button>
        </DialogFooter>
      </>
    );
  }

  const errors = state.fieldErrors ?? {};
  return (
    <form
      noValidate
      className="grid min-w-0 gap-5"
      onSubmit={(e) => {
        // Submitted by hand (not via the form's action prop) so React does not reset the
        // fields when the server answers with errors.
        e.preventDefault();
        const data = new FormData(e.currentTarget);
        startTransition(() => action(data));
      }}
    >
      <DialogHeader>
        <DialogTitle>Create API key</DialogTitle>
        <DialogDescription>The key is shown once, right after you generate it.</DialogDescription>
      </DialogHeader>
      <FormField
        id="key-name"
        name="name"
        label="Key name"
        placeholder="e.g. CI deploys"
        autoComplete="off"
        required
        hint={`Up to ${NAME_MAX} characters, unique among your keys.`}
        error={errors.name}
      />
      <div className="grid gap-2">
        <Label htmlFor="key-description">
          Description <span className="font-normal text-muted-foreground">(optional)</span>
        </Label>
        <Textarea
          id="key-description"
          name="description"
          rows={2}
          placeholder="What uses this key?"
          aria-invalid={errors.description ? true : undefined}
          aria-describedby={errors.description ? "key-description-error" : undefined}
        />
        {errors.description ? (
          <p id="key-description-error" className="text-sm text-destructive">
            {errors.description}
          </p>
        ) : (
          <p className="text-xs text-muted-foreground">Up to {DESCRIPTION_MAX} characters.</p>
        )}
      </div>
      <AccessFields error={errors.permissions ?? errors.access} />
      <ExpirationField error={errors.expiration} dateError={errors.customDate} />
      <DialogFooter>
        <SubmitButton pending={pending} pendingLabel="Generating…">
          Generate
        </SubmitButton>
      </DialogFooter>
    </form>
  );
}
