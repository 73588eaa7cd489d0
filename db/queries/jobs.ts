import { and, count, desc, eq, inArray, sql, type SQL } from "drizzle-orm";
import { sqlNow } from "@/lib/clock";
import type { Database } from "../client";
import { jobs, type Job, type JobAttempt } from "../schema";
import { ADMIN_PAGE_SIZE, countLimit, toPaged, type Paged } from "./paging";

/** At most this many attempts are kept in a job's history (the oldest goes first). */
export const JOB_HISTORY_KEPT = 25;

type Executor = Pick<Database, "insert" | "update" | "select" | "execute">;

export type NewJob = {
  kind: string;
  payload?: Record<string, unknown>;
  /** One job per key, ever (until the job's row is pruned): enqueueing the same key again does nothing. */
  dedupeKey?: string;
  /** Run no earlier than this many milliseconds after the database's "now" (shifted by the test clock). */
  delayMs?: number;
  maxAttempts?: number;
};

/**
 * Queues a job, in the caller's transaction when given one (the job exists exactly when the change
 * that asked for it committed). With a dedupe key already taken, nothing is queued and `queued` is
 * false: how "one mail per event" holds across processes and restarts.
 */
export async function enqueueJob(db: Executor, job: NewJob, clockOffsetMs = 0): Promise<{ id: string | null; queued: boolean }> {
  const [row] = await db
    .insert(jobs)
    .values({
      kind: job.kind,
      payload: job.payload ?? {},
      dedupeKey: job.dedupeKey ?? null,
      maxAttempts: job.maxAttempts ?? 10,
      runAt: sql`${sqlNow(clockOffsetMs)} + make_interval(secs => ${(job.delayMs ?? 0) / 1000})`,
    })
    .onConflictDoNothing({ target: jobs.dedupeKey })
    .returning({ id: jobs.id });
  return row ? { id: row.id, queued: true } : { id: null, queued: false };
}

export type ClaimedJob = Pick<Job, "id" | "kind" | "payload" | "attempts" | "maxAttempts">;

/**
 * Claims up to `limit` due jobs of the given kinds for one worker, in one statement: queued jobs
 * whose time has come, and running jobs whose claim (lease) ran out because the process holding
 * them stopped. Rows another worker is claiming at the same moment are skipped (FOR UPDATE SKIP
 * LOCKED), so no job is handed to two workers while its lease lasts. Each claim counts an attempt.
 */
export async function claimJobs(
  db: Database,
  input: { workerId: string; kinds: string[]; limit: number; leaseMs: number; clockOffsetMs: number },
): Promise<ClaimedJob[]> {
  if (input.kinds.length === 0 || input.limit <= 0) return [];
  const now = sqlNow(input.clockOffsetMs);
  const due = db
    .select({ id: jobs.id })
    .from(jobs)
    .where(
      and(
        inArray(jobs.kind, input.kinds),
        sql`${jobs.attempts} < ${jobs.maxAttempts}`,
        sql`((${jobs.status} = 'queued' and ${jobs.runAt} <= ${now}) or (${jobs.status} = 'running' and ${jobs.lockedUntil} <= ${now}))`,
      ),
    )
    .orderBy(jobs.runAt)
    .limit(input.limit)
    .for("update", { skipLocked: true });
  return db
    .update(jobs)
    .set({
      status: "running",
      lockedBy: input.workerId,
      lockedUntil: sql`${now} + make_interval(secs => ${input.leaseMs / 1000})`,
      attempts: sql`${jobs.attempts} + 1`,
      updatedAt: sql`now()`,
    })
    .where(inArray(jobs.id, due))
    .returning({ id: jobs.id, kind: jobs.kind, payload: jobs.payload, attempts: jobs.attempts, maxAttempts: jobs.maxAttempts });
}

/**
 * Running jobs whose lease ran out on their last attempt: the process running them stopped, and
 * no attempt is left. They fail, with that as their error.
 */
export async function failAbandonedJobs(db: Database, clockOffsetMs: number): Promise<number> {
  const now = sqlNow(clockOffsetMs);
  const rows = await db
    .update(jobs)
    .set({
      status: "failed",
      finishedAt: now,
      lastError: "The process running its last attempt stopped before it finished.",
      lockedBy: null,
      lockedUntil: null,
      updatedAt: sql`now()`,
    })
    .where(and(eq(jobs.status, "running"), sql`${jobs.lockedUntil} <= ${now}`, sql`${jobs.attempts} >= ${jobs.maxAttempts}`))
    .returning({ id: jobs.id });
  return rows.length;
}

function appendAttempt(entry: JobAttempt): SQL {
  return sql`(case when jsonb_array_length(${jobs.history}) >= ${JOB_HISTORY_KEPT} then ${jobs.history} - 0 else ${jobs.history} end) || jsonb_build_array(${JSON.stringify(entry)}::jsonb)`;
}

/** What every finished attempt writes: the claim let go, the attempt added to the history. */
function releaseClaim(entry: JobAttempt) {
  return { lockedBy: null, lockedUntil: null, history: appendAttempt(entry), updatedAt: sql`now()` };
}

/** The attempt's claim, still held: the worker and attempt that claimed it, and still running. */
function stillHeld(id: string, workerId: string, attempt: number): SQL | undefined {
  return and(eq(jobs.id, id), eq(jobs.status, "running"), eq(jobs.lockedBy, workerId), eq(jobs.attempts, attempt));
}

/** Marks an attempt done. False if the claim had been lost (its lease ran out and another worker took the job). */
export async function completeJob(db: Database, input: { id: string; workerId: string; attempt: number; entry: JobAttempt; clockOffsetMs: number }): Promise<boolean> {
  const rows = await db
    .update(jobs)
    .set({
      status: "succeeded",
      finishedAt: sqlNow(input.clockOffsetMs),
      ...releaseClaim(input.entry),
    })
    .where(stillHeld(input.id, input.workerId, input.attempt))
    .returning({ id: jobs.id });
  return rows.length === 1;
}

/**
 * Records a failed attempt: queued again `retryInMs` from now, or failed for good when no attempt
 * is left (or `retryInMs` is null: an error a retry cannot mend). False if the claim had been lost.
 */
export async function failJobAttempt(
  db: Database,
  input: { id: string; workerId: string; attempt: number; entry: JobAttempt & { error: string }; retryInMs: number | null; clockOffsetMs: number },
): Promise<boolean> {
  const now = sqlNow(input.clockOffsetMs);
  const giveUp = input.retryInMs === null ? sql`true` : sql`${jobs.attempts} >= ${jobs.maxAttempts}`;
  const rows = await db
    .update(jobs)
    .set({
      status: sql`case when ${giveUp} then 'failed' else 'queued' end`,
      finishedAt: sql`case when ${giveUp} then ${now} else null end`,
      runAt: input.retryInMs === null ? sql`${jobs.runAt}` : sql`case when ${giveUp} then ${jobs.runAt} else ${now} + make_interval(secs => ${input.retryInMs / 1000}) end`,
      lastError: input.entry.error,
      ...releaseClaim(input.entry),
    })
    .where(stillHeld(input.id, input.workerId, input.attempt))
    .returning({ id: jobs.id });
  return rows.length === 1;
}

/** Finished jobs older than `olderThanDays`, deleted (their dedupe keys with them). */
export async function pruneFinishedJobs(db: Database, olderThanDays: number, clockOffsetMs: number): Promise<number> {
  const rows = await db
    .delete(jobs)
    .where(and(inArray(jobs.status, ["succeeded", "failed"]), sql`${jobs.finishedAt} < ${sqlNow(clockOffsetMs)} - make_interval(days => ${olderThanDays})`))
    .returning({ id: jobs.id });
  return rows.length;
}

/** What Admin -> Jobs shows of a job (the payload stays out: it is the handler's business). */
export type JobListRow = Pick<Job, "id" | "kind" | "status" | "attempts" | "maxAttempts" | "runAt" | "lastError" | "finishedAt" | "createdAt" | "updatedAt">;

/** The newest jobs, a page at a time, for Admin -> Jobs (optionally of one status), under jobs_created_idx / jobs_status_created_idx. */
export async function listJobs(db: Database, input: { status?: Job["status"]; page?: number }, pageSize = ADMIN_PAGE_SIZE): Promise<Paged<JobListRow>> {
  const offset = ((input.page ?? 1) - 1) * pageSize;
  const where = input.status ? eq(jobs.status, input.status) : undefined;
  const rows = await db
    .select({
      id: jobs.id,
      kind: jobs.kind,
      status: jobs.status,
      attempts: jobs.attempts,
      maxAttempts: jobs.maxAttempts,
      runAt: jobs.runAt,
      lastError: jobs.lastError,
      finishedAt: jobs.finishedAt,
      createdAt: jobs.createdAt,
      // When a running job was claimed (the claim sets it).
      updatedAt: jobs.updatedAt,
    })
    .from(jobs)
    .where(where)
    .orderBy(desc(jobs.createdAt), desc(jobs.id))
    .limit(pageSize + 1)
    .offset(offset);
  const counted = db.select({ one: sql<number>`1`.as("one") }).from(jobs).where(where).limit(countLimit(offset)).as("counted");
  const [total] = await db.select({ n: count() }).from(counted);
  return toPaged(rows, Number(total?.n ?? 0), offset, pageSize);
}

export async function jobById(db: Database, id: string): Promise<Job | undefined> {
  const [row] = await db.select().from(jobs).where(eq(jobs.id, id));
  return row;
}
