"use client";

import { useActionState, useRef } from "react";
import type { ActionState } from "@/lib/action-state";
import { FormField } from "./form-field";
import { FormMessage } from "./form-message";
import { SubmitButton } from "./submit-button";
import { useFocusFirstError } from "./use-focus-first-error";

type NameAction = (state: ActionState<{ name?: string }>, formData: FormData) => Promise<ActionState<{ name?: string }>>;

/**
 * A form that saves one name (a person's display name, a team's name): a heading, the field keyed
 * by the saved value (so it shows what was saved, or what was typed on an error), the outcome.
 */
export function NameForm({
  action: save,
  id,
  heading,
  headingLevel: Heading = "h2",
  value,
  maxLength,
  hint,
  autoComplete,
}: {
  action: NameAction;
  /** The field's id; the heading's is derived from it. */
  id: string;
  heading: string;
  headingLevel?: "h2" | "h3";
  value: string;
  maxLength: number;
  hint?: string;
  autoComplete?: string;
}) {
  const [state, action, pending] = useActionState(save, { ok: false });
  const form = useRef<HTMLFormElement>(null);
  useFocusFirstError(form, state.fieldErrors);
  const saved = state.data?.name ?? value;
  return (
    <form ref={form} action={action} noValidate aria-labelledby={`${id}-heading`} className="grid gap-4 rounded-lg border p-4">
      <Heading id={`${id}-heading`} className="font-medium">
        {heading}
      </Heading>
      <FormMessage state={state} />
      <FormField
        id={id}
        name="name"
        label="Name"
        autoComplete={autoComplete}
        required
        maxLength={maxLength}
        key={saved}
        defaultValue={saved}
        hint={hint}
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
