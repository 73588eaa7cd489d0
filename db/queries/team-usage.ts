import { and, asc, count, desc, eq, gte, isNull, sql } from "drizzle-orm";
import type { Database } from "../client";
import { apiKeys, apiKeyUsageDaily } from "../schema";
import { UTC_TODAY } from "./usage";

// A team's usage overview (/t/<slug>/settings/usage): its keys found by api_keys_team_created_idx
// (team_id first), their daily rows by the usage table's primary key (key_id, day). The caller has
// checked the viewer's role (lib/commands/team-insights.ts).

const since = (days: number) => gte(apiKeyUsageDaily.day, sql`(${UTC_TODAY} - ${days - 1}::int)`);
const total = sql<string>`sum(${apiKeyUsageDaily.successCount} + ${apiKeyUsageDaily.failureCount})`;

/** Requests a day over the team's keys (deleted keys too: their traffic happened), newest day first. */
export async function teamUsageByDay(db: Database, teamId: string, days: number) {
  const rows = await db
    .select({
      day: apiKeyUsageDaily.day,
      success: sql<string>`sum(${apiKeyUsageDaily.successCount})`,
      failure: sql<string>`sum(${apiKeyUsageDaily.failureCount})`,
    })
    .from(apiKeyUsageDaily)
    .innerJoin(apiKeys, eq(apiKeys.id, apiKeyUsageDaily.keyId))
    .where(and(eq(apiKeys.teamId, teamId), since(days)))
    .groupBy(apiKeyUsageDaily.day)
    .orderBy(desc(apiKeyUsageDaily.day));
  return rows.map((r) => ({ day: r.day, success: Number(r.success), failure: Number(r.failure) }));
}

/** The team's busiest keys over the last `days` days (keys it still has), most requests first. */
export async function teamBusiestKeys(db: Database, teamId: string, days: number, limit = 10) {
  const rows = await db
    .select({
      id: apiKeys.id,
      name: apiKeys.name,
      success: sql<string>`sum(${apiKeyUsageDaily.successCount})`,
      failure: sql<string>`sum(${apiKeyUsageDaily.failureCount})`,
    })
    .from(apiKeys)
    .innerJoin(apiKeyUsageDaily, eq(apiKeyUsageDaily.keyId, apiKeys.id))
    .where(and(eq(apiKeys.teamId, teamId), isNull(apiKeys.deletedAt), since(days)))
    .groupBy(apiKeys.id, apiKeys.name)
    .orderBy(desc(total), asc(apiKeys.name), asc(apiKeys.id))
    .limit(limit);
  return rows.map((r) => ({ id: r.id, name: r.name, success: Number(r.success), failure: Number(r.failure) }));
}

/** How many keys the team has (not deleted), and the newest of those never used (with how many there are). */
export async function teamKeyCounts(db: Database, teamId: string, unusedLimit = 20) {
  const theirs = and(eq(apiKeys.teamId, teamId), isNull(apiKeys.deletedAt));
  const neverUsed = and(theirs, isNull(apiKeys.lastUsedAt));
  // One after another: the command reads inside a transaction, on one connection.
  const [keys] = await db.select({ n: count() }).from(apiKeys).where(theirs);
  const [unused] = await db.select({ n: count() }).from(apiKeys).where(neverUsed);
  const unusedRows = await db
    .select({ id: apiKeys.id, name: apiKeys.name, createdAt: apiKeys.createdAt })
    .from(apiKeys)
    .where(neverUsed)
    .orderBy(desc(apiKeys.createdAt), desc(apiKeys.id))
    .limit(unusedLimit);
  return { keys: Number(keys?.n ?? 0), unused: Number(unused?.n ?? 0), unusedRows };
}
