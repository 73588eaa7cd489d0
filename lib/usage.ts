import type { Database } from "@/db/client";
import { addUsage, touchLastUsed } from "@/db/queries/usage";
import { errorFields, log } from "./log";

const LAST_USED_RESOLUTION_MS = 60_000;

/**
 * Usage bookkeeping kept off the hot path: request counts are summed in memory and written per
 * key and day in one upsert every `flushMs`; "last used" is written only when the key's row (read
 * anyway to verify it) shows it is more than a minute old. So most verifications write nothing.
 */
export class UsageRecorder {
  private readonly counts = new Map<string, { keyId: string; day: string; success: number; failure: number }>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly db: () => Promise<Database>,
    private readonly flushMs = 1_000,
  ) {}

  count(keyId: string, ok: boolean, now = new Date()): void {
    const day = now.toISOString().slice(0, 10);
    const id = `${keyId}|${day}`;
    const entry = this.counts.get(id) ?? { keyId, day, success: 0, failure: 0 };
    if (ok) entry.success++;
    else entry.failure++;
    this.counts.set(id, entry);
    if (!this.timer) {
      this.timer = setTimeout(() => void this.flush(), this.flushMs);
      this.timer.unref?.();
    }
  }

  touch(keyId: string, lastUsedAt: Date | null, ip: string | null, now = Date.now()): Promise<void> | undefined {
    if (lastUsedAt && now - lastUsedAt.getTime() < LAST_USED_RESOLUTION_MS) return undefined;
    return this.db()
      .then((db) => touchLastUsed(db, keyId, ip))
      .catch((error) => log.warn("usage.touch_failed", { keyId, ...errorFields(error) }));
  }

  async flush(): Promise<void> {
    this.timer = undefined;
    const entries = [...this.counts.values()];
    this.counts.clear();
    if (entries.length === 0) return;
    try {
      const db = await this.db();
      for (const e of entries) await addUsage(db, e.keyId, e.day, e.success, e.failure);
    } catch (error) {
      // Counts are best-effort statistics; losing one batch to an outage is acceptable.
      log.warn("usage.flush_failed", { batches: entries.length, ...errorFields(error) });
    }
  }
}
