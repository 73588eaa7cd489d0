// Deployment-wide key policy, from the environment (README lists the variables).
import { config } from "./config";
import { formatDate } from "./format";
import { DAY_MS } from "./time";

export const policy = {
  /** Usable keys one account may hold at once (MAX_ACTIVE_KEYS_PER_USER). */
  get maxActiveKeysPerUser(): number {
    return config.maxActiveKeysPerUser;
  },
  /** No key may be set to expire later than this many days after its creation (KEY_MAX_LIFETIME_DAYS); null = no maximum (then "No expiration" is allowed). */
  get maxLifetimeDays(): number | null {
    return config.keyMaxLifetimeDays;
  },
  /** A secret older than this shows "Rotation due" (ROTATION_PERIOD_DAYS); null = off. */
  get rotationPeriodDays(): number | null {
    return config.rotationPeriodDays;
  },
};


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
