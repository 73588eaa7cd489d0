"use client";

import { useActionState } from "react";
import { FormMessage } from "@/components/forms/form-message";
import { SubmitButton } from "@/components/forms/submit-button";
import type { ActionState } from "@/lib/action-state";

type SaveAction = (state: ActionState, form: FormData) => Promise<ActionState>;

/**
 * Which notifications are also mailed: one checkbox per kind, all on until turned off. Without SMTP
 * the deployment mails nothing, and the form says so instead of offering choices that do nothing.
 */
export function MailSettingsForm({ action: save, kinds, mailAvailable }: { action: SaveAction; kinds: { kind: string; label: string; mail: boolean }[]; mailAvailable: boolean }) {
  const [state, action, pending] = useActionState(save, { ok: false });
  return (
    <form action={action} aria-labelledby="mail-heading" className="grid gap-4 rounded-lg border p-4">
      <div>
        <h3 id="mail-heading" className="font-medium">
          Email
        </h3>
        <p className="text-sm text-muted-foreground">
          {mailAvailable
            ? "Each notification is shown here; choose which are also mailed to you."
            : "This deployment does not send mail (an administrator sets SMTP_URL to turn it on), so notifications are shown here only."}
        </p>
      </div>
      <FormMessage state={state} />
      <fieldset disabled={!mailAvailable} className="grid gap-2 disabled:opacity-60">
        <legend className="sr-only">Mail me when</legend>
        {kinds.map(({ kind, label, mail }) => (
          <label key={kind} className="flex items-center gap-2 text-sm">
            <input type="checkbox" name="mail" value={kind} defaultChecked={mail} className="size-4 accent-primary" />
            {label}
          </label>
        ))}
      </fieldset>
      <div>
        <SubmitButton pending={pending} pendingLabel="Saving…" disabled={!mailAvailable}>
          Save
        </SubmitButton>
      </div>
    </form>
  );
}
