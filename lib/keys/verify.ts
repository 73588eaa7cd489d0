import { and, eq, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { apiKeyRotations, apiKeys, users } from "@/db/schema";
import { sqlNow } from "../clock";
import type { ReservingLimiter } from "../rate-limit";
import { missingScopes, type Access, type Scope } from "../scopes";
import type { UsageRecorder } from "../usage";
import { isWellFormedKey } from "./format";
import { hashKey } from "./hash";

export type VerifiedKey = {
  id: string;
  name: string;
  access: Access;
  scopes: string[];
  expiresAt: Date | null;
  owner: { id: string; email: string; name: string; role: "admin" | "member" };
  /**
   * True when the presented secret is one the key was rotated away from, still in its grace
   * period. It authenticates as the key (apps keep working while they switch), but it must not
   * rotate the key: that would let a leaked old secret take the key over (see assertCurrentSecret).
   */
  viaPreviousSecret: boolean;
};

export type VerifyResult =
  | { code: "VALID"; key: VerifiedKey }
  | { code: "NOT_FOUND"; malformed: boolean }
  | { code: "EXPIRED" | "REVOKED"; key: VerifiedKey }
  | { code: "INSUFFICIENT_SCOPE"; key: VerifiedKey; missing: Scope[] }
  | { code: "RATE_LIMITED"; key: VerifiedKey; retryAfterSeconds: number };

export type VerifyDeps = {
  db: Database;
  /** Test clock offset (lib/clock.ts); always 0 in production. */
  clockOffsetMs?: number;
  pepper: string;
  limiter: ReservingLimiter;
  usage: UsageRecorder;
  ratePerMinute: number;
};

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

/**
 * The one verification path, used by every /api/v1 route and by POST /api/v1/keys/verify.
 * Order: format and checksum (no database) -> one lookup by HMAC -> revoked -> expired -> rate
 * limit -> scope. Usage is recorded in memory and written in batches (see UsageRecorder), so a
 * verification's only statement is the lookup (plus, once per batch of the key's allowance, the
 * rate limiter's reservation).
 */
export async function verifyKey(
  deps: VerifyDeps,
  presented: string,
  options: { scopes?: readonly Scope[]; ip: string | null },
): Promise<VerifyResult> {
  if (!isWellFormedKey(presented)) return { code: "NOT_FOUND", malformed: true };

  let lookup = statements.get(deps.db);
  if (!lookup) statements.set(deps.db, (lookup = prepareLookup(deps.db)));
  const [row] = await lookup.execute({ hash: hashKey(presented, deps.pepper), offsetMs: deps.clockOffsetMs ?? 0 });
  if (!row) return { code: "NOT_FOUND", malformed: false };

  const key: VerifiedKey = {
    id: row.id,
    name: row.name,
    access: row.access,
    scopes: row.scopes,
    expiresAt: row.expiresAt,
    owner: { id: row.ownerId, email: row.ownerEmail, name: row.ownerName, role: row.ownerRole },
    viaPreviousSecret: row.viaPrevious,
  };
  const fail = <T extends VerifyResult>(result: T): T => {
    deps.usage.count(key.id, false);
    return result;
  };
  if (row.revoked) return fail({ code: "REVOKED", key });
  if (row.expired) return fail({ code: "EXPIRED", key });

  const limit = await deps.limiter.take(deps.db, `key:${key.id}`, deps.ratePerMinute);
  if (!limit.ok) return fail({ code: "RATE_LIMITED", key, retryAfterSeconds: limit.retryAfterSeconds });

  const missing = missingScopes(key.scopes, options.scopes ?? []);
  if (missing.length > 0) return fail({ code: "INSUFFICIENT_SCOPE", key, missing });

  deps.usage.count(key.id, true);
  deps.usage.touch(key.id, row.lastUsedAt, options.ip);
  return { code: "VALID", key };
}
