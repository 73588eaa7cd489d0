"use client";

import { Loader2Icon } from "lucide-react";
import { useState, useTransition } from "react";
import { toast } from "sonner";
import { changeMemberRoleAction, removeMemberAction } from "@/app/(dashboard)/t/[slug]/settings/members/actions";
import { ConfirmButton } from "@/components/forms/confirm-button";
import { Button } from "@/components/ui/button";
import { NativeSelect } from "@/components/ui/native-select";
import { TEAM_ROLE_LABELS, type TeamRole } from "@/lib/teams/roles";
import type { MemberView } from "./member-view";

/**
 * A member's role: a select of the roles the viewer may give, and a button that saves it (a
 * select that acted on every arrow key would change roles while a keyboard user browses them).
 */
export function RoleControl({ slug, member, choices }: { slug: string; member: MemberView; choices: TeamRole[] }) {
  const [role, setRole] = useState<TeamRole>(member.role);
  const [pending, startTransition] = useTransition();
  const id = `role-${member.userId}`;
  function save() {
    startTransition(async () => {
      const result = await changeMemberRoleAction(slug, { userId: member.userId, role });
      if (result.ok) toast.success(result.message);
      else {
        toast.error(result.message ?? "The role could not be changed. Try again.");
        setRole(member.role);
      }
    });
  }
  return (
    <div className="flex flex-wrap items-center gap-2">
      <label htmlFor={id} className="sr-only">
        Role of {member.name} ({member.email})
      </label>
      <NativeSelect id={id} value={role} onChange={(e) => setRole(e.currentTarget.value as TeamRole)} className="h-8 w-28 sm:w-32" disabled={pending}>
        {choices.map((r) => (
          <option key={r} value={r}>
            {TEAM_ROLE_LABELS[r]}
          </option>
        ))}
      </NativeSelect>
      {role !== member.role && (
        <Button size="sm" variant="outline" onClick={save} disabled={pending} aria-label={`Save role of ${member.email}`}>
          {pending && <Loader2Icon className="animate-spin" aria-hidden />}
          {pending ? "Saving…" : "Save"}
        </Button>
      )}
    </div>
  );
}

/** Removes a member after a confirmation naming them; the dialog closes only on success. */
export function RemoveMemberButton({ slug, member, teamName }: { slug: string; member: MemberView; teamName: string }) {
  return (
    <ConfirmButton
      label="Remove"
      name={`Remove ${member.email}`}
      title={`Remove ${member.email} from ${teamName}?`}
      description="They lose access to the team's keys and members at once. The team's keys keep working. You can add them again later."
      confirmLabel="Remove member"
      pendingLabel="Removing…"
      destructive
      openerClassName=""
      run={() => removeMemberAction(slug, { userId: member.userId })}
      failure="The member could not be removed. Try again."
    />
  );
}
