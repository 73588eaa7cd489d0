import { and, eq, sql, type SQL } from "drizzle-orm";
import { sqlNow } from "@/lib/clock";
import type { Database } from "../client";
import { perClient, writeGenerationOf } from "../coherence";
import { apiKeyRotations, apiKeys, users } from "../schema";

// One prepared statement, one round trip per verification: the key row by the digest of the
// presented secret, with its owner, either as the key's current secret or (second branch of the
// UNION ALL, also through a unique index) as a previous secret still in its rotation grace
// period. A digest is random, so at most one branch matches; LIMIT 1 stops at the first row.
// Expiry, revocation and grace are judged by the database's clock (now()), so every server
// instance agrees on them, and on a server database nothing is cached: a revoke, an expiry or the
// end of a grace period takes effect on the very next request. On the embedded database the
// process is the database's only client, and a cache that every write invalidates keeps the same
// guarantee (below, and db/coherence.ts).
const statements = new WeakMap<Database, ReturnType<typeof prepareLookup>>();
const pairStatements = new WeakMap<Database, ReturnType<typeof preparePairLookup>>();

/** The key row and owner columns, with the digest each row was found by (`matched`). */
function lookupColumns(now: SQL, viaPrevious: boolean) {
  return {
    id: apiKeys.id,
    name: apiKeys.name,
    access: apiKeys.access,
    scopes: apiKeys.scopes,
    expiresAt: apiKeys.expiresAt,
    lastUsedAt: apiKeys.lastUsedAt,
    revokedAt: apiKeys.revokedAt,
    // Raw instants beside the judged flags, so a cached row can be judged again later (below).
    graceUntil: (viaPrevious ? sql`${apiKeyRotations.graceUntil}` : sql`null::timestamptz`)
      .mapWith((v: string | Date | null) => (v === null ? null : new Date(v)))
      .as("grace_until") as unknown as SQL.Aliased<Date | null>,
    revoked: sql<boolean>`(${apiKeys.revokedAt} is not null and ${apiKeys.revokedAt} <= ${now})`.as("revoked"),
    expired: sql<boolean>`(${apiKeys.expiresAt} is not null and ${apiKeys.expiresAt} <= ${now})`.as("expired"),
    ownerId: users.id,
    ownerEmail: users.email,
    ownerName: users.name,
    ownerRole: users.role,
    // A suspended owner's keys are refused (USER_SUSPENDED): read from the owner row this lookup
    // already joins, so suspension costs no query of its own. On the embedded database a suspend
    // or reinstate is a write to users, which moves the write generation (db/coherence.ts), so a
    // cached row is never served across it.
    ownerSuspendedAt: users.suspendedAt,
    viaPrevious: (viaPrevious ? sql<boolean>`true` : sql<boolean>`false`).as("via_previous"),
    matched: (viaPrevious ? sql<string>`${apiKeyRotations.oldKeyHash}` : sql<string>`${apiKeys.keyHash}`).as("matched"),
  };
}

/**
 * Two digests in one round trip: POST /api/v1/keys/verify needs the calling key and the key it
 * checks, and on a server database each lookup is a round trip the request waits for.
 */
function preparePairLookup(db: Database) {
  const now = sqlNow(sql.placeholder("offsetMs"));
  const digests = sql`(${sql.placeholder("first")}, ${sql.placeholder("second")})`;
  const current = db
    .select(lookupColumns(now, false))
    .from(apiKeys)
    .innerJoin(users, eq(users.id, apiKeys.userId))
    .where(sql`${apiKeys.keyHash} in ${digests}`);
  const previous = db
    .select(lookupColumns(now, true))
    .from(apiKeyRotations)
    .innerJoin(apiKeys, eq(apiKeys.id, apiKeyRotations.keyId))
    .innerJoin(users, eq(users.id, apiKeys.userId))
    .where(and(sql`${apiKeyRotations.oldKeyHash} in ${digests}`, sql`${apiKeyRotations.graceUntil} > ${now}`));
  return current.unionAll(previous).limit(2).prepare("keysmith_verify_api_key_pair");
}

function prepareLookup(db: Database) {
  const now = sqlNow(sql.placeholder("offsetMs"));
  const columns = (viaPrevious: boolean) => lookupColumns(now, viaPrevious);
  const current = db
    .select(columns(false))
    .from(apiKeys)
    .innerJoin(users, eq(users.id, apiKeys.userId))
    .where(eq(apiKeys.keyHash, sql.placeholder("hash")));
  const previous = db
    .select(columns(true))
    .from(apiKeyRotations)
    .innerJoin(apiKeys, eq(apiKeys.id, apiKeyRotations.keyId))
    .innerJoin(users, eq(users.id, apiKeys.userId))
    .where(and(eq(apiKeyRotations.oldKeyHash, sql.placeholder("hash")), sql`${apiKeyRotations.graceUntil} > ${now}`));
  return current.unionAll(previous).limit(1).prepare("keysmith_verify_api_key");
}

export type KeyLookupRow = NonNullable<Awaited<ReturnType<ReturnType<typeof prepareLookup>["execute"]>>[number]>;

/**
 * On the embedded database only (db/coherence.ts): found rows by digest, each served while no
 * write that could change it has run since it was read. Revocation, expiry and grace are judged
 * again on every hit from the cached instants, by the same (test-shiftable) clock; unknown keys are
 * never cached (a flood of random keys must not fill memory). Bounded; the oldest entry goes first.
 */
const MAX_CACHED = 100_000;
type Cached = { generation: number; row: KeyLookupRow };

/** The key whose current (or, in its grace period, previous) secret has this digest, with its owner; undefined if none. */
export async function lookupKeyByHash(db: Database, hash: string, clockOffsetMs: number): Promise<{ row: KeyLookupRow | undefined; cached: boolean }> {
  const generation = writeGenerationOf(db);
  const cache = generation ? perClient(db, "keyLookupCache", () => new Map<string, Cached>()) : undefined;
  const hit = cache?.get(hash);
  if (hit && hit.generation === generation!.current) {
    const judged = judge(hit.row, Date.now() + clockOffsetMs);
    if (judged) return { row: judged, cached: true };
  }
  // Read under the generation as it was before the statement ran (see db/coherence.ts).
  const readUnder = generation?.current;
  let lookup = statements.get(db);
  if (!lookup) statements.set(db, (lookup = prepareLookup(db)));
  const [row] = await lookup.execute({ hash, offsetMs: clockOffsetMs });
  if (cache && row && readUnder !== undefined) {
    cache.delete(hash);
    if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value!);
    cache.set(hash, { generation: readUnder, row });
  }
  return { row, cached: false };
}

export type KeyLookup = (hash: string) => Promise<{ row: KeyLookupRow | undefined; cached: boolean }>;

/**
 * A lookup for exactly two digests that reads both in one round trip (the first call starts it, the
 * second awaits the same read); on the embedded database each digest goes through the cache as in
 * lookupKeyByHash. Any other digest is looked up on its own.
 */
export function pairedLookup(db: Database, first: string, second: string, clockOffsetMs: number): KeyLookup {
  // Keyed like the unique index and the cache: a digest is only ever found, never compared.
  const pair = new Set([first, second]);
  if (writeGenerationOf(db) || pair.size < 2) return (hash) => lookupKeyByHash(db, hash, clockOffsetMs);
  let both: Promise<Map<string, KeyLookupRow>> | undefined;
  const read = async () => {
    let lookup = pairStatements.get(db);
    if (!lookup) pairStatements.set(db, (lookup = preparePairLookup(db)));
    const rows = await lookup.execute({ first, second, offsetMs: clockOffsetMs });
    return new Map(rows.map((row) => [row.matched, row]));
  };
  return async (hash) => {
    if (!pair.has(hash)) return lookupKeyByHash(db, hash, clockOffsetMs);
    both ??= read();
    return { row: (await both).get(hash), cached: false };
  };
}

/** A cached row as the lookup would return it at `now`; undefined when it must be read again (a previous secret past its grace). */
function judge(row: KeyLookupRow, now: number): KeyLookupRow | undefined {
  if (row.viaPrevious && (!row.graceUntil || row.graceUntil.getTime() <= now)) return undefined;
  return {
    ...row,
    revoked: !!row.revokedAt && row.revokedAt.getTime() <= now,
    expired: !!row.expiresAt && row.expiresAt.getTime() <= now,
  };
}
