"use server";

// The API Keys page's server actions: thin adapters over the key commands (lib/commands/keys.ts),
// which own every permission and policy check. Each parses its form, calls one command and maps
// the result to the form's state (the bodies, shared with a team's page: ./key-action-bodies.ts).
import { withUser } from "@/lib/action";
import type { ActionState } from "@/lib/action-state";
import { createKeyBody, deleteKeyBody, revokeKeyBody, rotateKeyBody, updateKeyBody, type CreatedKey, type KeyPages } from "./key-action-bodies";

export type { CreatedKey } from "./key-action-bodies";

const PAGES: KeyPages = { list: "/settings/api-keys", key: (id) => `/settings/api-keys/${id}` };

/**
 * Creates a key for the signed-in user. The response is the only place the plaintext ever
 * travels; the dialog keeps it in component state and drops it on close.
 */
export async function createApiKeyAction(_prev: ActionState<CreatedKey>, form: FormData): Promise<ActionState<CreatedKey>> {
  return withUser("createApiKey", ({ db, actor }) => createKeyBody(db, actor, PAGES, form));
}

/** Renames, re-describes, re-scopes or re-dates one of the user's keys. */
export async function updateApiKeyAction(id: string, _prev: ActionState, form: FormData): Promise<ActionState> {
  return withUser("updateApiKey", ({ db, actor }) => updateKeyBody(db, actor, PAGES, id, form));
}

/** A new secret for the same key; the old one keeps working for the chosen grace period. */
export async function rotateApiKeyAction(id: unknown, grace: unknown): Promise<ActionState<CreatedKey>> {
  return withUser("rotateApiKey", ({ db, actor }) => rotateKeyBody(db, actor, PAGES, id, grace));
}

/** Stops the key working at once; it stays in the owner's list, marked Revoked. */
export async function revokeApiKeyAction(id: unknown): Promise<ActionState> {
  return withUser("revokeApiKey", ({ db, actor }) => revokeKeyBody(db, actor, PAGES, id));
}

/** Revokes the key (if it still worked) and removes it from the owner's list. Another user's id is "not found". */
export async function deleteApiKeyAction(id: unknown): Promise<ActionState> {
  return withUser("deleteApiKey", ({ db, actor }) => deleteKeyBody(db, actor, PAGES, id));
}
