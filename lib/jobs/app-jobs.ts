import { getDb } from "@/db";
import { pruneFinishedJobs } from "@/db/queries/jobs";
import { mailNotice, recordMonthlyDigests, scanExpiringKeys, scanStaleKeys } from "../commands/notifications";
import { closeDueAccessReviews } from "../commands/access-reviews";
import { deliverWebhook } from "../commands/webhooks";
import { backgroundClockOffsetMs } from "../clock";
import { config } from "../config";
import { DAY_MS, HOUR_MS } from "../time";
import { webhookRetryDelayMs } from "./backoff";
import { JobRunner, PermanentJobError, type JobKind, type Recurring } from "./runner";

/** How long finished jobs (and so their dedupe keys) are kept for the admin. */
export const JOB_RETENTION_DAYS = 30;

/** Every kind of job the app runs, by name. A new kind of background work is one entry here. */
export const APP_JOB_KINDS: Record<string, JobKind> = {
  "jobs.prune": {
    handle: async (_payload, { db }) => {
      await pruneFinishedJobs(db, JOB_RETENTION_DAYS, backgroundClockOffsetMs());
    },
  },
  // Expiry warnings (7 days and 1 day before), each told once per person, mail queued with it.
  "notifications.expiry-scan": {
    handle: async (_payload, { db }) => {
      await scanExpiringKeys(db, backgroundClockOffsetMs());
    },
  },
  // Keys due for rotation and keys unused for 90 days, each told once per secret or quiet spell;
  // on a month's first run, the monthly digest.
  "notifications.daily-scan": {
    handle: async (_payload, { db }) => {
      await scanStaleKeys(db, backgroundClockOffsetMs());
      await recordMonthlyDigests(db, backgroundClockOffsetMs());
    },
  },
  // One notice's mail. Ten attempts over about an hour and a half while the SMTP server refuses.
  "notifications.mail": {
    handle: async (payload, { db }) => {
      if (typeof payload.notificationId !== "string") throw new PermanentJobError("The job names no notice.");
      await mailNotice(db, payload.notificationId);
    },
  },
  // Access reviews past their due date: closed, the keys nobody confirmed revoked or flagged.
  "reviews.due-scan": {
    handle: async (_payload, { db }) => {
      await closeDueAccessReviews(db, backgroundClockOffsetMs());
    },
  },
  // One webhook delivery: eleven attempts over about 24 hours (WEBHOOK_RETRY_DELAYS_MS).
  "webhooks.deliver": {
    handle: async (payload, { db, attempt }) => {
      if (typeof payload.deliveryId !== "string") throw new PermanentJobError("The job names no delivery.");
      await deliverWebhook(db, { deliveryId: payload.deliveryId, attempt, clockOffsetMs: backgroundClockOffsetMs() });
    },
    retryDelayMs: webhookRetryDelayMs,
  },
};

export const APP_RECURRING: Recurring[] = [
  { kind: "jobs.prune", everyMs: DAY_MS },
  { kind: "notifications.expiry-scan", everyMs: HOUR_MS },
  { kind: "notifications.daily-scan", everyMs: DAY_MS },
  { kind: "reviews.due-scan", everyMs: HOUR_MS },
];

// One runner per server process, kept on globalThis like the API's services (lib/api/services.ts):
// Next.js may load this module more than once in a process, and server.mjs stops it at shutdown.
const g = globalThis as unknown as { __keysmithJobs?: JobRunner };

/** This process's job runner (created on first use; instrumentation.ts starts it). */
export function appJobRunner(): JobRunner {
  // On a test server (KEYSMITH_TEST_CLOCK=1) background work follows the test clock as far as any request moved it.
  g.__keysmithJobs ??= new JobRunner(getDb, { kinds: APP_JOB_KINDS, recurring: APP_RECURRING, pollMs: config.jobPollMs, clockOffsetMs: backgroundClockOffsetMs });
  return g.__keysmithJobs;
}
