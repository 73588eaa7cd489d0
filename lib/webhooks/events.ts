import type { AuditAction } from "../audit-events";

/**
 * The events a webhook endpoint can subscribe to, with the words the dashboard shows. A payload
 * never holds a key's secret: only what the key's own page shows (name, hint, access, dates).
 */
export const WEBHOOK_EVENTS = ["key.created", "key.updated", "key.rotated", "key.revoked", "key.deleted", "key.expiring", "key.leaked"] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

/** The event a "Send test event" button sends (to one endpoint, whatever it subscribes to). */
export const WEBHOOK_TEST_EVENT = "webhook.test";
export type DeliveredEvent = WebhookEvent | typeof WEBHOOK_TEST_EVENT;

export const WEBHOOK_EVENT_LABELS: Record<WebhookEvent, { label: string; description: string }> = {
  "key.created": { label: "Key created", description: "A key was created (in the dashboard, through the API, or on an approved request)." },
  "key.updated": { label: "Key updated", description: "A key's name, description, access or allowed IP addresses changed." },
  "key.rotated": { label: "Key rotated", description: "A key got a new secret; the old one works until its grace period ends." },
  "key.revoked": { label: "Key revoked", description: "A key was revoked, by its owner or an administrator." },
  "key.deleted": { label: "Key deleted", description: "A key was deleted." },
  "key.expiring": { label: "Key expiring", description: "A key expires in 7 days, and again a day before." },
  "key.leaked": { label: "Key leaked", description: "A key was reported leaked and revoked." },
};

/** Which audit event is which webhook event: a key change is told to webhooks in the transaction that audits it. */
const BY_AUDIT_ACTION: Partial<Record<AuditAction, WebhookEvent>> = {
  "api_key.created": "key.created",
  "api_key.renamed": "key.updated",
  "api_key.rescoped": "key.updated",
  "api_key.updated": "key.updated",
  "api_key.allowed_ips_changed": "key.updated",
  "api_key.rotated": "key.rotated",
  "api_key.revoked": "key.revoked",
  "api_key.admin_revoked": "key.revoked",
  "api_key.deleted": "key.deleted",
  "api_key.reported_leaked": "key.leaked",
};

export function webhookEventOf(action: AuditAction): WebhookEvent | null {
  return BY_AUDIT_ACTION[action] ?? null;
}

/** A key as a webhook payload tells it (never its secret, nor a hash of it). */
export type WebhookKey = {
  id: string;
  name: string;
  hint: string;
  access: string;
  scopes: string[];
  expiresAt: string | null;
  revokedAt: string | null;
  team: { id: string; slug: string } | null;
};

/** The body of a delivery, per the Standard Webhooks recommendation: its type, when it happened, its data. */
export type WebhookPayload = { type: DeliveredEvent; timestamp: string; data: Record<string, unknown> };
