import { sql, type Placeholder, type SQL } from "drizzle-orm";
import { config } from "./config";
import { DAY_MS } from "./time";

const MAX_OFFSET_MS = 400 * DAY_MS;

/**
 * An injectable clock for end-to-end tests of time-based rules (grace periods, expiry) without
 * sleeping. Only when the server runs with KEYSMITH_TEST_CLOCK=1 does a request's
 * `X-Test-Clock-Offset: <ms>` header (0 to 400 days, forward only) shift "now" for that request,
 * for API calls, server actions and pages alike; otherwise the offset is always 0 and the
 * database's own clock decides. Never set KEYSMITH_TEST_CLOCK in production.
 */
export function clockOffsetMs(headers?: Headers): number {
  if (!config.testClock || !headers) return 0;
  const n = Number(headers.get("x-test-clock-offset") ?? 0);
  // Forward only: moving "now" back before a key's revocation or expiry would make it verify
  // again, so even a test server never lets a request undo one.
  const offset = Number.isFinite(n) ? Math.max(0, Math.min(MAX_OFFSET_MS, Math.trunc(n))) : 0;
  if (offset > (testClock.__keysmithTestClockFurthest ?? 0)) testClock.__keysmithTestClockFurthest = offset;
  return offset;
}

// The furthest any request has moved the test clock, kept per process (on globalThis: Next.js may
// load this module more than once): the background jobs' "now" on a test server (lib/jobs).
const testClock = globalThis as unknown as { __keysmithTestClockFurthest?: number };

/** Background work's clock shift: on a test server, the furthest a request has moved the clock (forward only, like it); 0 otherwise. */
export function backgroundClockOffsetMs(): number {
  return config.testClock ? (testClock.__keysmithTestClockFurthest ?? 0) : 0;
}

/** SQL for "now" shifted by an offset (a bound parameter; 0 in production). */
export function sqlNow(offsetMs: number | SQL | Placeholder): SQL {
  return sql`(now() + (${offsetMs}::float8 * interval '1 millisecond'))`;
}

/** SQL for the moment `lifetimeMs` after the shifted "now": when a one-time link or challenge expires. */
export function sqlNowPlus(offsetMs: number, lifetimeMs: number): SQL {
  return sql`${sqlNow(offsetMs)} + make_interval(secs => ${lifetimeMs / 1000})`;
}

export function appNow(offsetMs = 0): Date {
  return new Date(Date.now() + offsetMs);
}
