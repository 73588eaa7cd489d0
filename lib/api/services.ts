import "server-only";
import { getDb } from "@/db";
import { config } from "../config";
import { ReservingLimiter, SyncedLimiter } from "../rate-limit";
import { UsageRecorder } from "../usage";

/** Per-minute request allowance of one key (RATE_LIMIT_PER_MINUTE, default 600). */
export function ratePerMinute(): number {
  return config.ratePerMinute;
}

/** Failed authentications one client IP may make per minute (AUTH_FAILURES_PER_MINUTE, default 60). */
export function authFailuresPerMinute(): number {
  return config.authFailuresPerMinute;
}

// Failed authentications per client address use the same reserving limiter as keys: each failure
// spends allowance reserved from the shared counter, so across all processes an address gets at
// most AUTH_FAILURES_PER_MINUTE 401s; the one after that is a 429. A blocked address is refused
// from memory, before its key is even parsed.
// Per-key limits decide in memory and sync in the background (SyncedLimiter: no request waits on
// a write); leak reports keep an exact reserving limiter (a rare path, where a wait costs nothing).
type Services = { keyLimiter: SyncedLimiter; reports: ReservingLimiter; failures: ReservingLimiter; usage: UsageRecorder };
const g = globalThis as unknown as { __keysmithApi?: Services };

/** Process-wide state of the API: limiters and the usage buffer (one per server process). */
export function apiServices(): Services {
  g.__keysmithApi ??= {
    keyLimiter: new SyncedLimiter(60_000, getDb),
    reports: new ReservingLimiter(60_000),
    failures: new ReservingLimiter(60_000),
    usage: new UsageRecorder(getDb, config.usageFlushMs),
  };
  return g.__keysmithApi;
}
