import { and, desc, eq, gte, isNull, lt, or, sql } from "drizzle-orm";
import type { Database } from "../client";
import { apiKeys, apiKeyUsageDaily } from "../schema";
import { ownedBy, type KeyOwner } from "./key-owner";

// Counts are bucketed by UTC day in the app (lib/usage.ts), so "today" must be the UTC date too,
// whatever time zone the database session happens to use.
export const UTC_TODAY = sql`(now() at time zone 'utc')::date`;

export async function addUsage(db: Database, keyId: string, day: string, success: number, failure: number) {
  await db
    .insert(apiKeyUsageDaily)
    .values({ keyId, day, successCount: success, failureCount: failure })
    .onConflictDoUpdate({
      target: [apiKeyUsageDaily.keyId, apiKeyUsageDaily.day],
      set: {
        successCount: sql`${apiKeyUsageDaily.successCount} + ${success}`,
        failureCount: sql`${apiKeyUsageDaily.failureCount} + ${failure}`,
      },
    });
}

export type UsageBatch = { keyId: string; day: string; success: number; failure: number };

/**
 * Adds many (key, day) counts in one statement. Each (key, day) must appear once in `batch`
 * (UsageRecorder sums them before writing), as one INSERT cannot update a row twice.
 */
export async function addUsageBatch(db: Database, batch: UsageBatch[]) {
  if (batch.length === 0) return;
  await db
    .insert(apiKeyUsageDaily)
    .values(batch.map((b) => ({ keyId: b.keyId, day: b.day, successCount: b.success, failureCount: b.failure })))
    .onConflictDoUpdate({
      target: [apiKeyUsageDaily.keyId, apiKeyUsageDaily.day],
      set: {
        successCount: sql`${apiKeyUsageDaily.successCount} + excluded.success_count`,
        failureCount: sql`${apiKeyUsageDaily.failureCount} + excluded.failure_count`,
      },
    });
}

/**
 * touchLastUsed for many keys in one statement, with the same once-a-minute condition. Each key
 * must appear once in `touches`.
 */
export async function touchLastUsedBatch(db: Database, touches: { keyId: string; ip: string | null }[]) {
  if (touches.length === 0) return;
  const rows = sql.join(
    touches.map((t) => sql`(${t.keyId}::uuid, ${t.ip}::text)`),
    sql`, `,
  );
  // Tagged (LAST_USED_TAG): marking a key used changes nothing a verification decides, so it
  // leaves the embedded database's lookup cache alone (db/coherence.ts).
  await db.execute(sql`/* keysmith:last-used */ update ${apiKeys} set last_used_at = now(), last_used_ip = v.ip
    from (values ${rows}) as v(id, ip)
    where ${apiKeys.id} = v.id
      and (${apiKeys.lastUsedAt} is null or ${apiKeys.lastUsedAt} < now() - interval '1 minute')`);
}

/**
 * Marks a key used. Conditional, so that however many processes race, the row is written at
 * most once a minute; the caller only calls it when its own read showed an older value.
 */
export async function touchLastUsed(db: Database, keyId: string, ip: string | null) {
  await db
    .update(apiKeys)
    .set({ lastUsedAt: sql`now()`, lastUsedIp: ip })
    .where(
      and(
        eq(apiKeys.id, keyId),
        or(isNull(apiKeys.lastUsedAt), lt(apiKeys.lastUsedAt, sql`now() - interval '1 minute'`)),
      ),
    );
}

/** Daily counts for one key over the last `days` days (owner check is the caller's job). */
export async function usageForKey(db: Database, keyId: string, days = 30) {
  return db
    .select({ day: apiKeyUsageDaily.day, success: apiKeyUsageDaily.successCount, failure: apiKeyUsageDaily.failureCount })
    .from(apiKeyUsageDaily)
    .where(
      and(
        eq(apiKeyUsageDaily.keyId, keyId),
        gte(apiKeyUsageDaily.day, sql`(${UTC_TODAY} - ${days - 1}::int)`),
      ),
    )
    .orderBy(desc(apiKeyUsageDaily.day));
}

/** Daily counts of all of one owner's keys (the join keeps it owner-scoped). */
export async function usageForOwner(db: Database, owner: KeyOwner, days: number, keyId?: string) {
  return db
    .select({
      keyId: apiKeyUsageDaily.keyId,
      day: apiKeyUsageDaily.day,
      success: apiKeyUsageDaily.successCount,
      failure: apiKeyUsageDaily.failureCount,
    })
    .from(apiKeyUsageDaily)
    .innerJoin(apiKeys, eq(apiKeys.id, apiKeyUsageDaily.keyId))
    .where(
      and(
        ownedBy(owner),
        keyId ? eq(apiKeys.id, keyId) : undefined,
        gte(apiKeyUsageDaily.day, sql`(${UTC_TODAY} - ${days - 1}::int)`),
      ),
    )
    .orderBy(desc(apiKeyUsageDaily.day), apiKeyUsageDaily.keyId);
}
