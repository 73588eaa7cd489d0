"use client";

import { useActionState, useRef, useState } from "react";
import { createTeamAction } from "@/app/(dashboard)/t/new/actions";
import { FormMessage } from "@/components/forms/form-message";
import { FormField } from "@/components/forms/form-field";
import { SubmitButton } from "@/components/forms/submit-button";
import { useFocusFirstError } from "@/components/forms/use-focus-first-error";
import { PLACES } from "@/lib/glossary";
import { TEAM_SLUG_MAX, suggestSlug } from "@/lib/teams/slug";
import { TEAM_NAME_MAX } from "@/lib/validation/team.schema";

/**
 * A team's name and its address. The address follows the name (suggestSlug) until it is edited by
 * hand; the server checks both again (lib/commands/teams.ts) and says when the address is taken.
 */
export function CreateTeamForm() {
  const [state, action, pending] = useActionState(createTeamAction, { ok: false });
  const form = useRef<HTMLFormElement>(null);
  useFocusFirstError(form, state.fieldErrors);
  const [slug, setSlug] = useState(state.data?.slug ?? "");
  const [edited, setEdited] = useState(false);
  return (
    <form ref={form} action={action} noValidate className="grid max-w-xl gap-4 rounded-lg border p-4">
      <FormMessage state={state} />
      <FormField
        id="team-name"
        name="name"
        label="Team name"
        required
        maxLength={TEAM_NAME_MAX}
        defaultValue={state.data?.name}
        error={state.fieldErrors?.name}
        onChange={(e) => {
          if (!edited) setSlug(suggestSlug(e.currentTarget.value));
        }}
      />
      <FormField
        id="team-slug"
        name="slug"
        label="Address"
        required
        maxLength={TEAM_SLUG_MAX}
        autoCapitalize="none"
        autoCorrect="off"
        spellCheck={false}
        value={slug}
        onChange={(e) => {
          setEdited(true);
          setSlug(e.currentTarget.value);
        }}
        hint={`The team's pages live at /t/${slug || "your-team"}. 2–40 lower-case letters, digits and hyphens.`}
        error={state.fieldErrors?.slug}
      />
      <div>
        <SubmitButton pending={pending} pendingLabel="Creating…">
          {PLACES.createTeam}
        </SubmitButton>
      </div>
    </form>
  );
}
