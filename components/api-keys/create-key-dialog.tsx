"use client";

import { withStepUp } from "@/components/auth/step-up";
import { startTransition, useActionState, useEffect, useRef } from "react";
import { toast } from "sonner";
import type { CreatedKey } from "@/app/(dashboard)/settings/api-keys/actions";
import { useKeyServerActions } from "./key-server-actions";
import { SubmitButton } from "@/components/forms/submit-button";
import { useFocusFirstError } from "@/components/forms/use-focus-first-error";
import { DialogDescription, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import type { ActionState } from "@/lib/action-state";
import { KeyFormFields } from "./key-form-fields";
import { NewKeyView } from "./new-key-secret";
import { SecretDialog, type SecretDialogControls } from "./secret-dialog";
import { ACTIONS } from "@/lib/glossary";

/**
 * Rendered once per page at a stable place in the tree (see KeysSection): if it moved when the
 * list went from empty to non-empty, React would remount it and the secret would vanish.
 */
export function CreateKeyDialog({
  origin,
  open,
  onClose,
  onCloseAutoFocus,
  maxLifetimeDays,
}: {
  origin: string;
  open: boolean;
  onClose: () => void;
  onCloseAutoFocus?: (event: Event) => void;
  maxLifetimeDays: number | null;
}) {
  return (
    <SecretDialog open={open} onClose={onClose} onCloseAutoFocus={onCloseAutoFocus} className="sm:max-w-xl">
      {(controls) => <CreateKeyBody origin={origin} controls={controls} maxLifetimeDays={maxLifetimeDays} />}
    </SecretDialog>
  );
}

function CreateKeyBody({ origin, controls, maxLifetimeDays }: { origin: string; controls: SecretDialogControls; maxLifetimeDays: number | null }) {
  const server = useKeyServerActions();
  const [state, action, pending] = useActionState<ActionState<CreatedKey>, FormData>((prev, data) => withStepUp(() => server.create(prev, data)), { ok: false });
  const created = state.ok ? state.data : undefined;
  const form = useRef<HTMLFormElement>(null);
  useFocusFirstError(form, state.fieldErrors);

  useEffect(() => {
    if (created) {
      controls.secretShown();
      toast.success(`API key “${created.name}” created`);
    } else if (state.message && !state.fieldErrors) {
      toast.error(state.message);
    }
  }, [state]); // eslint-disable-line react-hooks/exhaustive-deps

  if (created) {
    return (
      <NewKeyView
        title="Save your API key"
        description={`“${created.name}” is ready. Use it as a Bearer token in the Authorization header.`}
        secret={created.secret}
        origin={origin}
        controls={controls}
      />
    );
  }

  return (
    <form
      ref={form}
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
        <DialogTitle>{ACTIONS.createKey}</DialogTitle>
        <DialogDescription>The key is shown once, right after you generate it.</DialogDescription>
      </DialogHeader>
      <KeyFormFields errors={state.fieldErrors ?? {}} maxLifetimeDays={maxLifetimeDays} />
      <div className="flex justify-end">
        <SubmitButton pending={pending} pendingLabel="Generating…">
          Generate
        </SubmitButton>
      </div>
    </form>
  );
}
