"use client";

import { withStepUp } from "@/components/auth/step-up";
import { startTransition, useActionState, useEffect, useRef } from "react";
import { toast } from "sonner";
import { useKeyServerActions } from "./key-server-actions";
import { SubmitButton } from "@/components/forms/submit-button";
import { useFocusFirstError } from "@/components/forms/use-focus-first-error";
import { Dialog, DialogContent, DialogDescription, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import type { ActionState } from "@/lib/action-state";
import { permissionsOf } from "@/lib/scopes";
import { KeyFormFields } from "./key-form-fields";
import type { KeyRow } from "./key-row";

/** `extend`: opened from "Extend", so a new expiry is already chosen (saving as is extends the key). */
export function EditKeyDialog({
  target,
  extend = false,
  onClose,
  onCloseAutoFocus,
  maxLifetimeDays,
}: {
  target: KeyRow | null;
  extend?: boolean;
  onClose: () => void;
  onCloseAutoFocus?: (event: Event) => void;
  maxLifetimeDays: number | null;
}) {
  return (
    <Dialog open={target !== null} onOpenChange={(open) => !open && onClose()}>
      <DialogContent className="sm:max-w-xl" onCloseAutoFocus={onCloseAutoFocus}>
        {target && <EditBody key={`${target.id}:${extend}`} target={target} extend={extend} onDone={onClose} maxLifetimeDays={maxLifetimeDays} />}
      </DialogContent>
    </Dialog>
  );
}

function EditBody({ target, extend, onDone, maxLifetimeDays }: { target: KeyRow; extend: boolean; onDone: () => void; maxLifetimeDays: number | null }) {
  const server = useKeyServerActions();
  const [state, action, pending] = useActionState<ActionState, FormData>((prev, data) => withStepUp(() => server.update(target.id, prev, data)), { ok: false });
  const form = useRef<HTMLFormElement>(null);
  useFocusFirstError(form, state.fieldErrors);
  useEffect(() => {
    if (state.ok) {
      toast.success(state.message ?? "Key updated");
      onDone();
    } else if (state.message && !state.fieldErrors) {
      toast.error(state.message);
    }
  }, [state]); // eslint-disable-line react-hooks/exhaustive-deps

  return (
    <form
      ref={form}
      noValidate
      className="grid min-w-0 gap-5"
      onSubmit={(e) => {
        e.preventDefault();
        const data = new FormData(e.currentTarget);
        startTransition(() => action(data));
      }}
    >
      <DialogHeader>
        <DialogTitle>Edit “{target.name}”</DialogTitle>
        <DialogDescription>Changes apply from the key&apos;s next request. The secret stays the same.</DialogDescription>
      </DialogHeader>
      <KeyFormFields
        errors={state.fieldErrors ?? {}}
        maxLifetimeDays={maxLifetimeDays}
        extend={extend}
        defaults={{
          name: target.name,
          description: target.description,
          access: target.accessMode,
          permissions: permissionsOf(target.scopes),
          specials: target.scopes.filter((s) => !/:(read|write)$/.test(s)),
          expiresAt: target.expiresAt,
          createdAt: target.createdAt,
          allowedIps: target.allowedIps,
        }}
      />
      <div className="flex justify-end">
        <SubmitButton pending={pending} pendingLabel="Saving…">
          Save changes
        </SubmitButton>
      </div>
    </form>
  );
}
