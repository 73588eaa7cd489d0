import { and, eq, sql, type SQL } from "drizzle-orm";
import { sqlNow } from "@/lib/clock";
import type { Database } from "../client";
import { perClient, writeGenerationOf } from "../coherence";
import { apiKeyRotations, apiKeys, teams, users } from "../schema";

// One prepared statement, one round trip per verification: the key row by the digest of the
// presented secret, with its owner, either as the key's current secret or (second branch of the
// UNION ALL, also through a unique index) as a previous secret still in its rotation grace
// period. The owner is a person or a team (LEFT JOIN of each; exactly one matches, api_keys_one_owner). A digest is random, so at most one branch matches; LIMIT 1 stops at the first row.
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
    // The key's IP allowlist, in the same row: checking it costs no query (lib/keys/verify.ts). On
    // the embedded database an edit is a write to api_keys, which moves the write generation.
    allowedIps: apiKeys.allowedIps,
    // Raw instants beside the judged flags, so a cached row can be judged again later (below).
    graceUntil: (viaPrevious ? sql`${apiKeyRotations.graceUntil}` : sql`null::timestamptz`)
      .mapWith((v: string | Date | null) => (v === null ? null : new Date(v)))
      .as("grace_until") as unknown as SQL.Aliased<Date | null>,
    revoked: sql<boolean>`(${apiKeys.revokedAt} is not null and ${apiKeys.revokedAt} <= ${now})`.as("revoked"),
    expired: sql<boolean>`(${apiKeys.expiresAt} is not null and ${apiKeys.expiresAt} <= ${now})`.as("expired"),
    // The owner: a person (the users columns) or a team (the teams columns), by two LEFT JOINs in
    // the same statement; the other side is null. A team key's creator is not joined at all: a
    // team key never depends on the person who made it (suspended, deleted, left the team).
    ownerId: users.id,
    ownerEmail: users.email,
    ownerName: users.name,
    ownerRole: users.role,
    teamId: teams.id,
    teamSlug: teams.slug,
    teamName: teams.name,
    // A deleted team's keys are refused like revoked ones. On the embedded database deleting a team
    // is a write to teams, which moves the write generation (db/coherence.ts).
    teamDeleted: sql<boolean>`(${teams.deletedAt} is not null)`.as("team_deleted"),
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
    .leftJoin(users, eq(users.id, apiKeys.userId))
    .leftJoin(teams, eq(teams.id, apiKeys.teamId))
    .where(sql`${apiKeys.keyHash} in ${digests}`);
  const previous = db
    .select(lookupColumns(now, true))
    .from(apiKeyRotations)
    .innerJoin(apiKeys, eq(apiKeys.id, apiKeyRotations.keyId))
    .leftJoin(users, eq(users.id, apiKeys.userId))
    .leftJoin(teams, eq(teams.id, apiKeys.teamId))
    .where(and(sql`${apiKeyRotations.oldKeyHash} in ${digests}`, sql`${apiKeyRotations.graceUntil} > ${now}`));
  return current.unionAll(previous).limit(2).prepare("keysmith_verify_api_key_pair");
}

function prepareLookup(db: Database) {
  const now = sqlNow(sql.placeholder("offsetMs"));
  const columns = (viaPrevious: boolean) => lookupColumns(now, viaPrevious);
  const current = db
    .select(columns(false))
    .from(apiKeys)
    .leftJoin(users, eq(users.id, apiKeys.userId))
    .leftJoin(teams, eq(teams.id, apiKeys.teamId))
    .where(eq(apiKeys.keyHash, sql.placeholder("hash")));
  const previous = db
    .select(columns(true))
    .from(apiKeyRotations)
    .innerJoin(apiKeys, eq(apiKeys.id, apiKeyRotations.keyId))
    .leftJoin(users, eq(users.id, apiKeys.userId))
    .leftJoin(teams, eq(teams.id, apiKeys.teamId))
    .where(and(eq(apiKeyRotations.oldKeyHash, sql.placeholder("hash")), sql`${apiKeyRotations.graceUntil} > ${now}`));
  return current.unionAll(previous).limit(1).prepare("keysmith_verify_api_key");
}

export type KeyLookupRow = NonNullable<Awaited<ReturnType<ReturnType<typeof prepareLookup>["execute"]>>[number]>;

/** Every key's lookup row at once (current secrets; previous ones still in their grace period), for the snapshot below. */
function prepareSnapshot(db: Database) {
  const now = sqlNow(sql.placeholder("offsetMs"));
  const current = db
    .select(lookupColumns(now, false))
    .from(apiKeys)
    .leftJoin(users, eq(users.id, apiKeys.userId))
    .leftJoin(teams, eq(teams.id, apiKeys.teamId));
  const previous = db
    .select(lookupColumns(now, true))
    .from(apiKeyRotations)
    .innerJoin(apiKeys, eq(apiKeys.id, apiKeyRotations.keyId))
    .leftJoin(users, eq(users.id, apiKeys.userId))
    .leftJoin(teams, eq(teams.id, apiKeys.teamId))
    .where(sql`${apiKeyRotations.graceUntil} > ${now}`);
  return current.unionAll(previous).limit(sql.placeholder("limit")).prepare("keysmith_key_snapshot");
}

/**
 * On the embedded database only: every key's row, read in one statement and served while no write
 * that could change a verification has run since (the same write generation as the cache below).
 * With it, a key seen for the first time and an unknown key are answered without a statement:
 * PGlite runs one statement at a time on the server's own thread, so each of those used to cost
 * about a millisecond of it. After a write the per-key path serves alone until the snapshot is
 * read again in the background, at most once per SNAPSHOT_MIN_INTERVAL_MS (or ten times the last
 * read's duration, if longer). Up to SNAPSHOT_MAX_ROWS rows (as many as the per-key cache may hold);
 * a larger database goes without.
 */
export const SNAPSHOT_MAX_ROWS = 100_000;
const SNAPSHOT_MIN_INTERVAL_MS = 2_000;
const SNAPSHOT_RETRY_TOO_MANY_MS = 5 * 60_000;
type Snapshot = { generation: number; rows: Map<string, KeyLookupRow> };
type SnapshotState = { current?: Snapshot; loading?: Promise<void>; nextStart: number; maxRows: number };
const snapshotStatements = new WeakMap<Database, ReturnType<typeof prepareSnapshot>>();

function snapshotState(db: Database): SnapshotState {
  return perClient(db, "keySnapshot", (): SnapshotState => ({ nextStart: 0, maxRows: SNAPSHOT_MAX_ROWS }));
}

/** Reads the snapshot again now (unless a read is under way); resolves when it is in place. Startup and tests call it; lookups start it in the background. */
export function loadKeySnapshot(db: Database): Promise<void> {
  const generation = writeGenerationOf(db);
  if (!generation) return Promise.resolve();
  const state = snapshotState(db);
  state.loading ??= (async () => {
    const started = Date.now();
    try {
      // Read under the generation as it was before the statement ran (see db/coherence.ts).
      const readUnder = generation.current;
      let read = snapshotStatements.get(db);
      if (!read) snapshotStatements.set(db, (read = prepareSnapshot(db)));
      const rows = await read.execute({ offsetMs: 0, limit: state.maxRows + 1 });
      if (rows.length > state.maxRows) {
        state.current = undefined;
        state.nextStart = Date.now() + SNAPSHOT_RETRY_TOO_MANY_MS;
        return;
      }
      state.current = { generation: readUnder, rows: new Map(rows.map((row) => [row.matched, row])) };
      state.nextStart = Date.now() + Math.max(SNAPSHOT_MIN_INTERVAL_MS, 10 * (Date.now() - started));
    } catch {
      state.nextStart = Date.now() + SNAPSHOT_MIN_INTERVAL_MS; // the per-key path still answers
    } finally {
      state.loading = undefined;
    }
  })();
  return state.loading;
}

/** For tests: the most rows a snapshot may hold on this client. */
export function setKeySnapshotLimit(db: Database, maxRows: number): void {
  const state = snapshotState(db);
  state.maxRows = maxRows;
  state.current = undefined;
  state.nextStart = 0;
}

/** The snapshot if it is current; otherwise undefined, and a new read starts in the background when one is due. */
function currentSnapshot(db: Database, generation: number): Snapshot | undefined {
  const state = snapshotState(db);
  if (state.current?.generation === generation) return state.current;
  if (!state.loading && Date.now() >= state.nextStart) void loadKeySnapshot(db);
  return undefined;
}

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
  if (generation) {
    const snapshot = currentSnapshot(db, generation.current);
    // Every key is in it: a digest it does not hold has no key (or a previous secret past its grace).
    if (snapshot) {
      const row = snapshot.rows.get(hash);
      return { row: row && judge(row, Date.now() + clockOffsetMs), cached: true };
    }
  }
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
