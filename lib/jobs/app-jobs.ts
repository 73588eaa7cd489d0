import { getDb } from "@/db";
import { pruneFinishedJobs } from "@/db/queries/jobs";
import { config } from "../config";
import { DAY_MS } from "../time";
import { JobRunner, type JobKind, type Recurring } from "./runner";

/** How long finished jobs (and so their dedupe keys) are kept for the admin. */
export const JOB_RETENTION_DAYS = 30;

/** Every kind of job the app runs, by name. A new kind of background work is one entry here. */
export const APP_JOB_KINDS: Record<string, JobKind> = {
  "jobs.prune": {
    handle: async (_payload, { db }) => {
      await pruneFinishedJobs(db, JOB_RETENTION_DAYS, 0);
    },
  },
};

export const APP_RECURRING: Recurring[] = [{ kind: "jobs.prune", everyMs: DAY_MS }];

// One runner per server process, kept on globalThis like the API's services (lib/api/services.ts):
// Next.js may load this module more than once in a process, and server.mjs stops it at shutdown.
const g = globalThis as unknown as { __keysmithJobs?: JobRunner };

/** This process's job runner (created on first use; instrumentation.ts starts it). */
export function appJobRunner(): JobRunner {
  g.__keysmithJobs ??= new JobRunner(getDb, { kinds: APP_JOB_KINDS, recurring: APP_RECURRING, pollMs: config.jobPollMs });
  return g.__keysmithJobs;
}
