import type { Database } from "@/db/client";
import { addToWindow, pruneWindows } from "@/db/queries/rate-limits";
import { errorFields, log } from "./log";

export type LimitDecision = { ok: true } | { ok: false; retryAfterSeconds: number };

function windowOf(now: number, windowMs: number) {
  const start = Math.floor(now / windowMs) * windowMs;
  return { start, retryAfterSeconds: Math.max(1, Math.ceil((start + windowMs - now) / 1000)) };
}

/**
 * A fixed-window limit shared by every server process through one counter row per window, but
 * without a database write per request: each process reserves a batch of the window's allowance
 * (one atomic upsert) and spends it locally. The sum of all grants never exceeds the limit; the
 * price is that allowance reserved by one process cannot be spent by another (at most one batch
 * per process per window, ~5% of the limit).
 */
export class ReservingLimiter {
  private readonly local = new Map<string, { window: number; remaining: number; exhausted: boolean }>();
  private readonly inflight = new Map<string, Promise<void>>();
  private lastPrune = 0;

  constructor(private readonly windowMs: number) {}

  /**
   * Whether this process already knows the bucket is spent for the current window: a decision
   * that costs nothing, for refusing a blocked client before doing any other work.
   */
  peek(bucket: string, now = Date.now()): LimitDecision {
    const { start, retryAfterSeconds } = windowOf(now, this.windowMs);
    const entry = this.local.get(bucket);
    if (entry?.window === start && entry.remaining === 0 && entry.exhausted) return { ok: false, retryAfterSeconds };
    return { ok: true };
  }

  async take(db: Database, bucket: string, limit: number, now = Date.now()): Promise<LimitDecision> {
    const { start, retryAfterSeconds } = windowOf(now, this.windowMs);
    // Terminates: every reservation either grants allowance or marks the window exhausted.
    for (;;) {
      const entry = this.local.get(bucket);
      if (entry?.window === start) {
        if (entry.remaining > 0) {
          entry.remaining--;
          return { ok: true };
        }
        if (entry.exhausted) return { ok: false, retryAfterSeconds };
      }
      // Concurrent requests for the same bucket wait for one reservation instead of each making one.
      let pending = this.inflight.get(bucket);
      if (!pending) {
        pending = this.reserve(db, bucket, limit, start).finally(() => this.inflight.delete(bucket));
        this.inflight.set(bucket, pending);
      }
      await pending;
    }
  }

  private async reserve(db: Database, bucket: string, limit: number, start: number) {
    const batch = Math.max(1, Math.ceil(limit / 20));
    const total = await addToWindow(db, bucket, new Date(start), batch);
    const granted = Math.max(0, Math.min(batch, limit - (total - batch)));
    const entry = this.local.get(bucket);
    const carried = entry?.window === start ? entry.remaining : 0;
    this.local.set(bucket, { window: start, remaining: carried + granted, exhausted: granted < batch });
    this.maybePrune(db, start);
  }

  private maybePrune(db: Database, start: number) {
    if (start - this.lastPrune < 10 * this.windowMs) return;
    this.lastPrune = start;
    for (const [key, value] of this.local) if (value.window < start) this.local.delete(key);
    // Kept an hour: the same table holds the sign-in limiter's 15-minute windows (lib/auth/credentials.ts).
    pruneWindows(db, new Date(start - Math.max(10 * this.windowMs, 3_600_000))).catch((e) => log.warn("ratelimit.prune_failed", errorFields(e)));
  }
}
