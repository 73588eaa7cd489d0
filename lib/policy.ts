// Deployment-wide key policy, from the environment (README lists the variables).
const DAY_MS = 86_400_000;

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
  /** KEY_MAX_LIFETIME_DAYS: no key may be set to expire later than this from now; unset or 0 = no maximum (then "No expiration" is allowed). */
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
  "1h": { label: "After 1 hour", ms: 3_600_000 },
  "24h": { label: "After 24 hours", ms: 24 * 3_600_000 },
  "7d": { label: "After 7 days", ms: 7 * DAY_MS },
} as const;
export type GracePeriod = keyof typeof GRACE_PERIODS;
export const GRACE_CHOICES = Object.keys(GRACE_PERIODS) as GracePeriod[];

/** The latest expiry a key may be given now, or null when there is no maximum. */
export function latestAllowedExpiry(now: Date, maxLifetimeDays = policy.maxLifetimeDays): Date | null {
  return maxLifetimeDays === null ? null : new Date(now.getTime() + maxLifetimeDays * DAY_MS);
}

/** Why an expiry is not allowed by the deployment's maximum lifetime, or null if it is. */
export function expiryPolicyError(expiresAt: Date | null, now = new Date()): string | null {
  const latest = latestAllowedExpiry(now);
  if (!latest) return null;
  if (expiresAt === null) return `Keys must expire: this deployment allows at most ${policy.maxLifetimeDays} days.`;
  if (expiresAt.getTime() > latest.getTime() + 60_000) {
    return `Pick a date within ${policy.maxLifetimeDays} days: that is this deployment's maximum key lifetime.`;
  }
  return null;
}
