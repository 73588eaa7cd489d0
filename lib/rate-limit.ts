import type { Database } from "@/db/client";
import { addToWindow, addToWindows, pruneWindows } from "@/db/queries/rate-limits";
import { errorFields, log } from "./log";
import { metrics } from "./metrics";

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

/** What a client may know of its limit: the IETF RateLimit fields (and GitHub's X-RateLimit-*). */
export type LimitState = { limit: number; remaining: number; resetSeconds: number; windowSeconds: number };
export type SyncedDecision = ({ ok: true } | { ok: false; retryAfterSeconds: number }) & { state: LimitState };

type Counter = { window: number; limit: number; known: number; unsynced: number; syncing: number };

/** Unsent admissions of one bucket that make its process exchange counts at once: 5% of the limit. */
const batchOf = (limit: number) => Math.max(1, Math.ceil(limit / 20));

/**
 * A fixed-window limit shared by every server process, decided without waiting for the database.
 * Each process admits from what it knows: the window's global total as of its last exchange with
 * the database, plus what it admitted since. A bucket is exchanged in the background, in one
 * multi-row upsert that returns the new totals, when it has `batch` unsent admissions (5% of its
 * limit): a key near its limit is synced within a round trip, and a key used a few times a minute
 * costs the database nothing (with many keys, a per-second exchange of every key in use was a
 * write of thousands of rows a second beside the reads).
 *
 * The bound, for N processes sharing a key: within one process decisions are exact; across them,
 * a process can admit at most what the others have not sent (under `batch` each) plus what they
 * admit while an exchange is in flight (their request rate on that key times one round trip). So
 * a window admits at most
 *   limit + (N − 1) × (batch − 1 + rate × roundTrip)
 * e.g. limit 100, 2 processes, batch 5, a 2 ms round trip at 50 requests/s: at most ~104.
 * The failed-authentication limiter (ReservingLimiter above) stays exact: it guards the database,
 * and a failure may wait.
 */
export class SyncedLimiter {
  private readonly counters = new Map<string, Counter>();
  /** Buckets that reached their batch since the last exchange: what the next one sends (never a walk over every key in use). */
  private readonly due = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private chain: Promise<void> = Promise.resolve();
  private queued: Promise<void> | undefined;
  private queuedAll = false;
  private lastPrune = 0;

  constructor(
    private readonly windowMs: number,
    private readonly db: () => Promise<Database>,
    /** After a failed exchange, how long until it is tried again. */
    private readonly retryMs = 1_000,
  ) {}

  /** Decides at once (no I/O) and counts an admission; the exchange with the database follows in the background. */
  take(bucket: string, limit: number, now = Date.now()): SyncedDecision {
    const { start, retryAfterSeconds } = windowOf(now, this.windowMs);
    let counter = this.counters.get(bucket);
    if (!counter || counter.window !== start) {
      counter = { window: start, limit, known: 0, unsynced: 0, syncing: 0 };
      this.counters.set(bucket, counter);
    }
    counter.limit = limit;
    const used = counter.known + counter.syncing + counter.unsynced;
    const state = (admitted: number): LimitState => ({
      limit,
      remaining: Math.max(0, limit - admitted),
      resetSeconds: retryAfterSeconds,
      windowSeconds: Math.round(this.windowMs / 1000),
    });
    if (used >= limit) {
      metrics().limiter.inc({ decision: "refused" });
      return { ok: false, retryAfterSeconds, state: state(used) };
    }
    metrics().limiter.inc({ decision: "admitted" });
    counter.unsynced++;
    if (counter.unsynced >= batchOf(limit)) {
      this.due.add(bucket);
      void this.request(false);
    }
    return { ok: true, state: state(used + 1) };
  }

  /**
   * Sends every count unsent at the time of the call, whatever its size (at shutdown, and in
   * tests), and learns the new totals. Resolves when that exchange is done (a failed one is
   * logged, its counts kept for the next).
   */
  sync(): Promise<void> {
    return this.request(true);
  }

  /** Unsent counts waiting for their bucket's batch (what a shutdown sync would send). */
  get pending(): number {
    let n = 0;
    for (const counter of this.counters.values()) n += counter.unsynced;
    return n;
  }

  // Exchanges run one at a time; requests made while one is waiting to start share it (it sends
  // what they counted, everything if any of them asked for everything).
  private request(all: boolean): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.queued) {
      this.queuedAll ||= all;
      return this.queued;
    }
    this.queuedAll = all;
    const run = this.chain.then(() => {
      this.queued = undefined;
      return this.exchange(this.queuedAll);
    });
    this.queued = run;
    this.chain = run;
    return run;
  }

  private async exchange(all: boolean) {
    const sent: { bucket: string; counter: Counter; amount: number }[] = [];
    // Everything at shutdown; otherwise only the buckets that reached their batch. With tens of
    // thousands of keys in use, walking them all on every exchange was most of the limiter's cost.
    const buckets = all ? this.counters.keys() : this.due.values();
    for (const bucket of buckets) {
      const counter = this.counters.get(bucket);
      if (!counter || counter.unsynced === 0 || (!all && counter.unsynced < batchOf(counter.limit))) continue;
      sent.push({ bucket, counter, amount: counter.unsynced });
      counter.syncing += counter.unsynced;
      counter.unsynced = 0;
    }
    this.due.clear();
    if (sent.length === 0) return;
    try {
      const db = await this.db();
      const totals = await addToWindows(
        db,
        sent.map((s) => ({ bucket: s.bucket, windowStart: new Date(s.counter.window), amount: s.amount })),
      );
      const byKey = new Map(totals.map((t) => [`${t.bucket}|${t.windowStart.getTime()}`, t.count]));
      for (const s of sent) {
        s.counter.syncing -= s.amount;
        // The total includes what was just sent and whatever other processes sent before it.
        s.counter.known = Math.max(s.counter.known + s.amount, byKey.get(`${s.bucket}|${s.counter.window}`) ?? 0);
      }
      this.maybePrune(db);
      metrics().limiterSyncs.inc({ outcome: "ok" });
    } catch (error) {
      metrics().limiterSyncs.inc({ outcome: "failed" });
      for (const s of sent) {
        s.counter.syncing -= s.amount;
        s.counter.unsynced += s.amount;
        if (s.counter.unsynced >= batchOf(s.counter.limit)) this.due.add(s.bucket);
      }
      log.warn("ratelimit.sync_failed", { buckets: sent.length, ...errorFields(error) });
      this.retryLater();
    }
  }

  private retryLater() {
    if (this.timer) return;
    this.timer = setTimeout(() => void this.request(false), this.retryMs);
    this.timer.unref?.();
  }

  private maybePrune(db: Database, now = Date.now()) {
    const { start } = windowOf(now, this.windowMs);
    if (start - this.lastPrune < 10 * this.windowMs) return;
    this.lastPrune = start;
    for (const [bucket, counter] of this.counters) if (counter.window < start && counter.unsynced === 0 && counter.syncing === 0) this.counters.delete(bucket);
  }
}
