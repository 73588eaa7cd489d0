import { and, eq, inArray, lt, sql } from "drizzle-orm";
import type { Database } from "../client";
import { rateLimitCounters } from "../schema";

/** Adds `amount` to a window's shared counter and returns the new total (one atomic upsert). */
export async function addToWindow(db: Database, bucket: string, windowStart: Date, amount: number): Promise<number> {
  const [row] = await db
    .insert(rateLimitCounters)
    .values({ bucket, windowStart, count: amount })
    .onConflictDoUpdate({
      target: [rateLimitCounters.bucket, rateLimitCounters.windowStart],
      set: { count: sql`${rateLimitCounters.count} + ${amount}` },
    })
    .returning({ count: rateLimitCounters.count });
  return row!.count;
}

export async function pruneWindows(db: Database, before: Date): Promise<void> {
  await db.delete(rateLimitCounters).where(lt(rateLimitCounters.windowStart, before));
}

/** The counts of these buckets in one window (a bucket with no row has counted nothing yet). */
export async function windowCounts(db: Database, buckets: string[], windowStart: Date): Promise<Map<string, number>> {
  const rows = await db
    .select({ bucket: rateLimitCounters.bucket, count: rateLimitCounters.count })
    .from(rateLimitCounters)
    .where(and(inArray(rateLimitCounters.bucket, buckets), eq(rateLimitCounters.windowStart, windowStart)));
  return new Map(rows.map((r) => [r.bucket, r.count]));
}

export type WindowDelta = { bucket: string; windowStart: Date; amount: number };

/**
 * Adds many (bucket, window) amounts in one statement and returns each row's new total, which
 * includes what every other process has added. Each (bucket, window) must appear once.
 */
export async function addToWindows(db: Database, deltas: WindowDelta[]): Promise<{ bucket: string; windowStart: Date; count: number }[]> {
  if (deltas.length === 0) return [];
  return db
    .insert(rateLimitCounters)
    .values(deltas.map((d) => ({ bucket: d.bucket, windowStart: d.windowStart, count: d.amount })))
    .onConflictDoUpdate({
      target: [rateLimitCounters.bucket, rateLimitCounters.windowStart],
      set: { count: sql`${rateLimitCounters.count} + excluded.count` },
    })
    .returning({ bucket: rateLimitCounters.bucket, windowStart: rateLimitCounters.windowStart, count: rateLimitCounters.count });
}
