import { and, count, desc, eq, isNull, sql } from "drizzle-orm";
import type { RequestContext } from "@/lib/audit-events";
import { sqlNow } from "@/lib/clock";
import { AppError, isUniqueViolation } from "@/lib/errors";
import { generateKey, keyHint } from "@/lib/keys/format";
import { HASH_VERSION, hashKey } from "@/lib/keys/hash";
import { policy } from "@/lib/policy";
import type { Access } from "@/lib/scopes";
import type { Database } from "../client";
import { apiKeys, teams, users } from "../schema";
import { recordAudit } from "./audit";
import { authorizeOwner, isTeamOwner, ownedBy, ownerActorId, ownerAuditMetadata, ownerValues, type KeyOwner } from "./key-owner";
import { DB_NOW, keyUsableCondition } from "./key-status";

/**
 * What may leave the data layer about a key. The digest is deliberately absent: every read
 * selects exactly these columns, so a hash cannot reach a page or response by accident.
 */
export const apiKeyColumns = {
  id: apiKeys.id,
  name: apiKeys.name,
  description: apiKeys.description,
  hint: apiKeys.hint,
  access: apiKeys.access,
  scopes: apiKeys.scopes,
  createdAt: apiKeys.createdAt,
  lastUsedAt: apiKeys.lastUsedAt,
  expiresAt: apiKeys.expiresAt,
  revokedAt: apiKeys.revokedAt,
  revokedReason: apiKeys.revokedReason,
  lastUsedIp: apiKeys.lastUsedIp,
  secretCreatedAt: apiKeys.secretCreatedAt,
  allowedIps: apiKeys.allowedIps,
};

export type ApiKeySummary = {
  id: string;
  name: string;
  description: string | null;
  hint: string;
  access: Access;
  scopes: string[];
  createdAt: Date;
  lastUsedAt: Date | null;
  expiresAt: Date | null;
  revokedAt: Date | null;
  revokedReason: string | null;
  lastUsedIp: string | null;
  secretCreatedAt: Date;
  /** Client addresses allowed to use the key (canonical, lib/keys/cidr.ts); null: any. */
  allowedIps: string[] | null;
};

export type KeyPatch = {
  name?: string;
  description?: string | null;
  access?: Access;
  scopes?: string[];
  expiresAt?: Date | null;
  /** undefined keeps the list; null: any address. */
  allowedIps?: string[] | null;
};

/**
 * A check a key command runs inside the query's transaction, on the row as locked (for a create,
 * before the insert): permission and policy are judged on the state that is then changed, never on
 * an earlier read. It throws an AppError to refuse, which rolls the transaction back.
 */
export type Guard<T> = (locked: T) => void;

/** The owner's unique key name, taken: the one way the database says so, as the one error. */
function nameTakenOr(error: unknown): unknown {
  if (isUniqueViolation(error, "api_keys_user_name_key")) {
    return new AppError("key_name_taken", { fieldErrors: { name: "You already have a key with this name. Choose another name." } });
  }
  if (isUniqueViolation(error, "api_keys_team_name_key")) {
    const message = "This team already has a key with this name. Choose another name.";
    return new AppError("key_name_taken", { message, fieldErrors: { name: message } });
  }
  return error;
}

export type NewKeyInput = {
  name: string;
  description: string | null;
  access: Access;
  scopes: string[];
  expiresAt: Date | null;
  /** Canonical entries; absent or null: any address. */
  allowedIps?: string[] | null;
};

/** The owner's keys that they have not deleted, newest first. */
export async function listApiKeys(
  db: Database,
  owner: KeyOwner,
  page: { limit?: number; offset?: number } = {},
): Promise<ApiKeySummary[]> {
  const query = db
    .select(apiKeyColumns)
    .from(apiKeys)
    .where(and(ownedBy(owner), isNull(apiKeys.deletedAt)))
    .orderBy(desc(apiKeys.createdAt), desc(apiKeys.id));
  return page.limit ? query.limit(page.limit).offset(page.offset ?? 0) : query;
}

export async function getApiKey(db: Database, owner: KeyOwner, id: string): Promise<ApiKeySummary> {
  const [key] = await db
    .select(apiKeyColumns)
    .from(apiKeys)
    .where(and(eq(apiKeys.id, id), ownedBy(owner), isNull(apiKeys.deletedAt)))
    .limit(1);
  if (!key) throw new AppError("key_not_found");
  return key;
}

/**
 * Creates a key and its audit row in one transaction and returns the plaintext secret. This
 * return value is the only place the secret ever exists outside the caller's response: only its
 * HMAC and a hint are stored.
 */
export async function createApiKey(
  db: Database,
  owner: KeyOwner,
  input: NewKeyInput,
  context: RequestContext,
  pepper: string,
  via?: { keyId: string } | { requestId: string },
  guard?: Guard<void>,
): Promise<{ key: ApiKeySummary; secret: string }> {
  const secret = generateKey();
  try {
    return await db.transaction(async (tx) => {
      await authorizeOwner(tx, owner);
      guard?.();
      await assertBelowQuota(tx as unknown as Database, owner, policy.maxActiveKeysPerUser);
      const [key] = await tx
        .insert(apiKeys)
        .values({
          ...ownerValues(owner),
          name: input.name,
          description: input.description,
          keyHash: hashKey(secret, pepper),
          hashVersion: HASH_VERSION,
          hint: keyHint(secret),
          access: input.access,
          scopes: input.scopes,
          expiresAt: input.expiresAt,
          allowedIps: input.allowedIps?.length ? input.allowedIps : null,
        })
        .returning(apiKeyColumns);
      await recordAudit(tx, {
        actorId: ownerActorId(owner),
        action: "api_key.created",
        targetType: "api_key",
        targetId: key!.id,
        metadata: {
          name: key!.name,
          hint: key!.hint,
          access: key!.access,
          scopes: key!.scopes,
          expiresAt: key!.expiresAt,
          ...(key!.allowedIps ? { allowedIps: key!.allowedIps } : {}),
          ...ownerAuditMetadata(owner),
          ...(via && "keyId" in via ? { via: "api_key", viaKeyId: via.keyId } : {}),
          ...(via && "requestId" in via ? { requestId: via.requestId } : {}),
        },
        context,
      });
      return { key: key!, secret };
    });
  } catch (error) {
    throw nameTakenOr(error);
  }
}

/**
 * The per-account quota of usable keys, enforced by the database under races: locking the
 * owner's row serializes their concurrent creates, so "count, then insert" cannot overshoot.
 */
async function assertBelowQuota(tx: Database, owner: KeyOwner, limit: number) {
  // Creates of one user queue on their user row. FOR NO KEY UPDATE, not FOR UPDATE: it still
  // conflicts with itself, but not with the FOR KEY SHARE that every audit insert takes on the
  // same row (audit_events.actor_id references users). With FOR UPDATE, a create waiting on a
  // delete that frees the same name (unique index) while the delete's audit insert waited on the
  // create's lock was a deadlock (db/queries/concurrency-model.test.ts found it on PostgreSQL).
  // A team's creates queue on the team's row the same way (the same quota, per team).
  if (isTeamOwner(owner)) await tx.select({ id: teams.id }).from(teams).where(eq(teams.id, owner.teamId)).for("no key update");
  else await tx.select({ id: users.id }).from(users).where(eq(users.id, owner)).for("no key update");
  const [row] = await tx
    .select({ n: count() })
    .from(apiKeys)
    .where(
      and(
        ownedBy(owner),
        isNull(apiKeys.deletedAt),
        keyUsableCondition(DB_NOW),
      ),
    );
  if ((row?.n ?? 0) >= limit) {
    const who = isTeamOwner(owner) ? "This team has" : "You have";
    throw new AppError("key_quota_reached", {
      message: `${who} ${limit} active keys, this deployment's limit. Delete keys you no longer use, then try again.`,
    });
  }
}

/**
 * Changes a key's name, description, scopes, expiry or allowed IPs. Owner-scoped and conditional like delete;
 * one audit event per kind of change, in the same transaction. Scope changes apply from the next
 * request, since verification reads the row every time.
 *
 * A revoked or expired key is final: no edit at all, or a new expiry would bring an expired key
 * back to life (and a revoked one would look editable). Judged under the row lock by the
 * database's clock, like verification, so a key cannot expire between the check and the write.
 */
export async function updateApiKey(
  db: Database,
  owner: KeyOwner,
  id: string,
  patch: KeyPatch,
  context: RequestContext,
  options: { viaKeyId?: string; clockOffsetMs?: number; guard?: Guard<ApiKeySummary> } = {},
): Promise<ApiKeySummary> {
  const now = sqlNow(options.clockOffsetMs ?? 0);
  try {
    return await db.transaction(async (tx) => {
      await authorizeOwner(tx, owner);
      const [before] = await tx
        .select({
          ...apiKeyColumns,
          usable: sql<boolean>`${keyUsableCondition(now)}`,
        })
        .from(apiKeys)
        .where(and(eq(apiKeys.id, id), ownedBy(owner), isNull(apiKeys.deletedAt)))
        .for("update")
        .limit(1);
      if (!before) throw new AppError("key_not_found");
      options.guard?.(before);
      if (!before.usable) throw new AppError("key_inactive");
      const [after] = await tx
        .update(apiKeys)
        .set({ ...patch, updatedAt: sql`now()` })
        .where(and(eq(apiKeys.id, id), ownedBy(owner), isNull(apiKeys.deletedAt)))
        .returning(apiKeyColumns);
      const base = { actorId: ownerActorId(owner), targetType: "api_key" as const, targetId: id, context };
      const viaMeta = { ...ownerAuditMetadata(owner), ...(options.viaKeyId ? { via: "api_key", viaKeyId: options.viaKeyId } : {}) };
      if (patch.name !== undefined && patch.name !== before.name) {
        await recordAudit(tx, { ...base, action: "api_key.renamed", metadata: { from: before.name, to: after!.name, ...viaMeta } });
      }
      if (patch.scopes !== undefined && patch.scopes.join() !== before.scopes.join()) {
        await recordAudit(tx, { ...base, action: "api_key.rescoped", metadata: { from: before.scopes, to: after!.scopes, ...viaMeta } });
      }
      if (patch.allowedIps !== undefined && (patch.allowedIps ?? []).join() !== (before.allowedIps ?? []).join()) {
        await recordAudit(tx, {
          ...base,
          action: "api_key.allowed_ips_changed",
          metadata: { name: after!.name, from: before.allowedIps, to: after!.allowedIps, ...viaMeta },
        });
      }
      const otherChanged =
        (patch.description !== undefined && patch.description !== before.description) ||
        (patch.expiresAt !== undefined && patch.expiresAt?.getTime() !== before.expiresAt?.getTime());
      if (otherChanged) {
        await recordAudit(tx, {
          ...base,
          action: "api_key.updated",
          metadata: { description: after!.description, expiresAt: after!.expiresAt, ...viaMeta },
        });
      }
      return after!;
    });
  } catch (error) {
    throw nameTakenOr(error);
  }
}
