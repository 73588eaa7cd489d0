/** What each kind of background job is, in words (Admin -> Jobs). A kind without a label shows its name. */
export const JOB_KIND_LABELS: Record<string, string> = {
  "jobs.prune": "Delete job records older than 30 days",
  "notifications.expiry-scan": "Look for keys about to expire and tell their owners",
  "notifications.daily-scan": "Look for keys due for rotation or unused for 90 days; the monthly review",
  "notifications.mail": "Mail a notification",
  "webhooks.deliver": "Send a webhook delivery",
  "reviews.due-scan": "End access reviews past their due date",
};

export const JOB_STATUSES = ["queued", "running", "succeeded", "failed"] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

export const JOB_STATUS_LABELS: Record<JobStatus, string> = {
  queued: "Waiting",
  running: "Running",
  succeeded: "Done",
  failed: "Failed",
};

export function jobKindLabel(kind: string): string {
  return JOB_KIND_LABELS[kind] ?? kind;
}
