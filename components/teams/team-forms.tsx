"use client";

import { useActionState, useRef } from "react";
import { addMemberAction } from "@/app/(dashboard)/t/[slug]/settings/members/actions";
import { FormMessage } from "@/components/forms/form-message";
import { FormField } from "@/components/forms/form-field";
import { SubmitButton } from "@/components/forms/submit-button";
import { useFocusFirstError } from "@/components/forms/use-focus-first-error";
import { Label } from "@/components/ui/label";
import { NativeSelect } from "@/components/ui/native-select";
import { TEAM_ROLE_LABELS, type TeamRole } from "@/lib/teams/roles";

/** Adds someone who already has an account here, by their email, with a role the viewer may give. */
export function AddMemberForm({ slug, roles }: { slug: string; roles: TeamRole[] }) {
  const [state, action, pending] = useActionState(addMemberAction.bind(null, slug), { ok: false });
  const form = useRef<HTMLFormElement>(null);
  useFocusFirstError(form, state.fieldErrors);
  const typed = state.ok ? undefined : state.data;
  return (
    <form ref={form} action={action} noValidate aria-labelledby="add-member-heading" className="grid gap-4 rounded-lg border p-4">
      <h2 id="add-member-heading" className="font-medium">
        Add a member
      </h2>
      <FormMessage state={state} />
      <div className="grid gap-4 sm:grid-cols-[minmax(0,1fr)_12rem]">
        <FormField
          id="member-email"
          name="email"
          type="email"
          label="Email"
          autoComplete="off"
          required
          maxLength={254}
          key={state.ok ? state.message : "typed"}
          defaultValue={typed?.email}
          hint="They need an account here already: ask them to sign up, or an instance administrator to invite them."
          error={state.fieldErrors?.email}
        />
        <div className="grid content-start gap-2">
          <Label htmlFor="member-role">Role</Label>
          <NativeSelect id="member-role" name="role" defaultValue={typed?.role ?? "developer"} aria-describedby="member-role-hint">
            {roles.map((r) => (
              <option key={r} value={r}>
                {TEAM_ROLE_LABELS[r]}
              </option>
            ))}
          </NativeSelect>
          <p id="member-role-hint" className="text-xs text-muted-foreground">
            Admins manage members; developers manage the team&apos;s keys; viewers only look.
          </p>
        </div>
      </div>
      <div>
        <SubmitButton pending={pending} pendingLabel="Adding…">
          Add member
        </SubmitButton>
      </div>
    </form>
  );
}
