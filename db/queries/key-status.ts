import { and, or, sql, type SQL } from "drizzle-orm";
import { EXPIRING_SOON_DAYS, EXPIRING_URGENT_DAYS, type KeyStatus } from "@/lib/keys/status";
import { DAY_MS } from "@/lib/time";
import { apiKeys } from "../schema";

/**
 * Key status in SQL: the rules of keyStatus() (lib/keys/status.ts), built from its constants so
 * a list filter, a count and the badge on each row always agree (db/queries/key-status.test.ts
 * checks every boundary on both). Most urgent first, each status only when none before it applies:
 *
 *   revoked        revoked_at <= now
 *   expired        expires_at <= now
 *   expiring_soon  expires_at <= now + EXPIRING_SOON_DAYS × 24 h, and either
 *                  expires_at <= now + EXPIRING_URGENT_DAYS × 24 h or
 *                  expires_at - now <= now - created_at (it has lived half its life)
 *   rotation_due   secret_created_at <= now - rotation period × 24 h (only with a period)
 *   active         none of these
 *
 * Days are 24 hours of elapsed time (DAY_MS), as keyStatus counts them, never `interval '7 days'`,
 * which Postgres adds as calendar days in the session's time zone (23 or 25 hours across DST).
 */

/** "Now" for a status: an instant from the app (e.g. a request's clock) or a SQL expression. */
export type StatusNow = Date | SQL;

/** The database's clock, read once per statement (an InitPlan) rather than once per row. */
export const DB_NOW: SQL = sql`(select now())`;

/**
 * The instants a status compares against. Each is an uncorrelated subquery, computed once per
 * statement: counting 100,000 keys for the admin overview takes about half the time that way.
 */
function moments(now: StatusNow, rotationPeriodDays: number | null) {
  const at = now instanceof Date ? sql`${now.toISOString()}::timestamptz` : now;
  const plus = (ms: number) => sql`(select ${at} + (${ms}::float8 * interval '1 millisecond'))`;
  return {
    now: at,
    soon: plus(EXPIRING_SOON_DAYS * DAY_MS),
    urgent: plus(EXPIRING_URGENT_DAYS * DAY_MS),
    rotationCutoff: rotationPeriodDays ? plus(-rotationPeriodDays * DAY_MS) : null,
  };
}

/**
 * Each non-active status, most urgent first, as a test (`is`) and its null-safe negation
 * (`isNot`). `is` may be NULL for a NULL column, which WHERE and CASE treat as false, so never
 * wrap it in NOT: use `isNot`.
 */
function rules(now: StatusNow, rotationPeriodDays: number | null): { status: Exclude<KeyStatus, "active">; is: SQL; isNot: SQL }[] {
  const m = moments(now, rotationPeriodDays);
  return [
    {
      status: "revoked",
      is: sql`${apiKeys.revokedAt} <= ${m.now}`,
      isNot: sql`(${apiKeys.revokedAt} is null or ${apiKeys.revokedAt} > ${m.now})`,
    },
    {
      status: "expired",
      is: sql`${apiKeys.expiresAt} <= ${m.now}`,
      isNot: sql`(${apiKeys.expiresAt} is null or ${apiKeys.expiresAt} > ${m.now})`,
    },
    {
      status: "expiring_soon",
      // created_at is never null; expires_at may be, hence the explicit "is null" in isNot.
      is: sql`(${apiKeys.expiresAt} <= ${m.soon} and (${apiKeys.expiresAt} <= ${m.urgent} or ${apiKeys.expiresAt} - ${m.now} <= ${m.now} - ${apiKeys.createdAt}))`,
      isNot: sql`(${apiKeys.expiresAt} is null or ${apiKeys.expiresAt} > ${m.soon} or (${apiKeys.expiresAt} > ${m.urgent} and ${apiKeys.expiresAt} - ${m.now} > ${m.now} - ${apiKeys.createdAt}))`,
    },
    {
      status: "rotation_due",
      is: m.rotationCutoff ? sql`${apiKeys.secretCreatedAt} <= ${m.rotationCutoff}` : sql`false`,
      isNot: m.rotationCutoff ? sql`(${apiKeys.secretCreatedAt} is null or ${apiKeys.secretCreatedAt} > ${m.rotationCutoff})` : sql`true`,
    },
  ];
}

/** The keys whose keyStatus(key, now, rotationPeriodDays) is `status`. */
export function keyStatusCondition(status: KeyStatus, now: StatusNow, rotationPeriodDays: number | null): SQL {
  const all = rules(now, rotationPeriodDays);
  const at = status === "active" ? all.length : all.findIndex((r) => r.status === status);
  return and(...all.slice(0, at).map((r) => r.isNot), all[at]?.is)!;
}

/** The keys whose status is any of `statuses` (none: no key). */
export function keyStatusIn(statuses: readonly KeyStatus[], now: StatusNow, rotationPeriodDays: number | null): SQL {
  if (statuses.length === 0) return sql`false`;
  return or(...statuses.map((s) => keyStatusCondition(s, now, rotationPeriodDays)))!;
}

/** keyStatus() as a column: `select ${keyStatusCase(now, days)} as status`. */
export function keyStatusCase(now: StatusNow, rotationPeriodDays: number | null): SQL<KeyStatus> {
  const whens = rules(now, rotationPeriodDays).map((r) => sql`when ${r.is} then ${r.status}`);
  return sql<KeyStatus>`(case ${sql.join(whens, sql` `)} else ${"active"} end)`;
}

/** Keys that still authenticate at `now`: neither revoked nor expired, whatever else applies. */
export function keyUsableCondition(now: StatusNow): SQL {
  const [revoked, expired] = rules(now, null);
  return and(revoked!.isNot, expired!.isNot)!;
}
