import { DAY_MS } from "../time";

/**
 * The kinds of notification, in the order Settings -> Notifications lists them. Pure: the
 * schema, the scan and the pages all take them from here.
 */
export const NOTIFICATION_KINDS = ["key.expiring_7d", "key.expiring_1d", "key.rotation_due", "key.unused_90d", "key.revoked", "digest.monthly", "webhook.disabled", "review.requested"] as const;

/** A key nobody has used for this long is worth revoking (Settings -> Notifications says so). */
export const UNUSED_DAYS = 90;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** When each expiry warning is due: this long before the key expires. */
export const EXPIRY_WARNINGS: { kind: NotificationKind; beforeMs: number }[] = [
  { kind: "key.expiring_7d", beforeMs: 7 * DAY_MS },
  { kind: "key.expiring_1d", beforeMs: DAY_MS },
];

/** The choice as Settings -> Notifications names it. */
export const NOTIFICATION_KIND_LABELS: Record<NotificationKind, string> = {
  "key.expiring_7d": "A key expires in 7 days",
  "key.expiring_1d": "A key expires within a day",
  "key.rotation_due": "A key is due for rotation",
  "key.unused_90d": "A key has not been used for 90 days",
  "key.revoked": "An administrator or a leak report revokes a key",
  "digest.monthly": "Once a month, a list of your active keys to review",
  "webhook.disabled": "A webhook endpoint is disabled after failing for 3 days",
  "review.requested": "An administrator asks you to review your keys",
};

/**
 * Which expiry warning a key is due, at `now`: the 7-day one from 7 days before it expires until a
 * day before, then the 1-day one until it expires; none for a key that was made already inside a
 * warning's window (whoever made it chose that expiry a moment ago).
 */
export function expiryWarningDue(key: { expiresAt: Date; createdAt: Date }, now: Date): NotificationKind | null {
  const left = key.expiresAt.getTime() - now.getTime();
  const lifetime = key.expiresAt.getTime() - key.createdAt.getTime();
  if (left <= 0) return null;
  for (const warning of [...EXPIRY_WARNINGS].sort((a, b) => a.beforeMs - b.beforeMs)) {
    if (left <= warning.beforeMs) return lifetime > warning.beforeMs ? warning.kind : null;
  }
  return null;
}

/** What a notice says, in a sentence (the bell's list, a mail's subject). */
export function noticeSentence(kind: NotificationKind, data: Record<string, unknown>): string {
  const key = `“${String(data.keyName ?? "a key")}”`;
  const whose = typeof data.teamName === "string" ? `Key ${key} of team ${data.teamName}` : `Your key ${key}`;
  switch (kind) {
    case "key.expiring_7d":
      return `${whose} expires in 7 days`;
    case "key.expiring_1d":
      return `${whose} expires within a day`;
    case "key.rotation_due":
      return `${whose} is due for rotation`;
    case "key.unused_90d":
      return `${whose} has not been used for ${UNUSED_DAYS} days`;
    case "digest.monthly": {
      const n = Number(data.activeKeys ?? 0);
      return `Monthly review: ${n === 1 ? "1 active key" : `${n} active keys`} in ${String(data.month ?? "this month")}`;
    }
    case "review.requested": {
      const n = Number(data.keys ?? 0);
      return `Review your keys: ${n === 1 ? "1 key" : `${n} keys`} in the access review “${String(data.reviewName ?? "")}”`;
    }
    case "webhook.disabled":
      return typeof data.teamName === "string"
        ? `The webhook endpoint ${String(data.url ?? "")} of team ${data.teamName} was disabled: its deliveries failed for 3 days`
        : `Your webhook endpoint ${String(data.url ?? "")} was disabled: its deliveries failed for 3 days`;
    case "key.revoked":
      if (data.by === "leak") {
        return data.secret === "previous secret"
          ? `The previous secret of ${whose.charAt(0).toLowerCase()}${whose.slice(1)} was reported leaked and stopped working`
          : `${whose} was revoked: its secret was reported leaked`;
      }
      return `${whose} was revoked by an administrator`;
  }
}
