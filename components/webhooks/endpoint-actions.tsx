"use client";

import { useRouter } from "next/navigation";
import { useActionState, useRef, useState, useTransition } from "react";
import { toast } from "sonner";
import type { NewSecretState } from "./types";
import { SecretDialog } from "@/components/api-keys/secret-dialog";
import { ConfirmButton } from "@/components/forms/confirm-button";
import { FormMessage } from "@/components/forms/form-message";
import { SubmitButton } from "@/components/forms/submit-button";
import { useFocusFirstError } from "@/components/forms/use-focus-first-error";
import { Button } from "@/components/ui/button";
import { Dialog, DialogClose, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { useReturnFocus } from "@/components/ui/use-return-focus";
import type { ActionState } from "@/lib/action-state";
import { EndpointFields, type EndpointValues } from "./endpoint-fields";
import { SECRET_CLOSE_WARNING, SigningSecret } from "./signing-secret";

export type EndpointActionsProps = {
  endpoint: EndpointValues & { id: string; enabled: boolean };
  update: (state: NewSecretState, form: FormData) => Promise<NewSecretState>;
  setEnabled: (enabled: boolean) => Promise<ActionState>;
  rotateSecret: () => Promise<NewSecretState>;
  remove: () => Promise<ActionState>;
  sendTest: () => Promise<ActionState>;
  /** Where "Delete" goes back to: the person's or the team's list. */
  listPath: string;
};

/** An endpoint's controls on its page: test, edit, turn off or on, a new secret, delete. */
export function EndpointActions({ endpoint, update, setEnabled, rotateSecret, remove, sendTest, listPath }: EndpointActionsProps) {
  const router = useRouter();
  const [testing, startTest] = useTransition();
  const [enabling, startEnable] = useTransition();
  const [secret, setSecret] = useState<string | null>(null);
  const { remember, onCloseAutoFocus } = useReturnFocus();
  return (
    <div role="group" aria-label="Endpoint actions" className="flex flex-wrap gap-2">
      <Button
        variant="outline"
        disabled={testing || !endpoint.enabled}
        title={endpoint.enabled ? undefined : "Enable the endpoint to send it a test event."}
        onClick={() =>
          startTest(async () => {
            const result = await sendTest();
            if (result.ok) toast.success(result.message ?? "Test event queued.");
            else toast.error(result.message ?? "The test event could not be queued. Try again.");
          })
        }
      >
        {testing ? "Queuing…" : "Send test event"}
      </Button>
      <EditEndpointButton endpoint={endpoint} update={update} />
      {endpoint.enabled ? (
        <ConfirmButton
          label="Disable"
          opener="section"
          openerClassName=""
          title="Disable this endpoint?"
          description="Keysmith sends it nothing until you enable it again; events that happen meanwhile are not kept for it."
          confirmLabel="Disable"
          pendingLabel="Disabling…"
          destructive={false}
          run={() => setEnabled(false)}
          failure="The endpoint could not be disabled. Try again."
        />
      ) : (
        <Button
          variant="outline"
          disabled={enabling}
          onClick={() =>
            startEnable(async () => {
              const result = await setEnabled(true);
              if (result.ok) toast.success(result.message ?? "Endpoint enabled.");
              else toast.error(result.message ?? "The endpoint could not be enabled. Try again.");
            })
          }
        >
          {enabling ? "Enabling…" : "Enable"}
        </Button>
      )}
      <ConfirmButton
        label="New signing secret"
        opener="section"
        openerClassName=""
        title="Make a new signing secret?"
        description="Deliveries are signed with the new secret from now on. For the next 24 hours they also carry a signature by the current one, so your receiver keeps verifying them until you replace it."
        confirmLabel="Make new secret"
        pendingLabel="Making…"
        destructive={false}
        run={async () => {
          remember();
          const result = await rotateSecret();
          if (result.ok && result.data?.secret) {
            setSecret(result.data.secret);
            return { ok: true };
          }
          return { ok: false, message: result.message };
        }}
        failure="No new secret was made. Try again."
      />
      <SecretDialog open={secret !== null} onClose={() => setSecret(null)} onCloseAutoFocus={onCloseAutoFocus} closeWarning={SECRET_CLOSE_WARNING}>
        {(controls) => (secret ? <SigningSecret secret={secret} title="New signing secret" controls={controls} /> : null)}
      </SecretDialog>
      <ConfirmButton
        label="Delete"
        opener="section"
        title="Delete this endpoint?"
        description="Nothing more is sent to it, and its delivery log is deleted with it. This cannot be undone."
        confirmLabel="Delete endpoint"
        pendingLabel="Deleting…"
        destructive
        run={async () => {
          const result = await remove();
          if (result.ok) router.push(listPath);
          return result;
        }}
        failure="The endpoint could not be deleted. Try again."
      />
    </div>
  );
}

function EditEndpointButton({ endpoint, update }: Pick<EndpointActionsProps, "endpoint" | "update">) {
  const [open, setOpen] = useState(false);
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button variant="outline">Edit</Button>
      </DialogTrigger>
      <DialogContent className="max-h-[90vh] overflow-y-auto">{open && <EditEndpointForm endpoint={endpoint} update={update} onSaved={() => setOpen(false)} />}</DialogContent>
    </Dialog>
  );
}

function EditEndpointForm({ endpoint, update, onSaved }: Pick<EndpointActionsProps, "endpoint" | "update"> & { onSaved: () => void }) {
  const [state, action, pending] = useActionState(async (prev: NewSecretState, form: FormData) => {
    const next = await update(prev, form);
    if (next.ok) {
      toast.success(next.message ?? "Endpoint saved.");
      onSaved();
    }
    return next;
  }, { ok: false });
  const form = useRef<HTMLFormElement>(null);
  useFocusFirstError(form, state.fieldErrors);
  return (
    <form ref={form} action={action} noValidate className="grid gap-4">
      <DialogHeader>
        <DialogTitle>Edit endpoint</DialogTitle>
        <DialogDescription>Changes apply to the next event; deliveries already queued go to the URL they were made for.</DialogDescription>
      </DialogHeader>
      <FormMessage state={state} />
      <EndpointFields idPrefix="edit-webhook" values={state.data?.values ?? endpoint} errors={state.fieldErrors} />
      <DialogFooter>
        <DialogClose asChild>
          <Button variant="outline" type="button" disabled={pending}>
            Cancel
          </Button>
        </DialogClose>
        <SubmitButton pending={pending} pendingLabel="Saving…">
          Save
        </SubmitButton>
      </DialogFooter>
    </form>
  );
}
