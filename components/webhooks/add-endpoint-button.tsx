"use client";

import { useActionState, useRef, useState } from "react";
import type { NewSecretState } from "./types";
import { SecretDialog, type SecretDialogControls } from "@/components/api-keys/secret-dialog";
import { FormMessage } from "@/components/forms/form-message";
import { SubmitButton } from "@/components/forms/submit-button";
import { useFocusFirstError } from "@/components/forms/use-focus-first-error";
import { Button } from "@/components/ui/button";
import { DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { useReturnFocus } from "@/components/ui/use-return-focus";
import { EndpointFields } from "./endpoint-fields";
import { SECRET_CLOSE_WARNING, SigningSecret } from "./signing-secret";

type CreateAction = (state: NewSecretState, form: FormData) => Promise<NewSecretState>;

/** "Add endpoint": the form, then the endpoint's signing secret, once. */
export function AddEndpointButton({ action }: { action: CreateAction }) {
  const [open, setOpen] = useState(false);
  const { remember, onCloseAutoFocus } = useReturnFocus();
  return (
    <>
      <Button
        onClick={() => {
          remember();
          setOpen(true);
        }}
      >
        Add endpoint
      </Button>
      <SecretDialog open={open} onClose={() => setOpen(false)} onCloseAutoFocus={onCloseAutoFocus} closeWarning={SECRET_CLOSE_WARNING} className="max-h-[90vh] overflow-y-auto">
        {(controls) => <AddEndpointForm action={action} controls={controls} />}
      </SecretDialog>
    </>
  );
}

function AddEndpointForm({ action: create, controls }: { action: CreateAction; controls: SecretDialogControls }) {
  const [state, action, pending] = useActionState(create, { ok: false });
  const form = useRef<HTMLFormElement>(null);
  useFocusFirstError(form, state.fieldErrors);
  if (state.ok && state.data?.secret) return <SigningSecret secret={state.data.secret} title="Endpoint added" controls={controls} />;
  const values = state.data?.values ?? { url: "", description: "", events: ["key.expiring", "key.revoked", "key.leaked"] };
  return (
    <form ref={form} action={action} noValidate className="grid gap-4">
      <DialogHeader>
        <DialogTitle>Add endpoint</DialogTitle>
        <DialogDescription>Keysmith tells this URL when your keys change, signed so your receiver can tell the message is genuine. Failed deliveries are retried for 24 hours.</DialogDescription>
      </DialogHeader>
      <FormMessage state={state} />
      <EndpointFields idPrefix="new-webhook" values={values} errors={state.fieldErrors} />
      <DialogFooter>
        <Button variant="outline" type="button" onClick={controls.requestClose} disabled={pending}>
          Cancel
        </Button>
        <SubmitButton pending={pending} pendingLabel="Adding…">
          Add endpoint
        </SubmitButton>
      </DialogFooter>
    </form>
  );
}
