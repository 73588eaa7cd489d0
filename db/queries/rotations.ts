import { and, desc, eq, gt, isNull, sql } from "drizzle-orm";
import type { RequestContext } from "@/lib/audit-events";
import { sqlNow } from "@/lib/clock";
import { AppError } from "@/lib/errors";
import { generateKey, isWellFormedKey, keyHint } from "@/lib/keys/format";
import { hashKey } from "@/lib/keys/hash";
import type { Database } from "../client";
import { apiKeyRotations, apiKeys } from "../schema";
import { apiKeyColumns, type ApiKeySummary, type Guard } from "./api-keys";
import { recordAudit } from "./audit";
import { authorizeOwner, ownedBy, ownerActorId, ownerAuditMetadata, type KeyOwner } from "./key-owner";
import { keyUsableCondition } from "./key-status";
import { insertNotices, keyRecipients, revokedNotices } from "./notifications";

const ROTATE_INACTIVE = "Only an active key can be rotated. This one is revoked or expired: create a new key instead.";

/**
 * Gives a key a new secret: same id, name, scopes and usage history. The old secret keeps
 * verifying until `graceUntil` (now + grace, never past the key's own expiry), then never again;
 * secrets replaced by earlier rotations stop by then too.
 * Key update, rotation row and audit event commit together; the row lock makes concurrent
 * rotations of one key run one after the other.
 */
export async function rotateApiKey(
  db: Database,
  owner: KeyOwner,
  id: string,
  options: { graceMs: number; via: "dashboard" | "api"; viaKeyId?: string; clockOffsetMs?: number; guard?: Guard<ApiKeySummary> },
  context: RequestContext,
  pepper: string,
): Promise<{ key: ApiKeySummary; secret: string; graceUntil: Date }> {
  const now = sqlNow(options.clockOffsetMs ?? 0);
  const secret = generateKey();
  return db.transaction(async (tx) => {
    await authorizeOwner(tx, owner);
    const [current] = await tx
      .select({
        ...apiKeyColumns,
        keyHash: apiKeys.keyHash,
        usable: sql<boolean>`${keyUsableCondition(now)}`,
        graceUntil: sql<Date>`least(${now} + (${options.graceMs}::float8 * interval '1 millisecond'), coalesce(${apiKeys.expiresAt}, 'infinity'::timestamptz))`.mapWith(
          (v: string | Date) => new Date(v),
        ),
      })
      .from(apiKeys)
      .where(and(eq(apiKeys.id, id), ownedBy(owner), isNull(apiKeys.deletedAt)))
      .for("update")
      .limit(1);
    if (!current) throw new AppError("key_not_found");
    options.guard?.(current);
    if (!current.usable) throw new AppError("key_inactive", { message: ROTATE_INACTIVE });
    // Earlier secrets of this key still in their grace period never outlive the newest one's:
    // rotating "immediately" (typically because a secret leaked) must end every old secret, not
    // only the one it replaces.
    await tx
      .update(apiKeyRotations)
      .set({ graceUntil: sql`least(${apiKeyRotations.graceUntil}, ${current.graceUntil.toISOString()}::timestamptz)` })
      .where(and(eq(apiKeyRotations.keyId, id), gt(apiKeyRotations.graceUntil, now)));
    await tx.insert(apiKeyRotations).values({
      keyId: id,
      oldKeyHash: current.keyHash,
      oldHint: current.hint,
      newHint: keyHint(secret),
      graceUntil: current.graceUntil,
      actorId: ownerActorId(owner),
      via: options.via,
      // The same (possibly test-shifted) clock as graceUntil, so the history reads consistently.
      rotatedAt: sql`${now}`,
    });
    const [key] = await tx
      .update(apiKeys)
      .set({ keyHash: hashKey(secret, pepper), hint: keyHint(secret), secretCreatedAt: sql`${now}`, updatedAt: sql`now()` })
      .where(eq(apiKeys.id, id))
      .returning(apiKeyColumns);
    await recordAudit(tx, {
      actorId: ownerActorId(owner),
      action: "api_key.rotated",
      targetType: "api_key",
      targetId: id,
      metadata: {
        name: key!.name,
        oldHint: current.hint,
        newHint: key!.hint,
        graceUntil: current.graceUntil,
        via: options.via,
        ...ownerAuditMetadata(owner),
        ...(options.viaKeyId ? { viaKeyId: options.viaKeyId } : {}),
      },
      context,
    });
    return { key: key!, secret, graceUntil: current.graceUntil };
  });
}

export async function listRotations(db: Database, owner: KeyOwner, keyId: string) {
  return db
    .select({
      id: apiKeyRotations.id,
      oldHint: apiKeyRotations.oldHint,
      newHint: apiKeyRotations.newHint,
      graceUntil: apiKeyRotations.graceUntil,
      via: apiKeyRotations.via,
      rotatedAt: apiKeyRotations.rotatedAt,
    })
    .from(apiKeyRotations)
    .innerJoin(apiKeys, eq(apiKeys.id, apiKeyRotations.keyId))
    .where(and(eq(apiKeyRotations.keyId, keyId), ownedBy(owner)))
    .orderBy(desc(apiKeyRotations.rotatedAt));
}

/**
 * Revokes keys that a secret scanner (or anyone) reports as leaked. Malformed strings are
 * dropped before any lookup; a reported current secret revokes its key, a reported old secret
 * still in its grace period loses the rest of its grace. The caller learns nothing about which
 * strings were real: the answer is the same either way.
 */
export async function revokeLeakedKeys(
  db: Database,
  reported: string[],
  pepper: string,
  context: RequestContext,
  source: string,
  notify: { mail: boolean },
): Promise<number> {
  let revoked = 0;
  for (const candidate of new Set(reported)) {
    if (!isWellFormedKey(candidate)) continue;
    const hash = hashKey(candidate, pepper);
    await db.transaction(async (tx) => {
      const [key] = await tx
        .update(apiKeys)
        .set({ revokedAt: sql`now()`, revokedReason: "reported leaked", updatedAt: sql`now()` })
        .where(and(eq(apiKeys.keyHash, hash), isNull(apiKeys.revokedAt)))
        .returning({ id: apiKeys.id, userId: apiKeys.userId, teamId: apiKeys.teamId, hint: apiKeys.hint, name: apiKeys.name });
      const [old] = key
        ? []
        : await tx
            .update(apiKeyRotations)
            .set({ graceUntil: sql`now()` })
            .where(and(eq(apiKeyRotations.oldKeyHash, hash), gt(apiKeyRotations.graceUntil, sql`now()`)))
            .returning({ keyId: apiKeyRotations.keyId, hint: apiKeyRotations.oldHint });
      const target = key
        ? { id: key.id, hint: key.hint, what: "current secret" as const, teamId: key.teamId }
        : old
          ? { id: old.keyId, hint: old.hint, what: "previous secret" as const, teamId: (await tx.select({ teamId: apiKeys.teamId }).from(apiKeys).where(eq(apiKeys.id, old.keyId)))[0]?.teamId ?? null }
          : null;
      if (!target) return;
      revoked++;
      await recordAudit(tx, {
        actorId: null,
        action: "api_key.reported_leaked",
        targetType: "api_key",
        targetId: target.id,
        // A team key's report names the team, like every other event about a team key.
        metadata: { hint: target.hint, secret: target.what, source, ...(target.teamId ? { teamId: target.teamId } : {}) },
        context,
      });
      // The owner (or a team key's owners and admins) is told, with which secret, in the same
      // transaction. Not the report's `source`: anyone may send a report, and its words must not
      // reach an owner's inbox.
      const recipients = await keyRecipients(tx, [target.id], null);
      await insertNotices(tx, revokedNotices(recipients, { by: "leak", secret: target.what }, target.hint), notify);
    });
  }
  return revoked;
}
