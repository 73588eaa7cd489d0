import type { Database } from "@/db/client";
import { lookupKeyByHash } from "@/db/queries/key-lookup";
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

  const row = await lookupKeyByHash(deps.db, hashKey(presented, deps.pepper), deps.clockOffsetMs ?? 0);
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
