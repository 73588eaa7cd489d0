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
    pruneWindows(db, new Date(start - 10 * this.windowMs)).catch((e) => log.warn("ratelimit.prune_failed", errorFields(e)));
  }
}

/**
 * Counts failures (e.g. bad API keys per client IP) without putting the database in the request's
 * path: failures are counted locally and pushed to the shared counter in the background (at most
 * every `flushMs`); each push returns the total across all processes, and once it reaches the
 * limit every process that pushes for that client blocks it until the window ends.
 */
export class FailureLimiter {
  private readonly pending = new Map<string, number>();
  private readonly state = new Map<string, { window: number; local: number; global: number }>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly windowMs: number,
    private readonly flushMs = 200,
  ) {}

  check(bucket: string, limit: number, now = Date.now()): LimitDecision {
    const { start, retryAfterSeconds } = windowOf(now, this.windowMs);
    const s = this.state.get(bucket);
    if (s && s.window === start && Math.max(s.local, s.global) >= limit) return { ok: false, retryAfterSeconds };
    return { ok: true };
  }

  record(db: () => Promise<Database>, bucket: string, now = Date.now()): void {
    const { start } = windowOf(now, this.windowMs);
    const s = this.state.get(bucket);
    if (s?.window === start) s.local++;
    else this.state.set(bucket, { window: start, local: 1, global: 0 });
    this.pending.set(bucket, (this.pending.get(bucket) ?? 0) + 1);
    this.timer ??= setTimeout(() => void this.flush(db), this.flushMs);
    this.timer.unref?.();
  }

  async flush(db: () => Promise<Database>): Promise<void> {
    this.timer = undefined;
    const batch = [...this.pending];
    this.pending.clear();
    if (batch.length === 0) return;
    try {
      const handle = await db();
      for (const [bucket, count] of batch) {
        const s = this.state.get(bucket);
        if (!s) continue;
        const total = await addToWindow(handle, bucket, new Date(s.window), count);
        const current = this.state.get(bucket);
        if (current?.window === s.window) current.global = Math.max(current.global, total);
      }
    } catch (error) {
      log.warn("ratelimit.flush_failed", errorFields(error));
    }
    if (this.state.size > 10_000) {
      const { start } = windowOf(Date.now(), this.windowMs);
      for (const [key, value] of this.state) if (value.window < start) this.state.delete(key);
    }
  }
}
