"use server";

// The team members page's server actions: thin adapters over lib/commands/teams.ts, which re-reads
// the caller's membership, locked, in the transaction that changes the row. The slug comes from
// the page as the first argument; the command treats it as untrusted input like the rest.
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { withUser } from "@/lib/action";
import type { ActionState } from "@/lib/action-state";
import { addMember, changeRole, deleteTeam, leaveTeam, removeMember, renameTeam, transferOwnership } from "@/lib/commands/teams";
import { TEAM_ROLE_LABELS } from "@/lib/teams/roles";

const field = (form: FormData, name: string) => {
  const value = form.get(name);
  return typeof value === "string" ? value : undefined;
};
const refresh = (slug: string) => revalidatePath(`/t/${slug}`, "layout");

/** Adds an existing account by email with a role; what was typed comes back with an error. */
export async function addMemberAction(slug: string, _prev: ActionState<{ email?: string; role?: string }>, form: FormData): Promise<ActionState<{ email?: string; role?: string }>> {
  const typed = { email: field(form, "email"), role: field(form, "role") };
  const state = await withUser<{ email?: string; role?: string }>("addTeamMember", async ({ db, actor }) => {
    const added = await addMember(db, actor, slug, typed);
    refresh(String(slug));
    return { ok: true, message: `${added.email} is now a member, as ${TEAM_ROLE_LABELS[added.role].toLowerCase()}.` };
  });
  return state.ok ? state : { ...state, data: typed };
}

export async function changeMemberRoleAction(slug: string, input: { userId: string; role: string }): Promise<ActionState> {
  return withUser("changeTeamMemberRole", async ({ db, actor }) => {
    const changed = await changeRole(db, actor, slug, input);
    refresh(String(slug));
    return { ok: true, message: `${changed.email} is now ${TEAM_ROLE_LABELS[changed.role].toLowerCase()}.` };
  });
}

export async function removeMemberAction(slug: string, input: { userId: string }): Promise<ActionState> {
  return withUser("removeTeamMember", async ({ db, actor }) => {
    const removed = await removeMember(db, actor, slug, input);
    refresh(String(slug));
    return { ok: true, message: `${removed.email} was removed from the team.` };
  });
}

export async function transferOwnershipAction(slug: string, input: { userId: string; stepDown: boolean }): Promise<ActionState> {
  return withUser("transferTeamOwnership", async ({ db, actor }) => {
    const target = await transferOwnership(db, actor, slug, input);
    refresh(String(slug));
    return { ok: true, message: `${target.email} is now an owner${input?.stepDown ? "; you are an admin" : ""}.` };
  });
}

export async function renameTeamAction(slug: string, _prev: ActionState<{ name?: string }>, form: FormData): Promise<ActionState<{ name?: string }>> {
  const name = field(form, "name");
  const state = await withUser("renameTeam", async ({ db, actor }) => {
    const team = await renameTeam(db, actor, slug, { name });
    revalidatePath("/", "layout");
    return { ok: true, message: `The team is now called “${team.name}”.`, data: { name: team.name } };
  });
  return state.ok ? state : { ...state, data: { name } };
}

/** Leaves the team, then goes back to the personal keys (the team's pages answer not found now). */
export async function leaveTeamAction(slug: string): Promise<ActionState> {
  const state = await withUser<undefined>("leaveTeam", async ({ db, actor }) => {
    await leaveTeam(db, actor, slug);
    return { ok: true };
  });
  if (!state.ok) return state;
  revalidatePath("/", "layout");
  redirect("/settings/api-keys");
}

export async function deleteTeamAction(slug: string, _prev: ActionState, form: FormData): Promise<ActionState> {
  const state = await withUser<undefined>("deleteTeam", async ({ db, actor }) => {
    await deleteTeam(db, actor, slug, { confirmSlug: field(form, "confirmSlug") });
    return { ok: true };
  });
  if (!state.ok) return state;
  revalidatePath("/", "layout");
  redirect("/settings/api-keys");
}
