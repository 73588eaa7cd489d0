// Deployment-wide key policy, from the environment (README lists the variables).
import { formatDate } from "./format";
import { DAY_MS, HOUR_MS } from "./time";

function days(value: string | undefined, fallback: number | null): number | null {
  if (value === undefined || value.trim() === "") return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`Expected a whole number of days, got "${value}".`);
  return n === 0 ? null : n;
}

export const policy = {
  /** MAX_ACTIVE_KEYS_PER_USER (default 1000): usable keys one account may hold at once. */
  get maxActiveKeysPerUser(): number {
    const n = Number(process.env.MAX_ACTIVE_KEYS_PER_USER);
    return Number.isInteger(n) && n > 0 ? n : 1000;
  },
  /** KEY_MAX_LIFETIME_DAYS: no key may be set to expire later than this many days after its creation; unset or 0 = no maximum (then "No expiration" is allowed). */
  get maxLifetimeDays(): number | null {
    return days(process.env.KEY_MAX_LIFETIME_DAYS, null);
  },
  /** ROTATION_PERIOD_DAYS (default 90, quarterly): a secret older than this shows "Rotation due". 0 turns it off. */
  get rotationPeriodDays(): number | null {
    return days(process.env.ROTATION_PERIOD_DAYS, 90);
  },
};

export const GRACE_PERIODS = {
  none: { label: "Immediately", ms: 0 },
  "1h": { label: "After 1 hour", ms: HOUR_MS },
  "24h": { label: "After 24 hours", ms: 24 * HOUR_MS },
  "7d": { label: "After 7 days", ms: 7 * DAY_MS },
} as const;
export type GracePeriod = keyof typeof GRACE_PERIODS;
export const GRACE_CHOICES = Object.keys(GRACE_PERIODS) as GracePeriod[];

/**
 * The latest expiry a key may have: its creation plus the maximum lifetime (for a key being
 * created, creation is now), or null when there is no maximum. Counting from creation rather than
 * from the day of an edit means repeated "extend" edits can never keep a key alive for ever.
 */
export function latestAllowedExpiry(createdAt: Date, maxLifetimeDays = policy.maxLifetimeDays): Date | null {
  return maxLifetimeDays === null ? null : new Date(createdAt.getTime() + maxLifetimeDays * DAY_MS);
}

/**
 * Why an expiry is not allowed by the deployment's maximum lifetime, or null if it is. For a new
 * key pass no `key` (its lifetime starts now); for an edit pass the key's creation and current
 * expiry. Shortening is always allowed, even for a key created before the maximum was set.
 */
export function expiryPolicyError(
  expiresAt: Date | null,
  key?: { createdAt: Date; expiresAt: Date | null },
  now = new Date(),
): string | null {
  const max = policy.maxLifetimeDays;
  const latest = latestAllowedExpiry(key?.createdAt ?? now, max);
  if (!latest) return null;
  if (expiresAt === null) return `Keys must expire: this deployment allows at most ${max} days.`;
  if (key && (key.expiresAt === null || expiresAt.getTime() <= key.expiresAt.getTime())) return null;
  if (expiresAt.getTime() > latest.getTime() + 60_000) {
    return key
      ? `Pick a date within ${max} days of the key's creation (no later than ${formatDate(latest)}): that is this deployment's maximum key lifetime.`
      : `Pick a date within ${max} days: that is this deployment's maximum key lifetime.`;
  }
  return null;
}
