export type KeyStatus = "active" | "expiring_soon" | "expired" | "revoked";

export const EXPIRING_SOON_DAYS = 7;
const DAY_MS = 24 * 60 * 60 * 1000;

export function keyStatus(
  key: { revokedAt: Date | null; expiresAt: Date | null },
  now: Date = new Date(),
): KeyStatus {
  if (key.revokedAt && key.revokedAt.getTime() <= now.getTime()) return "revoked";
  if (key.expiresAt && key.expiresAt.getTime() <= now.getTime()) return "expired";
  if (key.expiresAt && key.expiresAt.getTime() - now.getTime() <= EXPIRING_SOON_DAYS * DAY_MS) {
    return "expiring_soon";
  }
  return "active";
}

export const STATUS_LABELS: Record<KeyStatus, string> = {
  active: "Active",
  expiring_soon: "Expiring soon",
  expired: "Expired",
  revoked: "Revoked",
};
