import { eq, type SQL } from "drizzle-orm";
import type { Database } from "../client";
import { apiKeys } from "../schema";

type Tx = Parameters<Parameters<Database["transaction"]>[0]>[0];

/**
 * A team as the owner of the keys a key query reads or changes. `actorId` is the member acting for
 * it (null: a team key acting through the API, which is no person). `authorize` runs first inside
 * every transaction that changes a team key, before any key row is read: the command's permission
 * check on the membership as locked then (lib/commands/keys.ts), so a member removed or demoted
 * meanwhile is refused.
 */
export type TeamKeyOwner = { teamId: string; actorId: string | null; authorize?: (tx: Tx) => Promise<void> };

/**
 * Whose keys: a person, by their user id (who is also the actor, exactly as before teams), or a
 * team. A person's keys are `user_id = X`, which a team key (user_id null) never matches: a team key
 * is never reached through the person who created it.
 */
export type KeyOwner = string | TeamKeyOwner;

export function isTeamOwner(owner: KeyOwner): owner is TeamKeyOwner {
  return typeof owner !== "string";
}

/** The owner in the same WHERE as the id. */
export function ownedBy(owner: KeyOwner): SQL {
  return isTeamOwner(owner) ? eq(apiKeys.teamId, owner.teamId) : eq(apiKeys.userId, owner);
}

/** Who the audit row and the rotation row name as the actor. */
export function ownerActorId(owner: KeyOwner): string | null {
  return isTeamOwner(owner) ? owner.actorId : owner;
}

/** The owner columns of a new key: its owner, and who made it. */
export function ownerValues(owner: KeyOwner): { userId: string | null; teamId: string | null; createdBy: string | null } {
  return isTeamOwner(owner) ? { userId: null, teamId: owner.teamId, createdBy: owner.actorId } : { userId: owner, teamId: null, createdBy: owner };
}

/** Every audit row about a team key names the team. */
export function ownerAuditMetadata(owner: KeyOwner): { teamId?: string } {
  return isTeamOwner(owner) ? { teamId: owner.teamId } : {};
}

/** The team owner's check, first in the transaction (a person owns their keys: nothing to check). */
export async function authorizeOwner(tx: Tx, owner: KeyOwner): Promise<void> {
  if (isTeamOwner(owner)) await owner.authorize?.(tx);
}
