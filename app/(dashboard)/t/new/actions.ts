"use server";

// Creating a team: a thin adapter over createTeam (lib/commands/teams.ts), which validates the
// fields and makes the creator the team's owner.
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { withUser } from "@/lib/action";
import type { ActionState } from "@/lib/action-state";
import { createTeam } from "@/lib/commands/teams";

type Typed = { name?: string; slug?: string };

const field = (form: FormData, name: string) => {
  const value = form.get(name);
  return typeof value === "string" ? value : undefined;
};

/** Creates the team and opens its members page; what was typed comes back with an error. */
export async function createTeamAction(_prev: ActionState<Typed>, form: FormData): Promise<ActionState<Typed>> {
  const typed = { name: field(form, "name"), slug: field(form, "slug") };
  let slug: string | null = null;
  const state = await withUser<Typed>("createTeam", async ({ db, actor }) => {
    const team = await createTeam(db, actor, typed);
    slug = team.slug;
    return { ok: true };
  });
  if (!state.ok || !slug) return { ...state, data: typed };
  revalidatePath("/", "layout");
  redirect(`/t/${slug}/settings/members`);
}
