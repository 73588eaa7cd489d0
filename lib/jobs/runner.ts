import { hostname } from "node:os";
import { randomBytes } from "node:crypto";
import type { Database } from "@/db/client";
import { claimJobs, completeJob, enqueueJob, failAbandonedJobs, failJobAttempt, type ClaimedJob } from "@/db/queries/jobs";
import { errorFields, log } from "../log";
import { retryDelayMs } from "./backoff";

/**
 * What one kind of job does. `handle` may run again after a crash or a lost lease (at least once,
 * and once in the normal case), so it is written to tolerate that: an e-mail handler, for one, sends
 * first and the job is marked done right after. Throw `PermanentJobError` for a failure no retry
 * can mend (the job fails at once); any other error is retried with backoff.
 */
export type JobKind = {
  handle: (payload: Record<string, unknown>, context: { jobId: string; attempt: number; db: Database }) => Promise<void>;
  /** Delay before attempt n + 1 after attempt n failed (default: exponential from 5 s, at most an hour, with jitter). */
  retryDelayMs?: (attempt: number) => number;
};

/** A failure that retrying will not mend (a bad payload, a thing that no longer exists). */
export class PermanentJobError extends Error {
  override name = "PermanentJobError";
}

/** A job that runs every `everyMs`: queued once per period across every process (its dedupe key is the period). */
export type Recurring = { kind: string; everyMs: number; payload?: Record<string, unknown> };

export type RunnerOptions = {
  kinds: Record<string, JobKind>;
  recurring?: Recurring[];
  /** How often the database is asked for due jobs when nothing woke the runner sooner. */
  pollMs?: number;
  /** How many jobs this process runs at once. */
  concurrency?: number;
  /** How long a claim lasts: a job still running after it may be taken by another process. */
  leaseMs?: number;
  /** The test clock's offset (lib/clock.ts); 0 in production. */
  clockOffsetMs?: () => number;
  workerId?: string;
};

/** One error line for the job's record: what errorFields allows to be logged (no query parameters, no stack). */
export function jobErrorText(error: unknown): string {
  const fields = errorFields(error);
  // The message, after the driver's code when there is one ("ECONNREFUSED: connect …"); an
  // error's class name is a code word for developers, not for the admin reading Admin -> Jobs.
  const text = [fields.code, fields.message].filter((part) => typeof part === "string" && part).join(": ") || String(fields.error);
  // A connection string in a driver's message must not keep its password.
  return text.replace(/\/\/[^/@\s]*@/g, "//…@").slice(0, 500);
}

/**
 * The durable job runner: every server process runs one over the shared database (any number of
 * processes; on the embedded database, the one). It claims due jobs in one statement (db/queries/
 * jobs.ts: FOR UPDATE SKIP LOCKED, with a lease), runs at most `concurrency` at once, and records
 * each attempt. Nothing it does is on a request's path: it polls on its own timer, and `wake()`
 * (after an enqueue in this process) only brings the next poll forward.
 */
export class JobRunner {
  readonly workerId: string;
  private readonly kinds: Record<string, JobKind>;
  private readonly recurring: Recurring[];
  private readonly pollMs: number;
  private readonly concurrency: number;
  private readonly leaseMs: number;
  private readonly clockOffsetMs: () => number;
  private readonly running = new Set<Promise<void>>();
  private readonly lastPeriod = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<number> | undefined;
  private stopped = true;
  private failing = false;

  constructor(
    private readonly getDb: () => Promise<Database>,
    options: RunnerOptions,
  ) {
    this.kinds = options.kinds;
    this.recurring = options.recurring ?? [];
    this.pollMs = options.pollMs ?? 1_000;
    this.concurrency = options.concurrency ?? 4;
    this.leaseMs = options.leaseMs ?? 5 * 60_000;
    this.clockOffsetMs = options.clockOffsetMs ?? (() => 0);
    this.workerId = options.workerId ?? `${hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule(0);
  }

  /**
   * Stops polling and waits up to `graceMs` for the jobs under way. A job still running after that
   * (or cut off by a hard exit) is taken again by a process once its lease runs out.
   */
  async stop(graceMs = 10_000): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.polling?.catch(() => undefined);
    let timeout: NodeJS.Timeout | undefined;
    await Promise.race([Promise.allSettled([...this.running]), new Promise((resolve) => (timeout = setTimeout(resolve, graceMs)))]);
    clearTimeout(timeout);
  }

  /** Something was queued in this process: look for due jobs now rather than at the next poll. */
  wake(): void {
    if (!this.stopped) this.schedule(0);
  }

  /**
   * One round: queue what recurring work is due, fail jobs abandoned on their last attempt, claim
   * as many due jobs as there are free slots and start them. Returns how many were started. Tests
   * call it directly (with `settle()` to wait for the jobs it started).
   */
  poll(): Promise<number> {
    this.polling ??= this.pollOnce().finally(() => {
      this.polling = undefined;
    });
    return this.polling;
  }

  /** Waits for every job this runner has started. */
  async settle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }

  private schedule(delayMs: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.poll()
        .then(
          () => {
            if (this.failing) log.info("jobs.poll_recovered");
            this.failing = false;
          },
          // Once per outage (a database that is down fails every poll until it is back).
          (error: unknown) => {
            if (!this.failing) log.warn("jobs.poll_failed", errorFields(error));
            this.failing = true;
          },
        )
        .finally(() => {
          if (!this.stopped && !this.timer) this.schedule(this.pollMs);
        });
    }, delayMs);
    this.timer.unref?.();
  }

  private async pollOnce(): Promise<number> {
    const db = await this.getDb();
    const offset = this.clockOffsetMs();
    await this.queueRecurring(db, offset);
    await failAbandonedJobs(db, offset);
    const free = this.concurrency - this.running.size;
    if (free <= 0) return 0;
    const claimed = await claimJobs(db, { workerId: this.workerId, kinds: Object.keys(this.kinds), limit: free, leaseMs: this.leaseMs, clockOffsetMs: offset });
    for (const job of claimed) {
      const run = this.runOne(db, job).finally(() => {
        this.running.delete(run);
        // A slot came free: more may be waiting.
        if (!this.stopped) this.schedule(0);
      });
      this.running.add(run);
    }
    return claimed.length;
  }

  private async queueRecurring(db: Database, offset: number): Promise<void> {
    const now = Date.now() + offset;
    for (const job of this.recurring) {
      const period = Math.floor(now / job.everyMs);
      if (this.lastPeriod.get(job.kind) === period) continue;
      // Every process tries; the dedupe key lets one row in per period.
      await enqueueJob(db, { kind: job.kind, payload: job.payload, dedupeKey: `${job.kind}@${period * job.everyMs}` }, offset);
      this.lastPeriod.set(job.kind, period);
    }
  }

  private async runOne(db: Database, job: ClaimedJob): Promise<void> {
    const kind = this.kinds[job.kind]!;
    const startedAt = new Date(Date.now() + this.clockOffsetMs()).toISOString();
    const base = { id: job.id, workerId: this.workerId, attempt: job.attempts, clockOffsetMs: this.clockOffsetMs() };
    try {
      await kind.handle(job.payload, { jobId: job.id, attempt: job.attempts, db });
    } catch (error) {
      const text = jobErrorText(error);
      const permanent = error instanceof PermanentJobError;
      const retryInMs = permanent ? null : (kind.retryDelayMs ?? retryDelayMs)(job.attempts);
      log.warn("jobs.attempt_failed", { kind: job.kind, job: job.id, attempt: job.attempts, permanent, ...errorFields(error) });
      const endedAt = new Date(Date.now() + this.clockOffsetMs()).toISOString();
      const held = await failJobAttempt(db, { ...base, entry: { startedAt, endedAt, by: this.workerId, error: text }, retryInMs }).catch((e: unknown) => {
        log.error("jobs.record_failed", { kind: job.kind, job: job.id, ...errorFields(e) });
        return true;
      });
      if (!held) log.warn("jobs.claim_lost", { kind: job.kind, job: job.id, attempt: job.attempts });
      return;
    }
    const endedAt = new Date(Date.now() + this.clockOffsetMs()).toISOString();
    const held = await completeJob(db, { ...base, entry: { startedAt, endedAt, by: this.workerId } }).catch((e: unknown) => {
      log.error("jobs.record_failed", { kind: job.kind, job: job.id, ...errorFields(e) });
      return true;
    });
    if (!held) log.warn("jobs.claim_lost", { kind: job.kind, job: job.id, attempt: job.attempts });
  }
}
