import { and, asc, count, desc, eq, isNull, or, sql } from "drizzle-orm";
import { ATTENTION_STATUSES, EXPIRED_ATTENTION_DAYS } from "@/lib/keys/status";
import { DAY_MS } from "@/lib/time";
import type { Database } from "../client";
import { apiKeys, users } from "../schema";
import { apiKeyColumns, type ApiKeySummary } from "./api-keys";
import { ownedBy, type KeyOwner } from "./key-owner";
import { keyStatusCase, keyStatusIn } from "./key-status";

export const KEYS_PAGE_SIZE = 50;
/** The attention banner names at most this many keys (and says how many there are in all). */
export const ATTENTION_LIMIT = 20;

/**
 * One page of the owner's keys that they have not deleted, newest first, with the exact total
 * (one account holds at most a few thousand rows, all under the (user_id, created_at) index).
 */
export async function pageApiKeys(db: Database, owner: KeyOwner, page: number, pageSize = KEYS_PAGE_SIZE) {
  const mine = and(ownedBy(owner), isNull(apiKeys.deletedAt));
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

/** Who made a team key, as its list shows it ("Created by"); null once that account is gone. */
export type KeyCreator = { id: string; name: string; email: string } | null;

/**
 * One page of a team's keys, like pageApiKeys, each with who created it: a team key is not its
 * creator's, but the team's page says who made it (a deleted account reads as its anonymised name).
 */
export async function pageTeamApiKeys(db: Database, teamId: string, page: number, pageSize = KEYS_PAGE_SIZE) {
  const theirs = and(eq(apiKeys.teamId, teamId), isNull(apiKeys.deletedAt));
  const [rows, [{ total }]] = (await Promise.all([
    db
      .select({ ...apiKeyColumns, creatorId: users.id, creatorName: users.name, creatorEmail: users.email })
      .from(apiKeys)
      .leftJoin(users, eq(users.id, apiKeys.createdBy))
      .where(theirs)
      .orderBy(desc(apiKeys.createdAt), desc(apiKeys.id))
      .limit(pageSize + 1)
      .offset((page - 1) * pageSize),
    db.select({ total: count() }).from(apiKeys).where(theirs),
  ])) as [(ApiKeySummary & { creatorId: string | null; creatorName: string | null; creatorEmail: string | null })[], [{ total: number }]];
  const withCreator = rows.slice(0, pageSize).map(({ creatorId, creatorName, creatorEmail, ...key }) => ({
    ...key,
    createdBy: (creatorId ? { id: creatorId, name: creatorName!, email: creatorEmail! } : null) as KeyCreator,
  }));
  return { rows: withCreator, total: Number(total), hasNext: rows.length > pageSize };
}

/**
 * The owner's keys that need attention, on any page: those whose keyStatus() at `now` is expired
 * (for EXPIRED_ATTENTION_DAYS after expiry), expiring soon or rotation due (ATTENTION_STATUSES),
 * decided in SQL by the same rules, so the rows and the total agree with the badges. Most urgent
 * first: keys that have expired or are about to, soonest expiry first; then keys due for rotation,
 * oldest secret first.
 */
export async function keysNeedingAttention(
  db: Database,
  owner: KeyOwner,
  now: Date,
  rotationPeriodDays: number | null,
  limit = ATTENTION_LIMIT,
): Promise<{ rows: ApiKeySummary[]; total: number }> {
  const expiredLongAgo = new Date(now.getTime() - EXPIRED_ATTENTION_DAYS * DAY_MS);
  const where = and(
    ownedBy(owner),
    isNull(apiKeys.deletedAt),
    keyStatusIn(ATTENTION_STATUSES, now, rotationPeriodDays),
    or(isNull(apiKeys.expiresAt), sql`${apiKeys.expiresAt} > ${expiredLongAgo.toISOString()}::timestamptz`),
  );
  const byExpiry = sql`case when ${keyStatusCase(now, rotationPeriodDays)} in ('expired', 'expiring_soon') then ${apiKeys.expiresAt} end`;
  const [rows, [{ total }]] = (await Promise.all([
    db
      .select(apiKeyColumns)
      .from(apiKeys)
      .where(where)
      .orderBy(sql`${byExpiry} asc nulls last`, asc(apiKeys.secretCreatedAt), desc(apiKeys.id))
      .limit(limit),
    db.select({ total: count() }).from(apiKeys).where(where),
  ])) as [ApiKeySummary[], [{ total: number }]];
  return { rows, total: Number(total) };
}

/** Who created one of the owner's keys (a team key's page says it); null once that account is gone, or for a key made through the API. */
export async function getKeyCreator(db: Database, owner: KeyOwner, id: string): Promise<KeyCreator> {
  const [row] = await db
    .select({ id: users.id, name: users.name, email: users.email })
    .from(apiKeys)
    .innerJoin(users, eq(users.id, apiKeys.createdBy))
    .where(and(eq(apiKeys.id, id), ownedBy(owner)))
    .limit(1);
  return row ?? null;
}
