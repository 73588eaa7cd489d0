import { randomUUID } from "node:crypto";
import { and, asc, eq, sql, type SQL } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database, DbHandle } from "@/db/client";
import { apiKeys } from "@/db/schema";
import { ATTENTION_STATUSES, EXPIRING_SOON_DAYS, EXPIRING_URGENT_DAYS, keyStatus, type KeyStatus } from "@/lib/keys/status";
import { DAY_MS } from "@/lib/time";
import { TEST_DRIVER, openTestDb } from "@/test/db";
import { makeUser } from "@/test/fixtures";
import { keyStatusCase, keyStatusCondition, keyStatusIn, keyUsableCondition, type StatusNow } from "./key-status";

let handle: DbHandle;
beforeAll(async () => {
  handle = await openTestDb();
});
afterAll(async () => {
  await handle?.close();
});

const STATUSES: KeyStatus[] = ["active", "expiring_soon", "rotation_due", "expired", "revoked"];
const PERIOD = 90;
const MS = 1; // the smallest step a JavaScript Date can take

type Times = { revokedAt: Date | null; expiresAt: Date | null; secretCreatedAt: Date; createdAt: Date };

/**
 * Every combination of revoked_at, expires_at, secret_created_at and created_at at, one
 * millisecond before and one after each boundary of keyStatus() relative to `now` (and the "none"
 * cases). The half-life boundary of "expiring soon" is where expires_at - now = now - created_at:
 * crossed by the keys expiring in 5 days made around 5 days ago.
 */
function boundaryKeys(now: Date): Times[] {
  const at = (ms: number) => new Date(now.getTime() + ms);
  const around = (ms: number) => [at(ms - MS), at(ms), at(ms + MS)];
  const soon = EXPIRING_SOON_DAYS * DAY_MS;
  const cutoff = -PERIOD * DAY_MS;
  const revoked = [null, ...around(0)];
  const urgent = EXPIRING_URGENT_DAYS * DAY_MS;
  const expires = [null, ...around(0), ...around(urgent), at(5 * DAY_MS), ...around(soon), at(-DAY_MS), at(30 * DAY_MS)];
  const secrets = [...around(cutoff), at(-(PERIOD + 1) * DAY_MS), at(-DAY_MS), now];
  const created = [now, ...around(-5 * DAY_MS), at(-(PERIOD + 2) * DAY_MS)];
  return revoked.flatMap((revokedAt) =>
    expires.flatMap((expiresAt) =>
      secrets.flatMap((secretCreatedAt) => created.map((createdAt) => ({ revokedAt, expiresAt, secretCreatedAt, createdAt }))),
    ),
  );
}

async function insertKeys(db: Database, userId: string, keys: Times[]): Promise<Map<string, Times>> {
  const rows = await db
    .insert(apiKeys)
    .values(
      keys.map((k, i) => ({
        ...k,
        userId,
        name: `boundary ${i}`,
        keyHash: randomUUID() + randomUUID(),
        hint: "ksk_…test",
        access: "read_only" as const,
        scopes: ["keys:read"],
      })),
    )
    .returning({ id: apiKeys.id });
  return new Map(rows.map((r, i) => [r.id, keys[i]!]));
}

/** The ids among `keys` matching a SQL condition. */
async function idsWhere(db: Database, userId: string, condition: SQL): Promise<string[]> {
  const rows = await db
    .select({ id: apiKeys.id })
    .from(apiKeys)
    .where(and(eq(apiKeys.userId, userId), condition))
    .orderBy(asc(apiKeys.id));
  return rows.map((r) => r.id);
}

/** Checks the SQL column, each status filter, "usable" and the attention set against keyStatus(). */
async function expectAgreement(db: Database, userId: string, keys: Map<string, Times>, now: Date, sqlNow: StatusNow, period: number | null) {
  const expected = new Map([...keys].map(([id, k]) => [id, keyStatus(k, now, period)]));
  const label = `now ${now.toISOString()}, period ${period}, now given as ${sqlNow instanceof Date ? "a Date" : "SQL"}`;

  const column = await db
    .select({ id: apiKeys.id, status: keyStatusCase(sqlNow, period) })
    .from(apiKeys)
    .where(eq(apiKeys.userId, userId));
  expect(column).toHaveLength(keys.size);
  const mismatches = column.filter((r) => r.status !== expected.get(r.id)).map((r) => ({ ...keys.get(r.id), sql: r.status, ts: expected.get(r.id) }));
  expect(mismatches, label).toEqual([]);

  const idsOf = (test: (s: KeyStatus) => boolean) => [...expected].filter(([, s]) => test(s)).map(([id]) => id).sort();
  for (const status of STATUSES) {
    expect(await idsWhere(db, userId, keyStatusCondition(status, sqlNow, period)), `${status}, ${label}`).toEqual(idsOf((s) => s === status));
  }
  expect(await idsWhere(db, userId, keyUsableCondition(sqlNow)), `usable, ${label}`).toEqual(idsOf((s) => s !== "revoked" && s !== "expired"));
  expect(await idsWhere(db, userId, keyStatusIn(ATTENTION_STATUSES, sqlNow, period)), `attention, ${label}`).toEqual(
    idsOf((s) => (ATTENTION_STATUSES as readonly KeyStatus[]).includes(s)),
  );
  // Every status occurs, so no branch agrees merely by never being taken.
  for (const status of STATUSES) if (status !== "rotation_due" || period) expect(new Set(expected.values()), label).toContain(status);
}

describe(`key status in SQL agrees with keyStatus() at every boundary (${TEST_DRIVER})`, () => {
  // Two instants whose 7-day or 90-day window crosses the end of daylight saving time in New York
  // (1 November 2026): there `interval '7 days'` would be 169 hours, not 168.
  const NOWS = [new Date("2026-10-28T12:00:00.000Z"), new Date("2026-11-23T12:00:00.000Z")];

  for (const now of NOWS) {
    it(`around ${now.toISOString()}, with and without a rotation period, in UTC and in a time zone with DST`, async () => {
      const db = handle.db;
      const user = await makeUser(db);
      const keys = await insertKeys(db, user.id, boundaryKeys(now));
      const asSql = sql`${now.toISOString()}::timestamptz`;
      for (const zone of ["UTC", "America/New_York"]) {
        // One transaction, so SET LOCAL applies to every query (a pool has several connections).
        await db.transaction(async (tx) => {
          await tx.execute(sql`select set_config('TimeZone', ${zone}, true)`);
          for (const period of [PERIOD, null]) {
            await expectAgreement(tx as unknown as Database, user.id, keys, now, now, period);
            await expectAgreement(tx as unknown as Database, user.id, keys, now, asSql, period);
          }
        });
      }
    });
  }
});
