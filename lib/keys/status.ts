import { DAY_MS } from "../time";

export type KeyStatus = "active" | "expiring_soon" | "rotation_due" | "expired" | "revoked";

export const EXPIRING_SOON_DAYS = 7;

/** The statuses the API Keys page's attention banner lists: each has a fix (rotate, extend, replace). */
export const ATTENTION_STATUSES = ["expired", "expiring_soon", "rotation_due"] as const satisfies readonly KeyStatus[];

// The same rules in SQL, for filters and counts over many keys: db/queries/key-status.ts.

/** Most urgent first: revoked, expired, expiring soon (7 days), rotation due (secret older than the period). */
export function keyStatus(
  key: { revokedAt: Date | null; expiresAt: Date | null; secretCreatedAt?: Date | null },
  now: Date = new Date(),
  rotationPeriodDays: number | null = null,
): KeyStatus {
  if (key.revokedAt && key.revokedAt.getTime() <= now.getTime()) return "revoked";
  if (key.expiresAt && key.expiresAt.getTime() <= now.getTime()) return "expired";
  if (key.expiresAt && key.expiresAt.getTime() - now.getTime() <= EXPIRING_SOON_DAYS * DAY_MS) {
    return "expiring_soon";
  }
  if (isRotationDue(key, now, rotationPeriodDays)) return "rotation_due";
  return "active";
}

/**
 * Whether the current secret is older than the rotation period, whatever else applies: a key
 * can be both expiring soon and due for rotation, and the badge shows only the more urgent one.
 */
export function isRotationDue(
  key: { secretCreatedAt?: Date | null },
  now: Date,
  rotationPeriodDays: number | null,
): boolean {
  return !!rotationPeriodDays && !!key.secretCreatedAt && now.getTime() - key.secretCreatedAt.getTime() >= rotationPeriodDays * DAY_MS;
}

export const STATUS_LABELS: Record<KeyStatus, string> = {
  active: "Active",
  expiring_soon: "Expiring soon",
  rotation_due: "Rotation due",
  expired: "Expired",
  revoked: "Revoked",
};

/**
 * The sentence under a revoked key's badge, from the reason stored with it (db/queries): "Revoked
 * by its owner", "Revoked by an administrator: <their reason>", "Revoked after a leak report",
 * "Deleted by its owner"; any other reason after "Revoked: ".
 */
export function revokedNote(reason: string): string {
  if (reason === "deleted by owner") return "Deleted by its owner";
  if (reason === "reported leaked") return "Revoked after a leak report";
  if (reason.startsWith("by ")) return `Revoked ${reason}`;
  return `Revoked: ${reason}`;
}
