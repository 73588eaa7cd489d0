"use server";

// A team's API Keys page's server actions: the personal page's (../../../../settings/api-keys),
// for the team at `slug`. `actingForTeam` finds the team the caller belongs to (team_not_found for
// anyone else); the key command then re-reads the caller's role, locked, in the transaction that
// changes the key (a viewer is refused: team_keys_read_only). The slug is the first argument,
// bound by the page, and as untrusted as the rest.
import { withUser } from "@/lib/action";
import type { ActionState } from "@/lib/action-state";
import { actingForTeam } from "@/lib/commands/keys";
import {
  createKeyBody,
  deleteKeyBody,
  revokeKeyBody,
  rotateKeyBody,
  updateKeyBody,
  type CreatedKey,
  type KeyPages,
} from "@/app/(dashboard)/settings/api-keys/key-action-bodies";

const pages = (slug: string): KeyPages => ({ list: `/t/${slug}/settings/api-keys`, key: (id) => `/t/${slug}/settings/api-keys/${id}` });

export async function createTeamApiKeyAction(slug: string, _prev: ActionState<CreatedKey>, form: FormData): Promise<ActionState<CreatedKey>> {
  return withUser("createTeamApiKey", async ({ db, actor }) => createKeyBody(db, await actingForTeam(db, actor, slug), pages(slug), form));
}

export async function updateTeamApiKeyAction(slug: string, id: string, _prev: ActionState, form: FormData): Promise<ActionState> {
  return withUser("updateTeamApiKey", async ({ db, actor }) => updateKeyBody(db, await actingForTeam(db, actor, slug), pages(slug), id, form));
}

export async function rotateTeamApiKeyAction(slug: string, id: unknown, grace: unknown): Promise<ActionState<CreatedKey>> {
  return withUser("rotateTeamApiKey", async ({ db, actor }) => rotateKeyBody(db, await actingForTeam(db, actor, slug), pages(slug), id, grace));
}

export async function revokeTeamApiKeyAction(slug: string, id: unknown): Promise<ActionState> {
  return withUser("revokeTeamApiKey", async ({ db, actor }) => revokeKeyBody(db, await actingForTeam(db, actor, slug), pages(slug), id));
}

export async function deleteTeamApiKeyAction(slug: string, id: unknown): Promise<ActionState> {
  return withUser("deleteTeamApiKey", async ({ db, actor }) => deleteKeyBody(db, await actingForTeam(db, actor, slug), pages(slug), id));
}
