import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbHandle } from "@/db/client";
import { writeGenerationOf } from "@/db/coherence";
import { apiKeys, teamMembers, teams } from "@/db/schema";
import { generateKey } from "@/lib/keys/format";
import { hashKey } from "@/lib/keys/hash";
import { verifyKey, type VerifyDeps } from "@/lib/keys/verify";
import { SyncedLimiter } from "@/lib/rate-limit";
import { scopesFor } from "@/lib/scopes";
import { UsageRecorder } from "@/lib/usage";
import { TEST_DRIVER, openTestDb } from "@/test/db";
import { CONTEXT, PEPPER, makeUser } from "@/test/fixtures";
import { createApiKey } from "./api-keys";
import { SNAPSHOT_MAX_ROWS, loadKeySnapshot, lookupKeyByHash, pairedLookup, setKeySnapshotLimit } from "./key-lookup";
import { deleteApiKey, revokeApiKey } from "./key-revocation";
import { addToWindows } from "./rate-limits";
import { rotateApiKey } from "./rotations";
import { addUsageBatch, touchLastUsedBatch } from "./usage";

// The embedded database's lookup cache (db/coherence.ts, db/queries/key-lookup.ts): a hit needs
// no query, and every change that can alter a verification is seen on the very next one.

let handle: DbHandle;
beforeAll(async () => {
  handle = await openTestDb();
});
afterAll(async () => {
  await handle?.close();
});

const HOUR = 3_600_000;
const deps = (clockOffsetMs = 0): VerifyDeps => ({
  db: handle.db,
  pepper: PEPPER,
  clockOffsetMs,
  limiter: new SyncedLimiter(60_000, async () => handle.db, 60_000),
  usage: new UsageRecorder(async () => handle.db, 60_000),
  ratePerMinute: 1_000_000,
});
const code = async (secret: string, offset = 0) => (await verifyKey(deps(offset), secret, { ip: null })).code;

async function newKey(expiresAt: Date | null = null) {
  const user = await makeUser(handle.db);
  const created = await createApiKey(handle.db, user.id, { name: "cached", description: null, access: "full", scopes: scopesFor("full"), expiresAt }, CONTEXT, PEPPER);
  return { user, ...created };
}

/** Changes a row behind Drizzle's back (as no code of the app does): only a cache would miss it. */
async function behindTheCachesBack(id: string) {
  const client = (handle.db as unknown as { $client: { query: (q: string, p: unknown[]) => Promise<unknown> } }).$client;
  await client.query("update api_keys set revoked_at = now() where id = $1", [id]);
}

describe.runIf(TEST_DRIVER === "pglite")("the embedded database's key lookup cache", () => {
  it("serves a seen key without a query (proved by a change the cache cannot see)", async () => {
    const { key, secret } = await newKey();
    expect(await code(secret)).toBe("VALID");
    await behindTheCachesBack(key.id);
    expect(await code(secret)).toBe("VALID"); // served from the cache
    // Any write through the app's client to api_keys ends that: the next lookup reads the row.
    await handle.db.update(apiKeys).set({ description: "any change" }).where(eq(apiKeys.id, key.id));
    expect(await code(secret)).toBe("REVOKED");
  });

  it("a revoke, a delete or a rotation is seen by the very next verification", async () => {
    const a = await newKey();
    expect(await code(a.secret)).toBe("VALID");
    await revokeApiKey(handle.db, a.user.id, a.key.id, CONTEXT);
    expect(await code(a.secret)).toBe("REVOKED");

    const b = await newKey();
    expect(await code(b.secret)).toBe("VALID");
    await deleteApiKey(handle.db, b.user.id, b.key.id, CONTEXT);
    expect(await code(b.secret)).toBe("REVOKED");

    const c = await newKey();
    expect(await code(c.secret)).toBe("VALID");
    const rotated = await rotateApiKey(handle.db, c.user.id, c.key.id, { graceMs: HOUR, via: "api" }, CONTEXT, PEPPER);
    expect(await code(rotated.secret)).toBe("VALID");
    expect(await code(c.secret)).toBe("VALID"); // in its grace period
    expect(await code(c.secret)).toBe("VALID"); // again, from the cache
    expect(await code(c.secret, 2 * HOUR)).toBe("NOT_FOUND"); // the grace has ended: judged again on the hit
    await rotateApiKey(handle.db, c.user.id, c.key.id, { graceMs: 0, via: "api" }, CONTEXT, PEPPER);
    expect(await code(rotated.secret)).toBe("NOT_FOUND");
  });

  it("expiry is judged on every hit by the request's clock", async () => {
    const { secret } = await newKey(new Date(Date.now() + HOUR));
    expect(await code(secret)).toBe("VALID");
    expect(await code(secret, 2 * HOUR)).toBe("EXPIRED");
    expect(await code(secret)).toBe("VALID");
  });

  it("usage, last-used marks and limiter counters leave the cache alone; key, rotation, user and team writes move it on", async () => {
    const generation = writeGenerationOf(handle.db)!;
    const { user, key } = await newKey();
    const before = generation.current;
    await addUsageBatch(handle.db, [{ keyId: key.id, day: "2026-12-06", success: 1, failure: 0 }]);
    await touchLastUsedBatch(handle.db, [{ keyId: key.id, ip: "203.0.113.1" }]);
    await addToWindows(handle.db, [{ bucket: "test:cache", windowStart: new Date(), amount: 1 }]);
    await handle.db.select().from(apiKeys).where(eq(apiKeys.id, key.id));
    expect(generation.current).toBe(before);
    await handle.db.execute(sql`update users set name = 'renamed' where id = ${user.id}`);
    expect(generation.current).toBeGreaterThan(before);
    const after = generation.current;
    await handle.db.execute(sql`select 1`);
    expect(generation.current).toBe(after);
    // A team's row decides its keys (a deleted team's keys are refused); its members do not.
    const [team] = await handle.db.insert(teams).values({ slug: "gen-team", name: "Gen" }).returning({ id: teams.id });
    const afterTeam = generation.current;
    expect(afterTeam).toBeGreaterThan(after);
    await handle.db.insert(teamMembers).values({ teamId: team!.id, userId: user.id, role: "viewer" });
    expect(generation.current).toBe(afterTeam);
  });
});

describe.runIf(TEST_DRIVER === "pglite")("the embedded database's snapshot of every key", () => {
  const raw = () => (handle.db as unknown as { $client: { query: (q: string, p: unknown[]) => Promise<unknown> } }).$client;

  it("answers a key never looked up, and an unknown key, without a statement (proved by changes it cannot see)", async () => {
    const { key, secret } = await newKey();
    await loadKeySnapshot(handle.db);
    await behindTheCachesBack(key.id);
    expect(await code(secret)).toBe("VALID"); // never looked up before, yet not read: the snapshot answered

    // A key written behind the snapshot's back is unknown to it, until a write through the app moves it on.
    const other = await newKey();
    await loadKeySnapshot(handle.db);
    const hidden = generateKey();
    await raw().query("update api_keys set key_hash = $1 where id = $2", [hashKey(hidden, PEPPER), other.key.id]);
    expect(await code(hidden)).toBe("NOT_FOUND");
    expect((await lookupKeyByHash(handle.db, hashKey(hidden, PEPPER), 0)).cached).toBe(true);
    await handle.db.update(apiKeys).set({ description: "a write the app makes" }).where(eq(apiKeys.id, other.key.id));
    expect(await code(hidden)).toBe("VALID");
    expect(await code(secret)).toBe("REVOKED");
  });

  it("a key created, revoked or rotated after the snapshot was read is seen by the very next verification", async () => {
    await loadKeySnapshot(handle.db);
    const fresh = await newKey();
    expect(await code(fresh.secret)).toBe("VALID");
    await loadKeySnapshot(handle.db);
    await revokeApiKey(handle.db, fresh.user.id, fresh.key.id, CONTEXT);
    expect(await code(fresh.secret)).toBe("REVOKED");

    const c = await newKey();
    const rotated = await rotateApiKey(handle.db, c.user.id, c.key.id, { graceMs: HOUR, via: "api" }, CONTEXT, PEPPER);
    await loadKeySnapshot(handle.db);
    expect(await code(rotated.secret)).toBe("VALID");
    expect(await code(c.secret)).toBe("VALID"); // the previous secret, in its grace period, from the snapshot
    expect(await code(c.secret, 2 * HOUR)).toBe("NOT_FOUND"); // judged again: the grace has ended
    expect(await code(rotated.secret, 2 * HOUR)).toBe("VALID");
  });

  it("a database with more keys than the snapshot may hold goes without it", async () => {
    expect(SNAPSHOT_MAX_ROWS).toBeGreaterThanOrEqual(10_000);
    const { key, secret } = await newKey();
    setKeySnapshotLimit(handle.db, 1);
    await loadKeySnapshot(handle.db);
    await behindTheCachesBack(key.id);
    expect(await code(secret)).toBe("REVOKED"); // read from the database: no snapshot
    setKeySnapshotLimit(handle.db, SNAPSHOT_MAX_ROWS);
  });
});

describe.runIf(TEST_DRIVER !== "pglite")(`no lookup cache on a server database (${TEST_DRIVER})`, () => {
  it("registers no write generation: other clients can write", () => {
    expect(writeGenerationOf(handle.db)).toBeUndefined();
  });

  it("sees a change made by another client at once", async () => {
    const { key, secret } = await newKey();
    expect(await code(secret)).toBe("VALID");
    const client = (handle.db as unknown as { $client: { query: (q: string, p: unknown[]) => Promise<unknown> } }).$client;
    await client.query("update api_keys set revoked_at = now() where id = $1", [key.id]);
    expect(await code(secret)).toBe("REVOKED");
  });
});

describe("two digests in one lookup (POST /api/v1/keys/verify)", () => {
  const hashOf = (secret: string) => hashKey(secret, PEPPER);

  it("finds each digest's key as a lookup of its own would: current, previous in grace, unknown, revoked", async () => {
    const a = await newKey();
    const b = await newKey();
    const rotated = await rotateApiKey(handle.db, b.user.id, b.key.id, { graceMs: HOUR, via: "api" }, CONTEXT, PEPPER);
    const revoked = await newKey();
    await revokeApiKey(handle.db, revoked.user.id, revoked.key.id, CONTEXT);
    const unknown = hashOf(generateKey());
    for (const [first, second] of [
      [a.secret, b.secret], // b's previous secret, in its grace period
      [a.secret, rotated.secret],
      [rotated.secret, revoked.secret],
    ] as const) {
      const lookup = pairedLookup(handle.db, hashOf(first), hashOf(second), 0);
      for (const secret of [first, second]) {
        const alone = await lookupKeyByHash(handle.db, hashOf(secret), 0);
        const paired = await lookup(hashOf(secret));
        expect(paired.row, secret).toMatchObject({ id: alone.row!.id, viaPrevious: alone.row!.viaPrevious, revoked: alone.row!.revoked, expired: alone.row!.expired });
      }
    }
    expect((await pairedLookup(handle.db, hashOf(a.secret), unknown, 0)(unknown)).row).toBeUndefined();
  });

  it.runIf(TEST_DRIVER !== "pglite")("on a server database reads both in the first call's one round trip", async () => {
    const a = await newKey();
    const b = await newKey();
    const lookup = pairedLookup(handle.db, hashOf(a.secret), hashOf(b.secret), 0);
    expect((await lookup(hashOf(a.secret))).row?.id).toBe(a.key.id);
    // Had b been read after this change, it would be revoked: it was read with a, before.
    await behindTheCachesBack(b.key.id);
    expect((await lookup(hashOf(b.secret))).row).toMatchObject({ id: b.key.id, revoked: false });
    expect((await lookupKeyByHash(handle.db, hashOf(b.secret), 0)).row).toMatchObject({ id: b.key.id, revoked: true });
  });
});
