"use client";

import { useActionState, useRef } from "react";
import { updateProfileAction } from "@/app/(dashboard)/settings/profile/actions";
import { FormField } from "@/components/forms/form-field";
import { SubmitButton } from "@/components/forms/submit-button";
import { useFocusFirstError } from "@/components/forms/use-focus-first-error";
import { FormMessage } from "./form-message";

/** The display name, as others see it in the admin pages and the audit log. */
export function ProfileNameForm({ name }: { name: string }) {
  const [state, action, pending] = useActionState(updateProfileAction, { ok: false });
  const form = useRef<HTMLFormElement>(null);
  useFocusFirstError(form, state.fieldErrors);
  return (
    <form ref={form} action={action} noValidate aria-labelledby="name-form-heading" className="grid gap-4 rounded-lg border p-4">
      <h3 id="name-form-heading" className="font-medium">
        Display name
      </h3>
      <FormMessage state={state} />
      <FormField
        id="profile-name"
        name="name"
        label="Name"
        autoComplete="name"
        required
        maxLength={80}
        // Keyed by the saved name, so the field shows what was saved (or what was typed, on an error).
        key={state.data?.name ?? name}
        defaultValue={state.data?.name ?? name}
        error={state.fieldErrors?.name}
      />
      <div>
        <SubmitButton pending={pending} pendingLabel="Saving…">
          Save name
        </SubmitButton>
      </div>
    </form>
  );
}
