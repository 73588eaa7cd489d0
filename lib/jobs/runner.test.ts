import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { DbHandle } from "@/db/client";
import { writeGenerationOf } from "@/db/coherence";
import { enqueueJob, jobById, JOB_HISTORY_KEPT, listJobs, pruneFinishedJobs } from "@/db/queries/jobs";
import { jobs } from "@/db/schema";
import { DAY_MS } from "@/lib/time";
import { TEST_DRIVER, openTestDb } from "@/test/db";
import { retryDelayMs } from "./backoff";
import { JobRunner, PermanentJobError, jobErrorText, type JobKind } from "./runner";

// The durable job runner on each driver: once per job, retries with history, dedupe keys, the
// test clock, leases that run out, several runners on one database, recurring work.

let handle: DbHandle;
beforeAll(async () => {
  handle = await openTestDb();
});
afterAll(async () => {
  await handle?.close();
});
beforeEach(async () => {
  await handle.db.delete(jobs);
});

const getDb = async () => handle.db;
const runners: JobRunner[] = [];
afterAll(async () => {
  await Promise.all(runners.map((r) => r.stop()));
});
function runner(kinds: Record<string, JobKind>, options: Partial<ConstructorParameters<typeof JobRunner>[1]> = {}) {
  const r = new JobRunner(getDb, { kinds, pollMs: 60_000, ...options });
  runners.push(r);
  return r;
}

/** Polls until nothing more is claimed and every started job has finished. */
async function drain(...rs: JobRunner[]) {
  for (;;) {
    const started = await Promise.all(rs.map((r) => r.poll()));
    await Promise.all(rs.map((r) => r.settle()));
    if (started.every((n) => n === 0)) return;
  }
}

describe("one runner", () => {
  it("runs a queued job once and records the attempt", async () => {
    const seen: unknown[] = [];
    const r = runner({ "test.echo": { handle: async (payload) => void seen.push(payload) } });
    const { id, queued } = await enqueueJob(handle.db, { kind: "test.echo", payload: { n: 1 } });
    expect(queued).toBe(true);
    await drain(r);
    await drain(r);
    expect(seen).toEqual([{ n: 1 }]);
    const job = await jobById(handle.db, id!);
    expect(job).toMatchObject({ status: "succeeded", attempts: 1, lockedBy: null, lastError: null });
    expect(job!.finishedAt).toBeInstanceOf(Date);
    expect(job!.history).toHaveLength(1);
    expect(job!.history[0]).toMatchObject({ by: r.workerId });
    expect(job!.history[0]!.error).toBeUndefined();
  });

  it("queues one job per dedupe key, however often it is asked", async () => {
    const first = await enqueueJob(handle.db, { kind: "test.echo", dedupeKey: "expiring-7d:key-1" });
    const again = await enqueueJob(handle.db, { kind: "test.echo", dedupeKey: "expiring-7d:key-1" });
    const other = await enqueueJob(handle.db, { kind: "test.echo", dedupeKey: "expiring-1d:key-1" });
    expect([first.queued, again.queued, other.queued]).toEqual([true, false, true]);
    expect((await listJobs(handle.db, {})).rows).toHaveLength(2);
  });

  it("retries a failing job with backoff and keeps each attempt's error", async () => {
    let calls = 0;
    let offset = 0;
    const r = runner(
      {
        "test.flaky": {
          handle: async () => {
            calls += 1;
            if (calls <= 2) throw new Error(`receiver answered 503 (call ${calls})`);
          },
          retryDelayMs: () => 60_000,
        },
      },
      { clockOffsetMs: () => offset },
    );
    const { id } = await enqueueJob(handle.db, { kind: "test.flaky" });
    await drain(r);
    expect(await jobById(handle.db, id!)).toMatchObject({ status: "queued", attempts: 1, lastError: "receiver answered 503 (call 1)" });
    // Not due again until its backoff has passed (by the runner's clock, which the test clock moves).
    await drain(r);
    expect(calls).toBe(1);
    offset = 61_000;
    await drain(r);
    expect(calls).toBe(2);
    offset = 122_000;
    await drain(r);
    const job = await jobById(handle.db, id!);
    expect(calls).toBe(3);
    expect(job).toMatchObject({ status: "succeeded", attempts: 3 });
    expect(job!.history.map((a) => a.error ?? "ok")).toEqual(["receiver answered 503 (call 1)", "receiver answered 503 (call 2)", "ok"]);
  });

  it("fails a job at once on a permanent error, and after its last attempt otherwise", async () => {
    const r = runner({
      "test.permanent": {
        handle: async () => {
          throw new PermanentJobError("the key no longer exists");
        },
      },
      "test.always": {
        handle: async () => {
          throw new Error("still down");
        },
        retryDelayMs: () => 0,
      },
    });
    const permanent = await enqueueJob(handle.db, { kind: "test.permanent" });
    const always = await enqueueJob(handle.db, { kind: "test.always", maxAttempts: 3 });
    await drain(r);
    expect(await jobById(handle.db, permanent.id!)).toMatchObject({ status: "failed", attempts: 1, lastError: "the key no longer exists" });
    const job = await jobById(handle.db, always.id!);
    expect(job).toMatchObject({ status: "failed", attempts: 3, lastError: "still down" });
    expect(job!.history).toHaveLength(3);
    expect(job!.finishedAt).toBeInstanceOf(Date);
  });

  it("waits for a delayed job's time by the test clock, and claims only the kinds it knows", async () => {
    const seen: string[] = [];
    let offset = 0;
    const r = runner({ "test.later": { handle: async () => void seen.push("later") } }, { clockOffsetMs: () => offset });
    await enqueueJob(handle.db, { kind: "test.later", delayMs: 7 * DAY_MS });
    const unknown = await enqueueJob(handle.db, { kind: "test.nobody-handles-this" });
    await drain(r);
    expect(seen).toEqual([]);
    offset = 7 * DAY_MS - 60_000;
    await drain(r);
    expect(seen).toEqual([]);
    offset = 7 * DAY_MS + 1_000;
    await drain(r);
    expect(seen).toEqual(["later"]);
    expect(await jobById(handle.db, unknown.id!)).toMatchObject({ status: "queued", attempts: 0 });
  });

  it("keeps the last 25 attempts of a job's history", async () => {
    const r = runner({ "test.many": { handle: async () => Promise.reject(new Error("no")), retryDelayMs: () => 0 } });
    const { id } = await enqueueJob(handle.db, { kind: "test.many", maxAttempts: JOB_HISTORY_KEPT + 5 });
    await drain(r);
    const job = await jobById(handle.db, id!);
    expect(job).toMatchObject({ status: "failed", attempts: JOB_HISTORY_KEPT + 5 });
    expect(job!.history).toHaveLength(JOB_HISTORY_KEPT);
  });

  it("prunes finished jobs older than the retention, not queued or recent ones", async () => {
    const r = runner({ "test.echo": { handle: async () => undefined } });
    const done = await enqueueJob(handle.db, { kind: "test.echo" });
    const waiting = await enqueueJob(handle.db, { kind: "test.nobody" });
    await drain(r);
    expect(await pruneFinishedJobs(handle.db, 30, 0)).toBe(0);
    expect(await pruneFinishedJobs(handle.db, 30, 31 * DAY_MS)).toBe(1);
    expect(await jobById(handle.db, done.id!)).toBeUndefined();
    expect(await jobById(handle.db, waiting.id!)).toBeDefined();
  });

  it("records an error without a connection string's password or a query's parameters", async () => {
    expect(jobErrorText(new Error("connect ECONNREFUSED smtp://mailer:hunter2@mail.example.test:587"))).toBe("connect ECONNREFUSED smtp://…@mail.example.test:587");
    const queryError = await handle.db.execute(sql`select * from nowhere_at_all where secret = ${"ksk_never_in_a_record"}`).then(
      () => null,
      (e: unknown) => e,
    );
    expect(jobErrorText(queryError)).not.toContain("ksk_never_in_a_record");
    expect(jobErrorText(queryError)).toMatch(/nowhere_at_all|query failed/);
  });

  it.runIf(TEST_DRIVER === "pglite")("never marks the embedded key cache stale: job statements are not key writes", async () => {
    const generation = writeGenerationOf(handle.db)!;
    const r = runner({ "test.echo": { handle: async () => undefined }, "test.bad": { handle: async () => Promise.reject(new Error("x")) } });
    const before = generation.current;
    await enqueueJob(handle.db, { kind: "test.echo" });
    await enqueueJob(handle.db, { kind: "test.bad", maxAttempts: 1 });
    await drain(r);
    await pruneFinishedJobs(handle.db, 0, DAY_MS);
    expect(generation.current).toBe(before);
  });
});

describe("several runners on one database", () => {
  it("runs each of many jobs exactly once", async () => {
    const runs = new Map<string, number>();
    const kind: JobKind = {
      handle: async (payload) => {
        const n = String(payload.n);
        runs.set(n, (runs.get(n) ?? 0) + 1);
        await new Promise((resolve) => setTimeout(resolve, 2));
      },
    };
    const rs = [1, 2, 3].map(() => runner({ "test.count": kind }, { concurrency: 5 }));
    for (let n = 0; n < 60; n++) await enqueueJob(handle.db, { kind: "test.count", payload: { n } });
    await drain(...rs);
    expect(runs.size).toBe(60);
    expect([...runs.values()].every((count) => count === 1)).toBe(true);
    const byWorker = await handle.db.select({ by: jobs.lockedBy, status: jobs.status }).from(jobs);
    expect(byWorker.every((row) => row.status === "succeeded" && row.by === null)).toBe(true);
  });

  it("hands a job whose lease ran out to another runner; the first runner's late finish changes nothing", async () => {
    let release!: () => void;
    const stuck = new Promise<void>((resolve) => (release = resolve));
    const calls: string[] = [];
    const a = runner(
      {
        "test.slow": {
          handle: async () => {
            calls.push("a");
            await stuck;
          },
        },
      },
      { leaseMs: 30_000 },
    );
    const b = runner({ "test.slow": { handle: async () => void calls.push("b") } }, { leaseMs: 30_000, clockOffsetMs: () => 31_000 });
    const { id } = await enqueueJob(handle.db, { kind: "test.slow" });
    expect(await a.poll()).toBe(1);
    // b's clock is 31 s ahead: a's 30-second lease has run out (a's process is as good as gone).
    expect(await b.poll()).toBe(1);
    await b.settle();
    expect(await jobById(handle.db, id!)).toMatchObject({ status: "succeeded", attempts: 2 });
    release();
    await a.settle();
    expect(calls).toEqual(["a", "b"]);
    const job = await jobById(handle.db, id!);
    expect(job).toMatchObject({ status: "succeeded", attempts: 2 });
    expect(job!.history).toHaveLength(1);
    expect(job!.history[0]!.by).toBe(b.workerId);
  });

  it("does not hand over a job while its lease lasts", async () => {
    let release!: () => void;
    const stuck = new Promise<void>((resolve) => (release = resolve));
    const a = runner({ "test.slow": { handle: () => stuck } }, { leaseMs: 30_000 });
    const b = runner({ "test.slow": { handle: async () => undefined } }, { leaseMs: 30_000, clockOffsetMs: () => 29_000 });
    await enqueueJob(handle.db, { kind: "test.slow" });
    expect(await a.poll()).toBe(1);
    expect(await b.poll()).toBe(0);
    release();
    await a.settle();
  });

  it("fails a job whose process stopped during its last attempt", async () => {
    let release!: () => void;
    const stuck = new Promise<void>((resolve) => (release = resolve));
    const a = runner({ "test.slow": { handle: () => stuck } }, { leaseMs: 1_000 });
    const b = runner({ "test.slow": { handle: async () => undefined } }, { clockOffsetMs: () => 5_000 });
    const { id } = await enqueueJob(handle.db, { kind: "test.slow", maxAttempts: 1 });
    expect(await a.poll()).toBe(1);
    expect(await b.poll()).toBe(0);
    release();
    await a.settle();
    const job = await jobById(handle.db, id!);
    expect(job).toMatchObject({ status: "failed", attempts: 1, lockedBy: null });
    expect(job!.lastError).toMatch(/stopped before it finished/);
  });

  it("queues recurring work once per period whichever runners poll", async () => {
    const seen: number[] = [];
    const kind: JobKind = { handle: async () => void seen.push(1) };
    const recurring = [{ kind: "test.daily", everyMs: DAY_MS }];
    let offset = 0;
    const rs = [1, 2].map(() => runner({ "test.daily": kind }, { recurring, clockOffsetMs: () => offset }));
    await drain(...rs);
    await drain(...rs);
    expect(seen).toHaveLength(1);
    offset = DAY_MS;
    await drain(...rs);
    expect(seen).toHaveLength(2);
    const rows = await handle.db.select({ key: jobs.dedupeKey }).from(jobs).where(eq(jobs.kind, "test.daily"));
    expect(rows).toHaveLength(2);
  });
});

describe("retryDelayMs", () => {
  it("doubles from 5 s up to an hour, never more, with at most 20% jitter off", () => {
    expect([1, 2, 3, 4].map((n) => retryDelayMs(n, () => 0))).toEqual([5_000, 10_000, 20_000, 40_000]);
    expect(retryDelayMs(20, () => 0)).toBe(3_600_000);
    expect(retryDelayMs(1, () => 1)).toBe(4_000);
    expect(retryDelayMs(0, () => 0)).toBe(5_000);
  });
});
