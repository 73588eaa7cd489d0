import type { Database } from "@/db/client";
import { addUsageBatch, touchLastUsedBatch, type UsageBatch } from "@/db/queries/usage";
import { errorFields, log } from "./log";
import { metrics } from "./metrics";

const LAST_USED_RESOLUTION_MS = 60_000;
/** Rows per statement when flushing (keeps statements and their parameter lists small). */
const CHUNK = 500;
/** Past this many pending entries (a database down for a long time), new ones are dropped and counted in the log. */
const MAX_PENDING = 100_000;

/**
 * Usage bookkeeping kept off the hot path. Request counts are summed in memory per key and day;
 * "last used" is noted in memory only when the key's row (read anyway to verify it) shows it is
 * more than a minute old. Both are written by `flush()`: on a timer `flushMs` after the first
 * unwritten use, and at shutdown (server.mjs). One flush is a few multi-row statements whatever
 * the traffic, so a verification itself never writes for usage. A flush that fails puts its
 * entries back, to be retried by the next one; flushes run one at a time, in order.
 *
 * Nothing here decides whether a key is valid: revocation and expiry are read from the database
 * on every request (lib/keys/verify.ts), never from this buffer.
 */
export class UsageRecorder {
  private counts = new Map<string, UsageBatch>();
  private touches = new Map<string, string | null>();
  /** When this process last noted each key used (entries older than a minute are dropped at flush). */
  private noted = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private chain: Promise<void> = Promise.resolve();
  private dropped = 0;

  constructor(
    private readonly db: () => Promise<Database>,
    private readonly flushMs = 1_000,
  ) {}

  /** Entries waiting to be written (counts per key and day, plus last-used marks). */
  get pending(): number {
    return this.counts.size + this.touches.size;
  }

  count(keyId: string, ok: boolean, now = new Date()): void {
    const day = now.toISOString().slice(0, 10);
    const id = `${keyId}|${day}`;
    let entry = this.counts.get(id);
    if (!entry) {
      if (this.full()) return;
      this.counts.set(id, (entry = { keyId, day, success: 0, failure: 0 }));
    }
    if (ok) entry.success++;
    else entry.failure++;
    this.schedule();
  }

  /**
   * Notes that the key was used now, unless its last-used time is under a minute old: as read with
   * the key, or as this process last noted it (the row read may be older than this process's own
   * last write, e.g. from the embedded database's lookup cache).
   */
  touch(keyId: string, lastUsedAt: Date | null, ip: string | null, now = Date.now()): void {
    // Already waiting to be written: the newest address is the one to keep.
    if (this.touches.has(keyId)) {
      this.touches.set(keyId, ip);
      return;
    }
    const known = Math.max(lastUsedAt?.getTime() ?? 0, this.noted.get(keyId) ?? 0);
    if (now - known < LAST_USED_RESOLUTION_MS) return;
    if (this.full()) return;
    this.touches.set(keyId, ip);
    this.noted.set(keyId, now);
    this.schedule();
  }

  /** Writes everything pending so far; resolves when written (or failed and put back). */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const stale = Date.now() - LAST_USED_RESOLUTION_MS;
    for (const [keyId, at] of this.noted) if (at < stale) this.noted.delete(keyId);
    const counts = [...this.counts.values()];
    const touches = [...this.touches].map(([keyId, ip]) => ({ keyId, ip }));
    this.counts = new Map();
    this.touches = new Map();
    this.chain = this.chain.then(() => this.write(counts, touches));
    return this.chain;
  }

  private async write(counts: UsageBatch[], touches: { keyId: string; ip: string | null }[]) {
    if (counts.length === 0 && touches.length === 0) return;
    let written = 0;
    let touched = 0;
    try {
      const db = await this.db();
      for (; written < counts.length; written += CHUNK) await addUsageBatch(db, counts.slice(written, written + CHUNK));
      for (; touched < touches.length; touched += CHUNK) await touchLastUsedBatch(db, touches.slice(touched, touched + CHUNK));
      metrics().usageFlushes.inc({ outcome: "ok" });
    } catch (error) {
      metrics().usageFlushes.inc({ outcome: "failed" });
      // Put back what was not written (a failed statement wrote none of its rows); the next
      // flush retries it, merged with whatever was counted meanwhile.
      for (const e of counts.slice(written)) this.merge(e);
      for (const t of touches.slice(touched)) if (!this.touches.has(t.keyId)) this.touches.set(t.keyId, t.ip);
      log.warn("usage.flush_failed", { pending: this.pending, ...errorFields(error) });
      this.schedule();
    }
    metrics().usagePending.set(this.pending);
    if (this.dropped > 0) {
      log.warn("usage.dropped", { entries: this.dropped });
      this.dropped = 0;
    }
  }

  private merge(e: UsageBatch) {
    const id = `${e.keyId}|${e.day}`;
    const entry = this.counts.get(id);
    if (entry) {
      entry.success += e.success;
      entry.failure += e.failure;
    } else if (!this.full()) this.counts.set(id, { ...e });
  }

  private full(): boolean {
    if (this.pending < MAX_PENDING) return false;
    this.dropped++;
    return true;
  }

  private schedule() {
    if (this.timer) return;
    this.timer = setTimeout(() => void this.flush(), this.flushMs);
    this.timer.unref?.();
  }
}
