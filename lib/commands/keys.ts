import "server-only";
// The key commands: the one place that decides whether an actor may read, create, change, rotate,
// revoke or delete a key. Server actions (app/(dashboard)/settings/api-keys/actions.ts) and the
// /api/v1 handlers are thin adapters over these: they parse their input, call a command and map
// its result. Every permission and policy check that depends on the key runs inside the
// transaction that changes it, on the row as locked (the `guard` of db/queries), so a check can
// never be judged on a row that changes before the write.
import type { Database } from "@/db";
import { createApiKey, getApiKey, listApiKeys, updateApiKey, type ApiKeySummary } from "@/db/queries/api-keys";
import { deleteApiKey, revokeApiKey } from "@/db/queries/key-revocation";
import type { KeyOwner } from "@/db/queries/key-owner";
import { getKeyCreator, type KeyCreator } from "@/db/queries/api-key-list";
import { listRotations, revokeLeakedKeys, rotateApiKey } from "@/db/queries/rotations";
import { lockTeamPolicy } from "@/db/queries/team-policy";
import { usageForKey } from "@/db/queries/usage";
import { lockLiveTeam, lockMembershipById, membershipOf } from "@/db/queries/teams";
import type { RequestContext } from "../audit-events";
import { appNow } from "../clock";
import { AppError } from "../errors";
import { mailConfigured } from "../mail";
import {
  assertCurrentSecret,
  assertExpiryAllowed,
  assertMayGrant,
  assertMayGrantAllowlist,
  assertMayManage,
  assertMayChangeAllowlist,
  assertMayRotate,
  assertMayRotateAllowlist,
  assertMayWiden,
  defaultExpiry,
} from "../keys/rules";
import { GRACE_PERIODS, type GracePeriod } from "../keys/grace";
import { assertRecentAuthentication } from "../accounts/step-up";
import { normalizeScopes, type Access, type Scope } from "../scopes";
import { getSecrets } from "../secrets";
import {
  accessOfScopes,
  assertMayRotateUnderPolicy,
  assertNoApprovalNeeded,
  assertTeamExpiry,
  assertIpsForFull,
  assertTeamScopes,
  type TeamPolicy,
} from "../teams/policy";
import { canManageTeamKeys, canViewTeam, type TeamRole } from "../teams/roles";
import { isTeamSlug } from "../teams/slug";
import { uuidSchema } from "../validation/common";
import type { Actor, KeyActor } from "./actor";

export type { Actor, CallerKey, KeyActor, TeamRef } from "./actor";

type Tx = Parameters<Parameters<Database["transaction"]>[0]>[0];

/** A team key change's judge: the role it was made with (null: a team key) and the team's policy, as locked. */
type TeamJudgement = { role: TeamRole | null; policy: TeamPolicy };

/**
 * Whose keys the actor's command acts on, and the team check that runs first inside the
 * transaction. A person without `team`: their own keys (user_id = them, as ever). A person for a
 * team: their membership, read and share-locked in that transaction; a non-member (or a deleted
 * team) learns nothing (key not found), a viewer may only read (canViewTeam / canManageTeamKeys).
 * A team key through the API: its team's keys while the team exists, within the key's own limits
 * (the guards below). For a change, the team's policy is read there too, locked (lockTeamPolicy),
 * and `judged` hands it, with the role, to the command's guard (lib/teams/policy.ts).
 */
function ownerFor(actor: KeyActor, need: "view" | "manage"): KeyOwner {
  return judgedOwnerFor(actor, need).owner;
}

function judgedOwnerFor(actor: KeyActor, need: "view" | "manage"): { owner: KeyOwner; judged: () => TeamJudgement | null } {
  let judgement: TeamJudgement | null = null;
  const judged = () => judgement;
  if (!actor.team) return { owner: actor.userId!, judged };
  const teamId = actor.team.id;
  const userId = actor.userId;
  const readPolicy = async (tx: Tx, role: TeamRole | null) => {
    const locked = await lockTeamPolicy(tx, teamId);
    if (!locked) throw new AppError("key_not_found");
    judgement = { role, policy: locked.policy };
  };
  if (userId === null) {
    return {
      owner: {
        teamId,
        actorId: null,
        authorize: async (tx) => {
          if (need === "view") {
            if (!(await lockLiveTeam(tx, teamId))) throw new AppError("key_not_found");
          } else await readPolicy(tx, null);
        },
      },
      judged,
    };
  }
  return {
    owner: {
      teamId,
      actorId: userId,
      authorize: async (tx) => {
        const membership = await lockMembershipById(tx, teamId, userId);
        if (!membership || !canViewTeam(membership.role)) throw new AppError("key_not_found");
        if (need === "manage" && !canManageTeamKeys(membership.role)) throw new AppError("team_keys_read_only");
        if (need === "manage") await readPolicy(tx, membership.role);
      },
    },
    judged,
  };
}

/**
 * A dashboard session acting for the team at `slug` (the /t/<slug> pages' actions), as the KeyActor
 * the commands below take. The slug is untrusted input: a malformed or unknown one, a deleted team
 * and a team the person is not in all answer team_not_found alike (a non-member learns nothing).
 * This read only finds the team: the role that decides is read again, locked, inside the
 * transaction of each command (ownerFor), so a member removed or demoted since is judged as now.
 */
export async function actingForTeam(db: Database, actor: Actor, slug: unknown): Promise<KeyActor> {
  if (actor.key || !isTeamSlug(slug)) throw new AppError("team_not_found");
  const membership = await membershipOf(db, slug, actor.userId);
  if (!membership) throw new AppError("team_not_found");
  return { ...actor, team: { id: membership.team.id } };
}

/** A read of the actor's keys, after the same owner check, in one transaction (one consistent view). */
async function readAs<T>(db: Database, actor: KeyActor, read: (db: Database, owner: KeyOwner) => Promise<T>): Promise<T> {
  const owner = ownerFor(actor, "view");
  if (typeof owner === "string") return read(db, owner);
  return db.transaction(async (tx: Tx) => {
    await owner.authorize?.(tx);
    return read(tx as unknown as Database, owner);
  });
}

/** What a caller asks for in a new key. Omitted expiry: the default lifetime; null: never. */
export type CreateKeyRequest = {
  name: string;
  description?: string | null;
  scopes: readonly string[];
  /** The access the user chose in the form; derived from the scopes when absent (the API). */
  access?: Access;
  expiresAt?: Date | null;
  /** Canonical entries (lib/validation/allowed-ips.ts); omitted or null: any address. */
  allowedIps?: string[] | null;
};

export type UpdateKeyRequest = {
  name?: string;
  /** undefined keeps the description; "" or null clears it. */
  description?: string | null;
  scopes?: readonly string[];
  access?: Access;
  /** undefined keeps the expiry; null: never expires. */
  expiresAt?: Date | null;
  /** undefined keeps the allowed IPs; null: any address. */
  allowedIps?: string[] | null;
};

export type KeyWithSecret = { key: ApiKeySummary; secret: string };

/** A key id from a URL or a form. Anything that is not one answers like a key of someone else: not found. */
export function keyIdOrNotFound(id: unknown): string {
  const parsed = uuidSchema.safeParse(id);
  if (!parsed.success) throw new AppError("key_not_found");
  return parsed.data;
}

/** An empty description is stored as no description (null), wherever it comes from. */
function normalizeDescription(description: string | null | undefined): string | null | undefined {
  return description === undefined ? undefined : description || null;
}

/** Stored scopes are sorted, with write implying read; `access` keeps the user's choice when given. */
function resolveScopes(scopes: readonly string[], access?: Access): { access: Access; scopes: Scope[] } {
  const normalized = normalizeScopes(scopes as Scope[]);
  return { access: access ?? normalized.access, scopes: normalized.scopes };
}

export async function listKeys(db: Database, actor: KeyActor, page: { limit?: number; offset?: number } = {}): Promise<ApiKeySummary[]> {
  return readAs(db, actor, (db, owner) => listApiKeys(db, owner, page));
}

export async function getKey(db: Database, actor: KeyActor, id: unknown): Promise<ApiKeySummary> {
  const keyId = keyIdOrNotFound(id);
  return readAs(db, actor, (db, owner) => getApiKey(db, owner, keyId));
}

/** What a key's own page shows: the key, its rotations, its daily counts and, for a team key, who created it. */
export type KeyDetails = {
  key: ApiKeySummary;
  rotations: Awaited<ReturnType<typeof listRotations>>;
  usage: Awaited<ReturnType<typeof usageForKey>>;
  /** A team key only (undefined for a person's own key): its creator, null when made through the API or the account is gone. */
  createdBy?: KeyCreator;
};

/**
 * A key's page (personal or a team's), read in one view after the owner check: a key of someone
 * else, of another team, or a personal key asked for as a team's answers key_not_found.
 */
export async function getKeyDetails(db: Database, actor: KeyActor, id: unknown, days = 30): Promise<KeyDetails> {
  const keyId = keyIdOrNotFound(id);
  return readAs(db, actor, async (db, owner) => {
    const key = await getApiKey(db, owner, keyId);
    // One after another: inside a transaction there is one connection.
    const rotations = await listRotations(db, owner, keyId);
    const usage = await usageForKey(db, keyId, days);
    const createdBy = typeof owner === "string" ? undefined : await getKeyCreator(db, owner, keyId);
    return { key, rotations, usage, ...(createdBy === undefined ? {} : { createdBy }) };
  });
}

/** Every scope there is, however the caller named the choice. */
function isFullAccess(scopes: readonly Scope[]): boolean {
  return normalizeScopes(scopes).access === "full";
}

/**
 * Creates a key and returns its secret: the only time the plaintext exists outside a hash. The
 * deployment's rule first (an invalid expiry is 422 whoever asks), then the caller's limits (403).
 * A Full-access key from a session needs a recent authentication (step-up).
 */
export async function createKey(db: Database, actor: KeyActor, request: CreateKeyRequest): Promise<KeyWithSecret> {
  const { access, scopes } = resolveScopes(request.scopes, request.access);
  if (isFullAccess(scopes)) assertRecentAuthentication(actor);
  const expiresAt = request.expiresAt === undefined ? defaultExpiry(appNow(actor.clockOffsetMs)) : request.expiresAt;
  const allowedIps = request.allowedIps && request.allowedIps.length > 0 ? request.allowedIps : null;
  const { owner, judged } = judgedOwnerFor(actor, "manage");
  return createApiKey(
    db,
    owner,
    { name: request.name, description: normalizeDescription(request.description) ?? null, access, scopes, expiresAt, allowedIps },
    actor.context,
    getSecrets().keyPepper,
    actor.key ? { keyId: actor.key.id } : undefined,
    () => {
      assertExpiryAllowed(expiresAt);
      assertMayGrant(actor.key, { scopes, expiresAt });
      assertMayGrantAllowlist(actor.key, allowedIps);
      const team = judged();
      if (team) {
        assertTeamExpiry(expiresAt, team.policy, undefined, appNow(actor.clockOffsetMs));
        assertTeamScopes(team.role, team.policy, scopes);
        assertNoApprovalNeeded(team.role, team.policy, scopes);
        assertIpsForFull(team.policy, scopes, allowedIps);
      }
    },
  );
}

/**
 * Renames, re-describes, re-scopes, re-dates or re-limits (allowed IPs) a key. The maximum lifetime counts from the key's
 * creation; a revoked or expired key cannot be changed (409). Through a key: the target's scopes
 * must be the caller's, new scopes and expiry within the caller's, and a key that outlives the
 * caller gains no scopes from it; its allowed IPs only narrowed or set within the caller's own
 * (lib/keys/rules.ts). From a session, widening a key to Full access needs a recent
 * authentication (step-up), like creating one.
 */
export async function updateKey(db: Database, actor: KeyActor, id: unknown, request: UpdateKeyRequest): Promise<ApiKeySummary> {
  const keyId = keyIdOrNotFound(id);
  const scoped = request.scopes ? resolveScopes(request.scopes, request.access) : undefined;
  const allowedIps = request.allowedIps === undefined ? undefined : request.allowedIps?.length ? request.allowedIps : null;
  const { owner, judged } = judgedOwnerFor(actor, "manage");
  return updateApiKey(
    db,
    owner,
    keyId,
    {
      name: request.name,
      description: normalizeDescription(request.description),
      access: scoped?.access,
      scopes: scoped?.scopes,
      expiresAt: request.expiresAt,
      allowedIps,
    },
    actor.context,
    {
      viaKeyId: actor.key?.id,
      clockOffsetMs: actor.clockOffsetMs,
      guard: (target) => {
        assertExpiryAllowed(request.expiresAt, target, appNow(actor.clockOffsetMs));
        assertMayManage(actor.key, target);
        assertMayGrant(actor.key, { scopes: scoped?.scopes, expiresAt: request.expiresAt });
        assertMayWiden(actor.key, target, scoped?.scopes);
        assertMayChangeAllowlist(actor.key, target, allowedIps);
        const team = judged();
        if (team) {
          // Editing must not escape the team's policy: no expiry beyond its lifetime (counted from
          // the key's creation), no scopes outside the developers' set, no access raised past the
          // approval threshold by someone it binds, no Full-access key left without its IP list.
          assertTeamExpiry(request.expiresAt, team.policy, target, appNow(actor.clockOffsetMs));
          if (scoped) {
            assertTeamScopes(team.role, team.policy, scoped.scopes);
            assertNoApprovalNeeded(team.role, team.policy, scoped.scopes, accessOfScopes(target.scopes));
          }
          if (scoped || allowedIps !== undefined) {
            assertIpsForFull(team.policy, scoped?.scopes ?? target.scopes, allowedIps === undefined ? target.allowedIps : allowedIps);
          }
        }
        if (scoped && isFullAccess(scoped.scopes) && !isFullAccess(target.scopes as Scope[])) {
          assertRecentAuthentication(actor);
        }
      },
    },
  );
}

/**
 * A new secret for the same key; the old one keeps working for the grace period (never past the
 * key's expiry). Through a key: only its current secret may rotate, only keys within its scopes,
 * and never a key that outlives it (the new secret would outlive the caller), except itself.
 * From a session: only after a recent authentication (step-up).
 */
export async function rotateKey(
  db: Database,
  actor: KeyActor,
  id: unknown,
  grace: GracePeriod,
): Promise<KeyWithSecret & { graceUntil: Date }> {
  assertCurrentSecret(actor.key);
  const keyId = keyIdOrNotFound(id);
  assertRecentAuthentication(actor);
  const { owner, judged } = judgedOwnerFor(actor, "manage");
  return rotateApiKey(
    db,
    owner,
    keyId,
    {
      graceMs: GRACE_PERIODS[grace].ms,
      via: actor.key ? "api" : "dashboard",
      viaKeyId: actor.key?.id,
      clockOffsetMs: actor.clockOffsetMs,
      guard: (target) => {
        assertMayManage(actor.key, target);
        assertMayRotate(actor.key, target);
        assertMayRotateAllowlist(actor.key, target);
        const team = judged();
        if (team) assertMayRotateUnderPolicy(team.role, team.policy, target.scopes);
      },
    },
    actor.context,
    getSecrets().keyPepper,
  );
}

/** Stops the key working at once; it stays in the owner's list, marked Revoked. */
export async function revokeKey(db: Database, actor: KeyActor, id: unknown): Promise<ApiKeySummary> {
  const keyId = keyIdOrNotFound(id);
  return revokeApiKey(db, ownerFor(actor, "manage"), keyId, actor.context, actor.key ? (target) => assertMayManage(actor.key, target) : undefined);
}

/**
 * Revokes the key (if it still worked) and removes it from the owner's list. Deleting a key that
 * outlives the caller is fine: it takes power away, hands none out.
 */
export async function deleteKey(db: Database, actor: KeyActor, id: unknown): Promise<ApiKeySummary> {
  const keyId = keyIdOrNotFound(id);
  return deleteApiKey(
    db,
    ownerFor(actor, "manage"),
    keyId,
    actor.context,
    actor.key ? { keyId: actor.key.id } : undefined,
    actor.key ? (target) => assertMayManage(actor.key, target) : undefined,
  );
}

/**
 * Revokes keys that a secret scanner (or anyone) reports as leaked: no actor, since whoever holds a
 * leaked secret may report it. Returns how many were revoked; callers must not tell the reporter.
 */
export async function reportLeakedKeys(db: Database, candidates: string[], context: RequestContext, source: string): Promise<number> {
  return revokeLeakedKeys(db, candidates, getSecrets().keyPepper, context, source, { mail: mailConfigured() });
}
