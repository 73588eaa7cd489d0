import type { Database } from "@/db/client";
import { lookupKeyByHash, type KeyLookup, type KeyLookupRow } from "@/db/queries/key-lookup";
import { metrics } from "../metrics";
import type { LimitState, SyncedLimiter } from "../rate-limit";
import { missingScopes, type Access, type Scope } from "../scopes";
import type { UsageRecorder } from "../usage";
import { ipAllowed } from "./cidr";
import { isWellFormedKey } from "./format";
import { hashKey } from "./hash";

/** Who a key belongs to: a person, or a team (a team key acts as the team, never as its creator). */
export type KeyOwnerInfo =
  | { type: "user"; id: string; email: string; name: string; role: "admin" | "member" }
  | { type: "team"; id: string; slug: string; name: string };

export type VerifiedKey = {
  id: string;
  name: string;
  access: Access;
  scopes: string[];
  expiresAt: Date | null;
  owner: KeyOwnerInfo;
  /**
   * True when the presented secret is one the key was rotated away from, still in its grace
   * period. It authenticates as the key (apps keep working while they switch), but it must not
   * rotate the key: that would let a leaked old secret take the key over (see assertCurrentSecret).
   */
  viaPreviousSecret: boolean;
  /** Client addresses allowed to use the key (canonical); null: any. */
  allowedIps: string[] | null;
};

/** `rate`: the key's limit after this request, for the RateLimit headers (lib/api/http.ts). */
export type VerifyResult =
  | { code: "VALID"; key: VerifiedKey; rate: LimitState }
  | { code: "NOT_FOUND"; malformed: boolean }
  | { code: "EXPIRED" | "REVOKED" | "USER_SUSPENDED"; key: VerifiedKey }
  /** `ip`: the client address the allowlist was checked against (null: none was known). */
  | { code: "IP_NOT_ALLOWED"; key: VerifiedKey; ip: string | null }
  | { code: "INSUFFICIENT_SCOPE"; key: VerifiedKey; missing: Scope[]; rate: LimitState }
  | { code: "RATE_LIMITED"; key: VerifiedKey; retryAfterSeconds: number; rate: LimitState };

export type VerifyDeps = {
  db: Database;
  /** Test clock offset (lib/clock.ts); always 0 in production. */
  clockOffsetMs?: number;
  pepper: string;
  limiter: Pick<SyncedLimiter, "take">;
  usage: UsageRecorder;
  ratePerMinute: number;
  /** How to find a digest's key: by default one lookup each; POST /keys/verify reads two at once (pairedLookup). */
  lookup?: KeyLookup;
};

export type VerifyOptions = {
  scopes?: readonly Scope[];
  /** The request's client address: recorded as the key's last use, and checked against its allowlist. */
  ip: string | null;
  /**
   * The address the allowlist is checked against when it is not `ip`: POST /keys/verify checks the
   * end client's address from its body (null when the body has none: a key with an allowlist is then refused).
   */
  allowlistIp?: string | null;
};

/**
 * The one verification path, used by every /api/v1 route and by POST /api/v1/keys/verify.
 * Order: format and checksum (no database) -> one lookup by HMAC -> revoked -> expired -> owner
 * suspended -> allowed IPs -> rate limit -> scope. The allowlist comes in the same lookup row (no
 * query of its own) and is checked before the limiter, so requests from elsewhere with a leaked
 * secret cannot spend the key's rate limit. The lookup is the only thing a verification waits for: the limiter decides in
 * memory and exchanges its counts with the database in the background (SyncedLimiter), and usage
 * is recorded in memory and written in batches (UsageRecorder).
 */
export async function verifyKey(
  deps: VerifyDeps,
  presented: string,
  options: VerifyOptions,
): Promise<VerifyResult> {
  const started = performance.now();
  const result = await decide(deps, presented, options);
  const m = metrics();
  m.verifications.inc({ result: result.code });
  m.verificationSeconds.observe((performance.now() - started) / 1000);
  return result;
}

async function decide(deps: VerifyDeps, presented: string, options: VerifyOptions): Promise<VerifyResult> {
  if (!isWellFormedKey(presented)) return { code: "NOT_FOUND", malformed: true };

  const hash = hashKey(presented, deps.pepper);
  const { row, cached } = await (deps.lookup ? deps.lookup(hash) : lookupKeyByHash(deps.db, hash, deps.clockOffsetMs ?? 0));
  metrics().lookups.inc({ source: cached ? "cache" : "database" });
  if (!row) return { code: "NOT_FOUND", malformed: false };

  const key: VerifiedKey = {
    id: row.id,
    name: row.name,
    access: row.access,
    scopes: row.scopes,
    expiresAt: row.expiresAt,
    owner: ownerOf(row),
    viaPreviousSecret: row.viaPrevious,
    allowedIps: row.allowedIps,
  };
  const fail = <T extends VerifyResult>(result: T): T => {
    deps.usage.count(key.id, false);
    return result;
  };
  // A deleted team's keys stop with it: answered as revoked (the team will not come back).
  if (row.revoked || row.teamDeleted) return fail({ code: "REVOKED", key });
  if (row.expired) return fail({ code: "EXPIRED", key });
  // After revoked and expired: a key that would fail anyway says so; one that only waits for its
  // owner's reinstatement says USER_SUSPENDED (and works again once reinstated).
  // A person's key only: a team key joins no user (its creator is not its owner), so this is null.
  if (row.ownerSuspendedAt) return fail({ code: "USER_SUSPENDED", key });

  // After the states above (a revoked key still says revoked): a working key used from elsewhere.
  // An unknown client address never passes an allowlist.
  const checkedIp = "allowlistIp" in options ? (options.allowlistIp ?? null) : options.ip;
  if (row.allowedIps && !ipAllowed(row.allowedIps, checkedIp)) return fail({ code: "IP_NOT_ALLOWED", key, ip: checkedIp });

  const limit = deps.limiter.take(`key:${key.id}`, deps.ratePerMinute);
  if (!limit.ok) return fail({ code: "RATE_LIMITED", key, retryAfterSeconds: limit.retryAfterSeconds, rate: limit.state });

  const missing = missingScopes(key.scopes, options.scopes ?? []);
  if (missing.length > 0) return fail({ code: "INSUFFICIENT_SCOPE", key, missing, rate: limit.state });

  deps.usage.count(key.id, true);
  deps.usage.touch(key.id, row.lastUsedAt, options.ip);
  return { code: "VALID", key, rate: limit.state };
}

/** The owner columns of a lookup row as one owner (exactly one side of the two LEFT JOINs is there). */
function ownerOf(row: KeyLookupRow): KeyOwnerInfo {
  if (row.teamId) return { type: "team", id: row.teamId, slug: row.teamSlug!, name: row.teamName! };
  return { type: "user", id: row.ownerId!, email: row.ownerEmail!, name: row.ownerName!, role: row.ownerRole! };
}
