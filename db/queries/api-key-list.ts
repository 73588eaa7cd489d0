import { and, count, desc, eq, gt, isNull, lte, or, type SQL } from "drizzle-orm";
import { EXPIRING_SOON_DAYS } from "@/lib/keys/status";
import type { Database } from "../client";
import { apiKeys } from "../schema";
import { apiKeyColumns, type ApiKeySummary } from "./api-keys";

export const KEYS_PAGE_SIZE = 50;
/** The attention banner names at most this many keys (and says how many there are in all). */
export const ATTENTION_LIMIT = 20;

const DAY_MS = 86_400_000;

/**
 * One page of the owner's keys that they have not deleted, newest first, with the exact total
 * (one account holds at most a few thousand rows, all under the (user_id, created_at) index).
 */
export async function pageApiKeys(db: Database, userId: string, page: number, pageSize = KEYS_PAGE_SIZE) {
  const mine = and(eq(apiKeys.userId, userId), isNull(apiKeys.deletedAt));
  const [rows, [{ total }]] = (await Promise.all([
    db
      .select(apiKeyColumns)
      .from(apiKeys)
      .where(mine)
      .orderBy(desc(apiKeys.createdAt), desc(apiKeys.id))
      .limit(pageSize + 1)
      .offset((page - 1) * pageSize),
    db.select({ total: count() }).from(apiKeys).where(mine),
  ])) as [ApiKeySummary[], [{ total: number }]];
  return { rows: rows.slice(0, pageSize), total: Number(total), hasNext: rows.length > pageSize };
}

/**
 * The owner's keys that may need attention, on any page: not revoked, and expired, expiring
 * within 7 days or (when a rotation period is set) with a secret older than it. The caller
 * applies keyStatus() to what this returns; the filter only has to be no narrower than that.
 */
export async function keysNeedingAttention(
  db: Database,
  userId: string,
  now: Date,
  rotationPeriodDays: number | null,
  limit = ATTENTION_LIMIT,
): Promise<{ rows: ApiKeySummary[]; total: number }> {
  const soon = new Date(now.getTime() + EXPIRING_SOON_DAYS * DAY_MS);
  const reasons: SQL[] = [lte(apiKeys.expiresAt, soon)];
  if (rotationPeriodDays) reasons.push(lte(apiKeys.secretCreatedAt, new Date(now.getTime() - rotationPeriodDays * DAY_MS)));
  const where = and(
    eq(apiKeys.userId, userId),
    isNull(apiKeys.deletedAt),
    or(isNull(apiKeys.revokedAt), gt(apiKeys.revokedAt, now)),
    or(...reasons),
  );
  const [rows, [{ total }]] = (await Promise.all([
    db.select(apiKeyColumns).from(apiKeys).where(where).orderBy(desc(apiKeys.createdAt), desc(apiKeys.id)).limit(limit),
    db.select({ total: count() }).from(apiKeys).where(where),
  ])) as [ApiKeySummary[], [{ total: number }]];
  return { rows, total: Number(total) };
}
