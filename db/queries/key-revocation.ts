import { and, eq, isNull, sql } from "drizzle-orm";
import type { RequestContext } from "@/lib/audit-events";
import { AppError } from "@/lib/errors";
import type { Database } from "../client";
import { apiKeys } from "../schema";
import { apiKeyColumns, type ApiKeySummary, type Guard } from "./api-keys";
import { recordAudit } from "./audit";
import { authorizeOwner, ownedBy, ownerActorId, ownerAuditMetadata, type KeyOwner } from "./key-owner";

export const OWNER_REVOKED_REASON = "by its owner";

/**
 * "Revoke" as the owner sees it: the key stops working at once and stays in their list, marked
 * Revoked. The owner is in the same WHERE clause as the id and the UPDATE only matches a key not
 * yet revoked, so two revokes at once cannot both succeed (nor log two events). Another user's
 * key and an unknown id are "not found"; the owner's own revoked key gets its own message.
 */
export async function revokeApiKey(
  db: Database,
  owner: KeyOwner,
  id: string,
  context: RequestContext,
  guard?: Guard<ApiKeySummary>,
): Promise<ApiKeySummary> {
  return db.transaction(async (tx) => {
    await authorizeOwner(tx, owner);
    const owned = and(eq(apiKeys.id, id), ownedBy(owner), isNull(apiKeys.deletedAt));
    if (guard) {
      const [locked] = await tx.select(apiKeyColumns).from(apiKeys).where(owned).for("update").limit(1);
      if (!locked) throw new AppError("key_not_found");
      guard(locked);
    }
    const [key] = await tx
      .update(apiKeys)
      .set({ revokedAt: sql`now()`, revokedReason: OWNER_REVOKED_REASON, updatedAt: sql`now()` })
      .where(and(owned, isNull(apiKeys.revokedAt)))
      .returning(apiKeyColumns);
    if (!key) {
      const [exists] = await tx.select({ id: apiKeys.id }).from(apiKeys).where(owned).limit(1);
      throw new AppError(exists ? "key_already_revoked" : "key_not_found");
    }
    await recordAudit(tx, {
      actorId: ownerActorId(owner),
      action: "api_key.revoked",
      targetType: "api_key",
      targetId: key.id,
      metadata: { name: key.name, hint: key.hint, ...ownerAuditMetadata(owner) },
      context,
    });
    return key;
  });
}

/**
 * "Delete" as the owner sees it: the key is revoked (if it still worked) and leaves their list,
 * but the row stays for the audit trail. Owner-scoped and conditional like revoke, so another
 * user's id, an unknown id and a repeated delete all answer not found and change nothing.
 */
export async function deleteApiKey(
  db: Database,
  owner: KeyOwner,
  id: string,
  context: RequestContext,
  via?: { keyId: string },
  guard?: Guard<ApiKeySummary>,
): Promise<ApiKeySummary> {
  return db.transaction(async (tx) => {
    await authorizeOwner(tx, owner);
    if (guard) {
      // The row as it is now, locked until the delete commits, is what the guard judges.
      const owned = and(eq(apiKeys.id, id), ownedBy(owner), isNull(apiKeys.deletedAt));
      const [locked] = await tx.select(apiKeyColumns).from(apiKeys).where(owned).for("update").limit(1);
      if (!locked) throw new AppError("key_not_found");
      guard(locked);
    }
    const [row] = await tx
      .update(apiKeys)
      .set({
        revokedAt: sql`coalesce(${apiKeys.revokedAt}, now())`,
        revokedReason: sql`coalesce(${apiKeys.revokedReason}, 'deleted by owner')`,
        deletedAt: sql`now()`,
        updatedAt: sql`now()`,
      })
      .where(and(eq(apiKeys.id, id), ownedBy(owner), isNull(apiKeys.deletedAt)))
      // RETURNING sees the new row: revoked_at equals this transaction's now() only if this
      // delete is what revoked it (a key revoked earlier keeps its earlier time).
      .returning({ ...apiKeyColumns, revokedNow: sql<boolean>`${apiKeys.revokedAt} = now()` });
    if (!row) throw new AppError("key_not_found");
    const { revokedNow, ...key } = row;
    await recordAudit(tx, {
      actorId: ownerActorId(owner),
      action: "api_key.deleted",
      targetType: "api_key",
      targetId: key.id,
      metadata: { name: key.name, hint: key.hint, revoked: revokedNow, ...ownerAuditMetadata(owner), ...(via ? { via: "api_key", viaKeyId: via.keyId } : {}) },
      context,
    });
    return key;
  });
}
