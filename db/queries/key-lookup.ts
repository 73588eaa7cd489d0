import { and, eq, sql } from "drizzle-orm";
import { sqlNow } from "@/lib/clock";
import type { Database } from "../client";
import { apiKeyRotations, apiKeys, users } from "../schema";

// One prepared statement, one round trip per verification: the key row by the digest of the
// presented secret, with its owner, either as the key's current secret or (second branch of the
// UNION ALL, also through a unique index) as a previous secret still in its rotation grace
// period. A digest is random, so at most one branch matches; LIMIT 1 stops at the first row.
// Expiry, revocation and grace are judged by the database's clock (now()), so every server
// instance agrees on them, and nothing is cached: a revoke, an expiry or the end of a grace
// period takes effect on the very next request.
const statements = new WeakMap<Database, ReturnType<typeof prepareLookup>>();

function prepareLookup(db: Database) {
  const now = sqlNow(sql.placeholder("offsetMs"));
  const columns = (viaPrevious: boolean) => ({
    id: apiKeys.id,
    name: apiKeys.name,
    access: apiKeys.access,
    scopes: apiKeys.scopes,
    expiresAt: apiKeys.expiresAt,
    lastUsedAt: apiKeys.lastUsedAt,
    revoked: sql<boolean>`(${apiKeys.revokedAt} is not null and ${apiKeys.revokedAt} <= ${now})`.as("revoked"),
    expired: sql<boolean>`(${apiKeys.expiresAt} is not null and ${apiKeys.expiresAt} <= ${now})`.as("expired"),
    ownerId: users.id,
    ownerEmail: users.email,
    ownerName: users.name,
    ownerRole: users.role,
    viaPrevious: (viaPrevious ? sql<boolean>`true` : sql<boolean>`false`).as("via_previous"),
  });
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

/** The key whose current (or, in its grace period, previous) secret has this digest, with its owner; undefined if none. */
export async function lookupKeyByHash(db: Database, hash: string, clockOffsetMs: number) {
  let lookup = statements.get(db);
  if (!lookup) statements.set(db, (lookup = prepareLookup(db)));
  const [row] = await lookup.execute({ hash, offsetMs: clockOffsetMs });
  return row;
}
