import { and, desc, eq, gte, isNull, lt, or, sql } from "drizzle-orm";
import type { Database } from "../client";
import { apiKeys, apiKeyUsageDaily } from "../schema";

// Counts are bucketed by UTC day in the app (lib/usage.ts), so "today" must be the UTC date too,
// whatever time zone the database session happens to use.
const UTC_TODAY = sql`(now() at time zone 'utc')::date`;

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
export async function usageForOwner(db: Database, userId: string, days: number, keyId?: string) {
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
        eq(apiKeys.userId, userId),
        keyId ? eq(apiKeys.id, keyId) : undefined,
        gte(apiKeyUsageDaily.day, sql`(${UTC_TODAY} - ${days - 1}::int)`),
      ),
    )
    .orderBy(desc(apiKeyUsageDaily.day), apiKeyUsageDaily.keyId);
}
