import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Database, DbHandle } from "@/db/client";
import { createApiKey, updateApiKey } from "@/db/queries/api-keys";
import { lookupKeyByHash } from "@/db/queries/key-lookup";
import { deleteApiKey, revokeApiKey } from "@/db/queries/key-revocation";
import { rotateApiKey } from "@/db/queries/rotations";
import { apiKeys, apiKeyUsageDaily, teamMembers, teams, users } from "@/db/schema";
import { windowCounts } from "@/db/queries/rate-limits";
import { ReservingLimiter, SyncedLimiter } from "@/lib/rate-limit";
import { scopesFor } from "@/lib/scopes";
import { UsageRecorder } from "@/lib/usage";
import { TEST_DRIVER, openTestDb } from "@/test/db";
import { CONTEXT, PEPPER, makeTeam, makeUser } from "@/test/fixtures";
import { generateKey } from "./format";
import { verifyKey, type VerifyDeps } from "./verify";

let handle: DbHandle;
beforeAll(async () => {
  handle = await openTestDb();
});
afterAll(async () => {
  await handle?.close();
});

function deps(overrides: Partial<VerifyDeps> = {}): VerifyDeps {
  return {
    db: handle.db,
    pepper: PEPPER,
    limiter: new SyncedLimiter(60_000, async () => handle.db, 60_000),
    usage: new UsageRecorder(async () => handle.db, 60_000),
    ratePerMinute: 600,
    ...overrides,
  };
}

async function newKey(scopes = scopesFor("full"), expiresAt: Date | null = null) {
  const user = await makeUser(handle.db);
  const created = await createApiKey(
    handle.db,
    user.id,
    { name: `k-${Math.random()}`, description: null, access: "restricted", scopes, expiresAt },
    CONTEXT,
    PEPPER,
  );
  return { user, ...created };
}

const ip = "198.51.100.9";

describe(`verifyKey (${TEST_DRIVER})`, () => {
  it("rejects malformed and bad-checksum keys without touching the database", async () => {
    const untouchable = new Proxy({} as Database, {
      get() {
        throw new Error("the database was touched");
      },
    });
    const d = deps({ db: untouchable });
    const good = generateKey();
    const badChecksum = good.slice(0, -1) + (good.endsWith("A") ? "B" : "A");
    for (const candidate of ["", "Bearer", "ksk_short", badChecksum, good + "x", "x".repeat(10_000)]) {
      expect(await verifyKey(d, candidate, { ip })).toEqual({ code: "NOT_FOUND", malformed: true });
    }
  });

  it("finds a valid key with its owner and scopes, and answers NOT_FOUND for an unknown one", async () => {
    const { user, key, secret } = await newKey(["keys:read"]);
    const result = await verifyKey(deps(), secret, { ip });
    expect(result.code).toBe("VALID");
    expect(result.code === "VALID" && result.key).toMatchObject({ id: key.id, scopes: ["keys:read"], owner: { id: user.id } });
    expect(await verifyKey(deps(), generateKey(), { ip })).toEqual({ code: "NOT_FOUND", malformed: false });
  });

  it("reports REVOKED on the very next call after a delete, and EXPIRED by the database's clock", async () => {
    const { user, key, secret } = await newKey();
    await deleteApiKey(handle.db, user.id, key.id, CONTEXT);
    expect((await verifyKey(deps(), secret, { ip })).code).toBe("REVOKED");

    const other = await newKey(scopesFor("full"), new Date(Date.now() + 3_600_000));
    expect((await verifyKey(deps(), other.secret, { ip })).code).toBe("VALID");
    await handle.db.update(apiKeys).set({ expiresAt: sql`now() - interval '1 second'` }).where(eq(apiKeys.id, other.key.id));
    expect((await verifyKey(deps(), other.secret, { ip })).code).toBe("EXPIRED");
  });

  it("says when a match came through a previous secret still in its grace period", async () => {
    const { user, key, secret } = await newKey();
    const current = await verifyKey(deps(), secret, { ip });
    expect(current).toMatchObject({ code: "VALID", key: { id: key.id, viaPreviousSecret: false } });
    const rotated = await rotateApiKey(handle.db, user.id, key.id, { graceMs: 3_600_000, via: "api" }, CONTEXT, PEPPER);
    expect(await verifyKey(deps(), secret, { ip })).toMatchObject({ code: "VALID", key: { id: key.id, viaPreviousSecret: true } });
    expect(await verifyKey(deps(), rotated.secret, { ip })).toMatchObject({ code: "VALID", key: { id: key.id, viaPreviousSecret: false } });
  });

  it("checks in order: revoked before expired, and neither spends the rate limit", async () => {
    const { user, key, secret } = await newKey(scopesFor("full"), new Date(Date.now() + 3_600_000));
    await deleteApiKey(handle.db, user.id, key.id, CONTEXT);
    await handle.db.update(apiKeys).set({ expiresAt: sql`now() - interval '1 second'` }).where(eq(apiKeys.id, key.id));
    let takes = 0;
    const limiter = new SyncedLimiter(60_000, async () => handle.db, 60_000);
    const counting = {
      take: (...args: Parameters<SyncedLimiter["take"]>) => {
        takes++;
        return limiter.take(...args);
      },
    };
    expect((await verifyKey(deps({ limiter: counting }), secret, { ip })).code).toBe("REVOKED");
    const expired = await newKey(scopesFor("full"), new Date(Date.now() + 3_600_000));
    await handle.db.update(apiKeys).set({ expiresAt: sql`now() - interval '1 second'` }).where(eq(apiKeys.id, expired.key.id));
    expect((await verifyKey(deps({ limiter: counting }), expired.secret, { ip })).code).toBe("EXPIRED");
    expect(takes).toBe(0);
  });

  it("checks the rate limit before scopes: a key over its limit is RATE_LIMITED, not INSUFFICIENT_SCOPE", async () => {
    const { secret } = await newKey(["keys:read"]);
    const d = deps({ ratePerMinute: 1 });
    expect((await verifyKey(d, secret, { ip, scopes: ["keys:write"] })).code).toBe("INSUFFICIENT_SCOPE");
    expect((await verifyKey(d, secret, { ip, scopes: ["keys:write"] })).code).toBe("RATE_LIMITED");
  });

  it("checks scopes last, with write implying read", async () => {
    const { secret } = await newKey(["keys:read", "keys:write"]);
    expect((await verifyKey(deps(), secret, { ip, scopes: ["keys:read"] })).code).toBe("VALID");
    const denied = await verifyKey(deps(), secret, { ip, scopes: ["keys:verify", "usage:read"] });
    expect(denied).toMatchObject({ code: "INSUFFICIENT_SCOPE", missing: ["keys:verify", "usage:read"] });
  });

  it("rate-limits per key and records usage in batches and last-used at most once a minute", async () => {
    const { key, secret } = await newKey();
    const d = deps({ ratePerMinute: 5 });
    const codes = [];
    for (let i = 0; i < 7; i++) codes.push((await verifyKey(d, secret, { ip })).code);
    expect(codes).toEqual(["VALID", "VALID", "VALID", "VALID", "VALID", "RATE_LIMITED", "RATE_LIMITED"]);

    // Nothing written per request: counts land on flush.
    expect(await handle.db.select().from(apiKeyUsageDaily).where(eq(apiKeyUsageDaily.keyId, key.id))).toHaveLength(0);
    await d.usage.flush();
    const [usage] = await handle.db.select().from(apiKeyUsageDaily).where(eq(apiKeyUsageDaily.keyId, key.id));
    expect(usage).toMatchObject({ successCount: 5, failureCount: 2 });

    // "Last used" was noted in memory by the first call and written by the same flush.
    const [row] = await handle.db.select().from(apiKeys).where(eq(apiKeys.id, key.id));
    expect(row!.lastUsedAt).toBeInstanceOf(Date);
    expect(row!.lastUsedIp).toBe(ip);
    expect(d.usage.pending).toBe(0);
    // Now the row shows a fresh last-used time: a further use (another limiter, so allowed) notes none.
    expect((await verifyKey(deps({ usage: d.usage }), secret, { ip })).code).toBe("VALID");
    expect(d.usage.pending).toBe(1); // the count; no last-used mark
  });

  it("a key is revoked on the very next request, even with usage unwritten and the key in the embedded database's cache", async () => {
    const { user, key, secret } = await newKey();
    const d = deps();
    expect((await verifyKey(d, secret, { ip })).code).toBe("VALID");
    expect((await verifyKey(d, secret, { ip })).code).toBe("VALID");
    expect(d.usage.pending).toBeGreaterThan(0);
    await revokeApiKey(handle.db, user.id, key.id, CONTEXT);
    expect((await verifyKey(d, secret, { ip })).code).toBe("REVOKED");
    await d.usage.flush();
    const [usage] = await handle.db.select().from(apiKeyUsageDaily).where(eq(apiKeyUsageDaily.keyId, key.id));
    expect(usage).toMatchObject({ successCount: 2, failureCount: 1 });
  });
});

describe(`shared rate limits (${TEST_DRIVER})`, () => {
  it("never grants more than the limit across processes (two limiters, one database)", async () => {
    const a = new ReservingLimiter(60_000);
    const b = new ReservingLimiter(60_000);
    const now = Date.now();
    let granted = 0;
    const attempts = [];
    for (let i = 0; i < 150; i++) attempts.push((i % 2 ? a : b).take(handle.db, "test:shared", 100, now));
    for (const decision of await Promise.all(attempts)) if (decision.ok) granted++;
    expect(granted).toBeLessThanOrEqual(100);
    expect(granted).toBeGreaterThanOrEqual(90); // at most one unspent batch (5) per process
    const denied = await a.take(handle.db, "test:shared", 100, now);
    if (!denied.ok) expect(denied.retryAfterSeconds).toBeGreaterThan(0);
  });

  it("peek refuses a spent bucket from memory, and only once it is really spent", async () => {
    const a = new ReservingLimiter(60_000);
    const b = new ReservingLimiter(60_000);
    const now = Date.now();
    expect(a.peek("authfail:x", now).ok).toBe(true);
    const decisions = await Promise.all(Array.from({ length: 30 }, (_, i) => (i % 2 ? a : b).take(handle.db, "authfail:x", 10, now)));
    expect(decisions.filter((d) => d.ok).length).toBeLessThanOrEqual(10);
    expect(a.peek("authfail:x", now).ok).toBe(false);
    expect(b.peek("authfail:x", now).ok).toBe(false);
    expect(a.peek("authfail:y", now).ok).toBe(true);
    expect(a.peek("authfail:x", now + 60_000).ok).toBe(true); // a new window
  });
});

describe(`synced per-key limits (${TEST_DRIVER})`, () => {
  it("decides without waiting: exact within one process, the window's total reaches the database", async () => {
    const limiter = new SyncedLimiter(60_000, async () => handle.db, 60_000);
    const now = Date.now();
    const decisions = Array.from({ length: 30 }, () => limiter.take("test:one", 20, now));
    expect(decisions.filter((d) => d.ok)).toHaveLength(20);
    expect(decisions[0]!.state).toMatchObject({ limit: 20, remaining: 19, windowSeconds: 60 });
    expect(decisions[19]!.state.remaining).toBe(0);
    const refused = decisions[20]!;
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.retryAfterSeconds).toBe(refused.state.resetSeconds);
    await limiter.sync();
    const counts = await windowCounts(handle.db, ["test:one"], new Date(Math.floor(now / 60_000) * 60_000));
    expect(counts.get("test:one")).toBe(20);
  });

  it("two processes on one database: a key pushed at 3x its limit is admitted at least the limit and at most 10% over it", async () => {
    // Alternating requests, each process syncing in the background as it goes (a 2 ms tick
    // stands for the request gaps): the stated bound is limit + (N - 1) x (batch + rate x round trip).
    const a = new SyncedLimiter(60_000, async () => handle.db, 60_000);
    const b = new SyncedLimiter(60_000, async () => handle.db, 60_000);
    const now = Date.now();
    let admitted = 0;
    for (let i = 0; i < 300; i++) {
      if ((i % 2 ? a : b).take("test:pair", 100, now).ok) admitted++;
      await new Promise((r) => setTimeout(r, 2));
    }
    await Promise.all([a.sync(), b.sync()]);
    expect(admitted).toBeGreaterThanOrEqual(100);
    expect(admitted).toBeLessThanOrEqual(110);
    const counts = await windowCounts(handle.db, ["test:pair"], new Date(Math.floor(now / 60_000) * 60_000));
    expect(counts.get("test:pair")).toBe(admitted);
    // Both now know the window is spent, without asking the database.
    expect(a.take("test:pair", 100, now).ok).toBe(false);
    expect(b.take("test:pair", 100, now).ok).toBe(false);
  });

  it("writes a bucket only when it has a batch (5% of its limit) unsent: a key used a few times a minute costs no write", async () => {
    const limiter = new SyncedLimiter(60_000, async () => handle.db);
    const now = Date.now();
    const window = new Date(Math.floor(now / 60_000) * 60_000);
    for (let i = 0; i < 29; i++) expect(limiter.take("test:quiet", 600, now).ok).toBe(true);
    await new Promise((r) => setTimeout(r, 50));
    expect((await windowCounts(handle.db, ["test:quiet"], window)).get("test:quiet")).toBeUndefined();
    expect(limiter.pending).toBe(29);
    limiter.take("test:quiet", 600, now); // the 30th: 5% of 600
    await vi.waitFor(async () => expect((await windowCounts(handle.db, ["test:quiet"], window)).get("test:quiet")).toBe(30));
    expect(limiter.pending).toBe(0);
    limiter.take("test:quiet", 600, now);
    await limiter.sync(); // everything, whatever its size (shutdown)
    expect((await windowCounts(handle.db, ["test:quiet"], window)).get("test:quiet")).toBe(31);
  });

  it("a failed exchange keeps its counts and sends them with the next one", async () => {
    let fail = true;
    const limiter = new SyncedLimiter(
      60_000,
      async () => {
        if (fail) throw Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" });
        return handle.db;
      },
      60_000,
    );
    const now = Date.now();
    for (let i = 0; i < 3; i++) expect(limiter.take("test:retry", 100, now).ok).toBe(true);
    await limiter.sync();
    fail = false;
    expect(limiter.take("test:retry", 100, now).ok).toBe(true);
    await limiter.sync();
    const counts = await windowCounts(handle.db, ["test:retry"], new Date(Math.floor(now / 60_000) * 60_000));
    expect(counts.get("test:retry")).toBe(4);
  });

  it("a failed batch exchange is retried on its own, and sends only the buckets that reached their batch", async () => {
    let fail = true;
    const limiter = new SyncedLimiter(
      60_000,
      async () => {
        if (fail) {
          fail = false;
          throw Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" });
        }
        return handle.db;
      },
      20,
    );
    const now = Date.now();
    const window = new Date(Math.floor(now / 60_000) * 60_000);
    // Many keys in use, each under its batch: none of them is written.
    for (let i = 0; i < 2_000; i++) limiter.take(`test:many-${i}`, 100, now);
    for (let i = 0; i < 5; i++) limiter.take("test:busy", 100, now); // the 5th reaches the batch (5% of 100); that exchange fails
    await vi.waitFor(async () => expect((await windowCounts(handle.db, ["test:busy"], window)).get("test:busy")).toBe(5));
    expect(limiter.pending).toBe(2_000);
    expect((await windowCounts(handle.db, ["test:many-0", "test:many-1999"], window)).size).toBe(0);
  });

  it("a verification never waits on the limiter's database", async () => {
    const { secret } = await newKey(["keys:read"]);
    let asked = 0;
    const limiter = new SyncedLimiter(
      60_000,
      async () => {
        asked++;
        return new Promise<never>(() => {}); // a database that never answers
      },
      60_000,
    );
    const result = await verifyKey(deps({ limiter }), secret, { ip });
    expect(result).toMatchObject({ code: "VALID", rate: { limit: 600, remaining: 599 } });
    expect(asked).toBe(0); // the exchange is scheduled, not awaited
  });
});


describe(`verifyKey, team keys (${TEST_DRIVER})`, () => {
  async function teamKey() {
    const creator = await makeUser(handle.db);
    const team = await makeTeam(handle.db, [{ userId: creator.id, role: "developer" }]);
    const created = await createApiKey(
      handle.db,
      { teamId: team.id, actorId: creator.id },
      { name: `t-${Math.random()}`, description: null, access: "restricted", scopes: ["keys:read"], expiresAt: null },
      CONTEXT,
      PEPPER,
    );
    return { creator, team, ...created };
  }

  it("a team key authenticates as its team, with its creator recorded but not its owner", async () => {
    const { creator, team, key, secret } = await teamKey();
    const result = await verifyKey(deps(), secret, { ip });
    expect(result.code).toBe("VALID");
    expect(result.code === "VALID" && result.key.owner).toEqual({ type: "team", id: team.id, slug: team.slug, name: team.name });
    const [row] = await handle.db.select({ userId: apiKeys.userId, teamId: apiKeys.teamId, createdBy: apiKeys.createdBy }).from(apiKeys).where(eq(apiKeys.id, key.id));
    expect(row).toEqual({ userId: null, teamId: team.id, createdBy: creator.id });
  });

  it("keeps working when its creator is suspended, removed from the team, or deleted", async () => {
    const { creator, team, secret } = await teamKey();
    await verifyKey(deps(), secret, { ip }); // cached on the embedded database: each change below must move past it
    await handle.db.update(users).set({ suspendedAt: new Date() }).where(eq(users.id, creator.id));
    expect((await verifyKey(deps(), secret, { ip })).code).toBe("VALID");
    await handle.db.delete(teamMembers).where(and(eq(teamMembers.teamId, team.id), eq(teamMembers.userId, creator.id)));
    expect((await verifyKey(deps(), secret, { ip })).code).toBe("VALID");
    await handle.db.update(users).set({ suspendedAt: null, deletedAt: new Date() }).where(eq(users.id, creator.id));
    expect((await verifyKey(deps(), secret, { ip })).code).toBe("VALID");
  });

  it("is refused on the very next request once its team is deleted, even from the embedded database's cache", async () => {
    const { team, secret } = await teamKey();
    expect((await verifyKey(deps(), secret, { ip })).code).toBe("VALID");
    await handle.db.update(teams).set({ deletedAt: new Date() }).where(eq(teams.id, team.id));
    expect((await verifyKey(deps(), secret, { ip })).code).toBe("REVOKED");
  });

  it("a personal key's owner being suspended still refuses it (USER_SUSPENDED), as before", async () => {
    const { user, secret } = await newKey(["keys:read"]);
    await handle.db.update(users).set({ suspendedAt: new Date() }).where(eq(users.id, user.id));
    expect((await verifyKey(deps(), secret, { ip })).code).toBe("USER_SUSPENDED");
  });
});

describe(`verifyKey, allowed IPs (${TEST_DRIVER})`, () => {
  async function limitedKey(allowedIps: string[] | null) {
    const user = await makeUser(handle.db);
    const created = await createApiKey(
      handle.db,
      user.id,
      { name: `ip-${Math.random()}`, description: null, access: "restricted", scopes: ["keys:read"], expiresAt: null, allowedIps },
      CONTEXT,
      PEPPER,
    );
    return { user, ...created };
  }

  it("accepts an address inside the list and refuses one outside it with IP_NOT_ALLOWED naming the address", async () => {
    const { key, secret } = await limitedKey(["10.0.0.0/8", "2001:db8::/32"]);
    expect((await verifyKey(deps(), secret, { ip: "10.1.2.3" })).code).toBe("VALID");
    expect((await verifyKey(deps(), secret, { ip: "2001:db8:ffff::1" })).code).toBe("VALID");
    const refused = await verifyKey(deps(), secret, { ip: "192.0.2.1" });
    expect(refused).toMatchObject({ code: "IP_NOT_ALLOWED", ip: "192.0.2.1", key: { id: key.id, allowedIps: ["10.0.0.0/8", "2001:db8::/32"] } });
    expect((await verifyKey(deps(), secret, { ip: "2001:db9::1" })).code).toBe("IP_NOT_ALLOWED");
  });

  it("an IPv4-mapped IPv6 client address matches an IPv4 block", async () => {
    const { secret } = await limitedKey(["10.0.0.0/8"]);
    expect((await verifyKey(deps(), secret, { ip: "::ffff:10.9.9.9" })).code).toBe("VALID");
    expect((await verifyKey(deps(), secret, { ip: "::ffff:11.9.9.9" })).code).toBe("IP_NOT_ALLOWED");
  });

  it("an unknown client address is refused by a list, and allowed without one", async () => {
    const limited = await limitedKey(["0.0.0.0/0", "::/0"]);
    expect(await verifyKey(deps(), limited.secret, { ip: null })).toMatchObject({ code: "IP_NOT_ALLOWED", ip: null });
    const open = await limitedKey(null);
    expect((await verifyKey(deps(), open.secret, { ip: null })).code).toBe("VALID");
  });

  it("allowlistIp, when given, is what the list is checked against (POST /keys/verify); null refuses", async () => {
    const { secret } = await limitedKey(["10.0.0.0/8"]);
    expect((await verifyKey(deps(), secret, { ip: "192.0.2.1", allowlistIp: "10.0.0.1" })).code).toBe("VALID");
    expect((await verifyKey(deps(), secret, { ip: "10.0.0.1", allowlistIp: null })).code).toBe("IP_NOT_ALLOWED");
  });

  it("a revoked, expired or suspended key says so before its address is judged, and a refused address spends no rate limit", async () => {
    const revoked = await limitedKey(["10.0.0.0/8"]);
    await revokeApiKey(handle.db, revoked.user.id, revoked.key.id, CONTEXT);
    expect((await verifyKey(deps(), revoked.secret, { ip: "192.0.2.1" })).code).toBe("REVOKED");
    const expired = await limitedKey(["10.0.0.0/8"]);
    await handle.db.update(apiKeys).set({ expiresAt: sql`now() - interval '1 second'` }).where(eq(apiKeys.id, expired.key.id));
    expect((await verifyKey(deps(), expired.secret, { ip: "192.0.2.1" })).code).toBe("EXPIRED");
    const suspended = await limitedKey(["10.0.0.0/8"]);
    await handle.db.update(users).set({ suspendedAt: new Date() }).where(eq(users.id, suspended.user.id));
    expect((await verifyKey(deps(), suspended.secret, { ip: "192.0.2.1" })).code).toBe("USER_SUSPENDED");

    const { secret } = await limitedKey(["10.0.0.0/8"]);
    const d = deps({ ratePerMinute: 1 });
    for (let i = 0; i < 3; i++) expect((await verifyKey(d, secret, { ip: "192.0.2.1" })).code).toBe("IP_NOT_ALLOWED");
    expect((await verifyKey(d, secret, { ip: "10.0.0.1" })).code).toBe("VALID");
  });

  it("counts a refusal as a failure in usage, and does not mark the key used", async () => {
    const { key, secret } = await limitedKey(["10.0.0.0/8"]);
    const d = deps();
    expect((await verifyKey(d, secret, { ip: "192.0.2.1" })).code).toBe("IP_NOT_ALLOWED");
    await d.usage.flush();
    const [usage] = await handle.db.select().from(apiKeyUsageDaily).where(eq(apiKeyUsageDaily.keyId, key.id));
    expect(usage).toMatchObject({ successCount: 0, failureCount: 1 });
    const [row] = await handle.db.select({ lastUsedIp: apiKeys.lastUsedIp }).from(apiKeys).where(eq(apiKeys.id, key.id));
    expect(row!.lastUsedIp).toBeNull();
  });

  it("an edit of the list applies on the very next request, even from the embedded database's cache", async () => {
    const { user, key, secret } = await limitedKey(["10.0.0.0/8"]);
    const d = deps();
    expect((await verifyKey(d, secret, { ip: "127.0.0.1" })).code).toBe("IP_NOT_ALLOWED");
    expect((await verifyKey(d, secret, { ip: "10.0.0.1" })).code).toBe("VALID"); // cached now on the embedded database
    await updateApiKey(handle.db, user.id, key.id, { allowedIps: ["127.0.0.1"] }, CONTEXT);
    expect((await verifyKey(d, secret, { ip: "127.0.0.1" })).code).toBe("VALID");
    expect((await verifyKey(d, secret, { ip: "10.0.0.1" })).code).toBe("IP_NOT_ALLOWED");
    await updateApiKey(handle.db, user.id, key.id, { allowedIps: null }, CONTEXT);
    expect((await verifyKey(d, secret, { ip: "10.0.0.1" })).code).toBe("VALID");
  });

  it("reads the list in the one lookup: verification makes no other statement", async () => {
    const { secret } = await limitedKey(["10.0.0.0/8"]);
    const untouchable = new Proxy({} as Database, {
      get() {
        throw new Error("the database was touched outside the lookup");
      },
    });
    let lookups = 0;
    const lookup = (hash: string) => {
      lookups++;
      return lookupKeyByHash(handle.db, hash, 0);
    };
    const d = deps({ db: untouchable, lookup, usage: new UsageRecorder(async () => handle.db, 60_000) });
    expect((await verifyKey(d, secret, { ip: "192.0.2.1" })).code).toBe("IP_NOT_ALLOWED");
    expect((await verifyKey(d, secret, { ip: "10.0.0.1" })).code).toBe("VALID");
    expect(lookups).toBe(2);
  });

  it("a team key's list is checked the same way", async () => {
    const creator = await makeUser(handle.db);
    const team = await makeTeam(handle.db, [{ userId: creator.id, role: "developer" }]);
    const { secret } = await createApiKey(
      handle.db,
      { teamId: team.id, actorId: creator.id },
      { name: `t-${Math.random()}`, description: null, access: "restricted", scopes: ["keys:read"], expiresAt: null, allowedIps: ["::1"] },
      CONTEXT,
      PEPPER,
    );
    expect((await verifyKey(deps(), secret, { ip: "::1" })).code).toBe("VALID");
    expect((await verifyKey(deps(), secret, { ip: "127.0.0.1" })).code).toBe("IP_NOT_ALLOWED");
  });
});
