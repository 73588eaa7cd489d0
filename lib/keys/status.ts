import { DAY_MS } from "../time";

export type KeyStatus = "active" | "expiring_soon" | "rotation_due" | "expired" | "revoked";

/**
 * "Expiring soon" is a flag that asks for action, so it must not fire on a key that has only just
 * been made with a short lifetime: a brand-new 7-day key is doing what its owner asked for. A key is
 * expiring soon when it expires within EXPIRING_SOON_DAYS *and* has lived at least half its life
 * (from creation to expiry: a 30-day key is flagged 7 days before, a 10-day key 5 days before, a
 * 7-day key 3.5 days before), or, whatever its lifetime, when it expires within EXPIRING_URGENT_DAYS
 * (a 2-day key is flagged at once: there is little time left to act either way). Half the life is
 * what makes the rule scale with the lifetime the owner chose; the 3-day floor keeps a short key
 * from expiring unannounced.
 */
export const EXPIRING_SOON_DAYS = 7;
export const EXPIRING_URGENT_DAYS = 3;

/** The statuses the API Keys page's attention banner lists: each has a fix (rotate, extend, replace). */
export const ATTENTION_STATUSES = ["expired", "expiring_soon", "rotation_due"] as const satisfies readonly KeyStatus[];

/**
 * How long an expired key stays in the attention banner. Right after it expires the owner may not
 * know yet (apps are failing), so it is listed with Delete; after that it has been seen, and a
 * banner that never empties teaches people to ignore it. It stays in the list, marked Expired,
 * with Delete in its menu, until its owner deletes it.
 */
export const EXPIRED_ATTENTION_DAYS = 7;

// The same rules in SQL, for filters and counts over many keys: db/queries/key-status.ts.

/** Most urgent first: revoked, expired, expiring soon (see above), rotation due (secret older than the period). */
export function keyStatus(
  key: { revokedAt: Date | null; expiresAt: Date | null; createdAt: Date; secretCreatedAt?: Date | null },
  now: Date = new Date(),
  rotationPeriodDays: number | null = null,
): KeyStatus {
  if (key.revokedAt && key.revokedAt.getTime() <= now.getTime()) return "revoked";
  if (key.expiresAt && key.expiresAt.getTime() <= now.getTime()) return "expired";
  if (key.expiresAt && isExpiringSoon(key.expiresAt, key.createdAt, now)) return "expiring_soon";
  if (isRotationDue(key, now, rotationPeriodDays)) return "rotation_due";
  return "active";
}

/** The rule above for a key that has not expired yet (keyStatus checks that first). */
function isExpiringSoon(expiresAt: Date, createdAt: Date, now: Date): boolean {
  const left = expiresAt.getTime() - now.getTime();
  const lived = now.getTime() - createdAt.getTime();
  return left <= EXPIRING_SOON_DAYS * DAY_MS && (left <= EXPIRING_URGENT_DAYS * DAY_MS || left <= lived);
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
/** A key its owner deleted: kept (revoked) for the audit trail, shown as "Deleted", not as a revocation. */
export function deletedByOwner(reason: string | null): boolean {
  return reason === "deleted by owner";
}

export function revokedNote(reason: string): string {
  if (deletedByOwner(reason)) return "Deleted by its owner";
  if (reason === "reported leaked") return "Revoked after a leak report";
  if (reason === "account deleted") return "Revoked when its owner's account was deleted";
  if (reason.startsWith("by ")) return `Revoked ${reason}`;
  return `Revoked: ${reason}`;
}
