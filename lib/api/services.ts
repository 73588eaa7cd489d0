import "server-only";
import { getDb } from "@/db";
import { ReservingLimiter } from "../rate-limit";
import { UsageRecorder } from "../usage";

/** Per-minute request allowance of one key (RATE_LIMIT_PER_MINUTE, default 600). */
export function ratePerMinute(): number {
  return positiveInt(process.env.RATE_LIMIT_PER_MINUTE, 600);
}

/** Failed authentications one client IP may make per minute (AUTH_FAILURES_PER_MINUTE, default 60). */
export function authFailuresPerMinute(): number {
  return positiveInt(process.env.AUTH_FAILURES_PER_MINUTE, 60);
}

/** How long usage counts and last-used marks wait in memory before being written (USAGE_FLUSH_MS, default 1 s). */
export function usageFlushMs(): number {
  return positiveInt(process.env.USAGE_FLUSH_MS, 1_000);
}

function positiveInt(value: string | undefined, fallback: number): number {
  const n = Number(value);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}

// Failed authentications per client address use the same reserving limiter as keys: each failure
// spends allowance reserved from the shared counter, so across all processes an address gets at
// most AUTH_FAILURES_PER_MINUTE 401s; the one after that is a 429. A blocked address is refused
// from memory, before its key is even parsed.
type Services = { keyLimiter: ReservingLimiter; failures: ReservingLimiter; usage: UsageRecorder };
const g = globalThis as unknown as { __keysmithApi?: Services };

/** Process-wide state of the API: limiters and the usage buffer (one per server process). */
export function apiServices(): Services {
  g.__keysmithApi ??= {
    keyLimiter: new ReservingLimiter(60_000),
    failures: new ReservingLimiter(60_000),
    usage: new UsageRecorder(getDb, usageFlushMs()),
  };
  return g.__keysmithApi;
}
