// Pieces of `npm run bench` (scripts/bench.ts): keys that really verify, HTTP load through
// autocannon, the verification function in-process, and first-load JavaScript from the build.
import { createHmac, randomInt } from "node:crypto";
import autocannon from "autocannon";
export { firstLoadJs } from "./first-load-js";
import { sql } from "drizzle-orm";
import type { Database } from "../db/client";
import { apiKeys, users } from "../db/schema";
import { checksumOf, generateKey, KEY_PREFIX, keyHint, randomBase62 } from "../lib/keys/format";
import { verifyKey } from "../lib/keys/verify";
import { SyncedLimiter } from "../lib/rate-limit";
import { ALL_SCOPES } from "../lib/scopes";
import { DAY_MS } from "../lib/time";
import { UsageRecorder } from "../lib/usage";

/**
 * Inserts `total` real keys (HMAC under `pepper`), the first `forFirst` owned by `firstUserId`
 * and the rest spread over `others`. Returns the plaintexts of the usable ones, kept in memory
 * only (never printed). The first owner's keys get a mix of states like a real account: every
 * 10th revoked, every 7th due for rotation, a quarter without expiry, a few expiring this week.
 */
/**
 * `total` real keys: the first `forFirst` for `firstUserId`, the rest spread over `others` and,
 * one in five, owned by one of `teamIds` (created by one of `others`), so the verified population
 * holds team keys too.
 */
export async function insertRealKeys(db: Database, pepper: string, firstUserId: string, forFirst: number, others: string[], total: number, namePrefix = "bench key", teamIds: string[] = []) {
  const usable: string[] = [];
  const now = Date.now();
  for (let start = 0; start < total; start += 1_000) {
    const rows: (typeof apiKeys.$inferInsert)[] = [];
    for (let i = start; i < Math.min(total, start + 1_000); i++) {
      const key = generateKey();
      const revoked = i % 10 === 9;
      if (!revoked) usable.push(key);
      const created = new Date(now - (i % 365) * DAY_MS - i * 1_000);
      const team = i >= forFirst && teamIds.length > 0 && i % 5 === 2 ? teamIds[i % teamIds.length]! : null;
      rows.push({
        userId: team ? null : i < forFirst ? firstUserId : others[i % others.length]!,
        teamId: team,
        createdBy: i < forFirst ? firstUserId : others[i % others.length]!,
        name: `${namePrefix} ${i}`,
        keyHash: createHmac("sha256", pepper).update(key, "utf8").digest("hex"),
        hint: keyHint(key),
        access: "full",
        scopes: [...ALL_SCOPES],
        expiresAt: i % 4 === 0 ? null : new Date(now + (2 + (i % 300)) * DAY_MS),
        revokedAt: revoked ? new Date(now - DAY_MS) : null,
        revokedReason: revoked ? "bench" : null,
        secretCreatedAt: i % 7 === 0 ? new Date(now - 100 * DAY_MS) : created,
        createdAt: created,
      });
    }
    await db.insert(apiKeys).values(rows);
  }
  await db.execute(sql`analyze ${apiKeys}`);
  await db.execute(sql`analyze ${users}`);
  return usable;
}

/** Well-formed keys with a wrong checksum: refused by the format check, before any lookup. */
export function badChecksumKeys(n: number): string[] {
  return Array.from({ length: n }, () => {
    const body = randomBase62(30);
    const good = checksumOf(body);
    const bad = good === "000000" ? "000001" : "000000";
    return `${KEY_PREFIX}_${body}${bad}`;
  });
}

export type LoadResult = { rps: number; p50: number; p99: number; requests: number; unexpected: number; statuses: string };

/** Where a list of keys is read from: in turn, at random, or in turn across runs without ever repeating (first-seen keys). */
export type KeySource = { keys: string[]; pick: "cycle" | "random" | "once"; cursor?: { next: number } };

/**
 * One autocannon run against `path`, each request taking its Authorization key from `bearer`
 * (a list taken in turn, or a KeySource) and, for POST, its JSON body from `body()`.
 */
export async function load(
  base: string,
  urlPath: string,
  opts: { connections: number; duration: number; expect: number; bearer?: string[] | KeySource; method?: "GET" | "POST"; body?: () => string },
): Promise<LoadResult> {
  let i = 0;
  const source: KeySource | undefined = Array.isArray(opts.bearer) ? { keys: opts.bearer, pick: "cycle" } : opts.bearer;
  const nextKey = (s: KeySource) => {
    if (s.pick === "random") return s.keys[randomInt(s.keys.length)]!;
    if (s.pick === "once") {
      s.cursor ??= { next: 0 };
      return s.keys[s.cursor.next++ % s.keys.length]!;
    }
    return s.keys[i++ % s.keys.length]!;
  };
  const result = await autocannon({
    url: base,
    connections: opts.connections,
    duration: opts.duration,
    timeout: 30,
    requests: [
      {
        method: opts.method ?? "GET",
        path: urlPath,
        setupRequest: (request) => {
          const headers: Record<string, string> = { ...request.headers };
          if (source) headers.authorization = `Bearer ${nextKey(source)}`;
          if (opts.body) headers["content-type"] = "application/json";
          return { ...request, headers, ...(opts.body ? { body: opts.body() } : {}) };
        },
      },
    ],
  });
  const counts = Object.entries(result.statusCodeStats ?? {});
  const expected = counts.filter(([code]) => Number(code) === opts.expect).reduce((n, [, v]) => n + Number(v.count), 0);
  const total = counts.reduce((n, [, v]) => n + Number(v.count), 0);
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: total,
    unexpected: total - expected + result.errors + result.timeouts,
    statuses: counts.map(([code, v]) => `${code}×${v.count}`).join(" ") + (result.errors ? ` errors×${result.errors}` : ""),
  };
}

/**
 * verifyKey() in this process against the same database (no HTTP): `concurrency` callers in a
 * loop for `seconds`, cycling through `keys`. Operations per second.
 */
export async function verifyInProcess(db: Database, pepper: string, keys: string[], seconds: number, concurrency: number): Promise<number> {
  const usage = new UsageRecorder(async () => db);
  const limiter = new SyncedLimiter(60_000, async () => db);
  // The cost of verifying, not the limit: with the embedded database's cache a hot key is checked
  // tens of thousands of times a second here, far past any per-minute allowance.
  const deps = { db, pepper, limiter, usage, ratePerMinute: 1_000_000_000 };
  let next = 0;
  let done = 0;
  const until = performance.now() + seconds * 1_000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < until) {
        const result = await verifyKey(deps, keys[next++ % keys.length]!, { ip: "127.0.0.1" });
        if (result.code !== "VALID" && result.code !== "NOT_FOUND") throw new Error(`in-process verification: ${result.code}`);
        done++;
      }
    }),
  );
  const ops = done / ((performance.now() - started) / 1_000);
  await Promise.all([usage.flush(), limiter.sync()]);
  return ops;
}


/**
 * Two servers, one key, 3x its per-minute limit sent within one limit window (split evenly, at a
 * steady rate over 20 s, starting just after a window opens): how many the pair admitted.
 */
export async function pushAcrossTwo(bases: [string, string], key: string, limit: number): Promise<{ admitted: number; limit: number; sent: number }> {
  const intoWindow = Date.now() % 60_000;
  if (intoWindow > 5_000) await new Promise((r) => setTimeout(r, 60_000 - intoWindow + 500));
  const sent = 3 * limit;
  const runs = await Promise.all(
    bases.map((url) =>
      autocannon({
        url,
        connections: 10,
        amount: sent / 2,
        overallRate: sent / 2 / 20,
        timeout: 30,
        requests: [{ method: "GET", path: "/api/v1/me", headers: { authorization: `Bearer ${key}` } }],
      }),
    ),
  );
  const admitted = runs.reduce((n, r) => n + Number(r.statusCodeStats?.["200"]?.count ?? 0), 0);
  return { admitted, limit, sent };
}
