/** Where a delivery stands: not tried yet, delivered (a 2xx), failed and to be tried again, or given up. */
export const WEBHOOK_DELIVERY_STATUSES = ["pending", "delivered", "retrying", "failed"] as const;
export type WebhookDeliveryStatus = (typeof WEBHOOK_DELIVERY_STATUSES)[number];

export const WEBHOOK_DELIVERY_STATUS_LABELS: Record<WebhookDeliveryStatus, string> = {
  pending: "Sending",
  delivered: "Delivered",
  retrying: "Failed, will retry",
  failed: "Failed",
};

/** One attempt, as the delivery log shows it (at most `WEBHOOK_ATTEMPTS_KEPT` kept, the oldest dropped first). */
export type WebhookAttempt = { at: string; status: number | null; durationMs: number; error?: string };
export const WEBHOOK_ATTEMPTS_KEPT = 20;
