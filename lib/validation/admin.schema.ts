import { z } from "zod";
import { AppError } from "../errors";
import { AUDIT_ACTIONS, TEAM_AUDIT_ACTIONS } from "../audit-events";
import { JOB_STATUSES } from "../jobs/labels";
import { isScope } from "../scopes";
import { hasForbiddenCharacters, plainText } from "./common";

// Filter text with control, invisible or bidi characters matches nothing a person typed (and a
// NUL cannot even reach PostgreSQL): such a filter is dropped like any other bad value.
const printable = (v: string | undefined) => v === undefined || !hasForbiddenCharacters(v);

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .optional()
    .refine(printable)
    .transform((v) => v || undefined);

/** A user named exactly: their id, or their email (stored lower-cased, so matched lower-cased). */
const userRef = z
  .string()
  .trim()
  .max(254)
  .toLowerCase()
  .optional()
  .refine(printable)
  .transform((v) => v || undefined);

/** A team named exactly, by its slug (the shape teams_slug_shape allows); anything else is no filter. */
const teamRef = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/)
  .optional();

const page = z.coerce.number().int().min(1).max(100_000).default(1).catch(1);

export const KEY_STATUSES = ["active", "expiring_soon", "rotation_due", "expired", "revoked"] as const;
/** Status filters: each status, plus "usable" (any key that still authenticates). */
export const KEY_STATUS_FILTERS = [...KEY_STATUSES, "usable"] as const;
export type KeyStatusFilter = (typeof KEY_STATUS_FILTERS)[number];
export const KEY_SORTS = ["created", "last_used", "expires", "name"] as const;
export type KeySort = (typeof KEY_SORTS)[number];

// URL filters are strict objects: an unknown parameter (a typo such as `stauts=revoked`) is an
// error the page turns into a redirect to the URL of what it really shows, rather than a page
// that silently ignores it. Each known field falls back to its default on a bad value.

/**
 * Substring search (names, hints, owners' emails) needs 3 characters: trigram indexes serve
 * nothing shorter, and a 1-2 character substring would read every key. Shorter text matches the
 * start of key names instead ("CI" finds "CI deploys"), through a prefix index.
 */
export const SEARCH_MIN = 3;
const search = z
  .string()
  .trim()
  .max(100)
  .optional()
  .refine(printable)
  .transform((v) => v || undefined);

/** Admin key list filters, as they arrive in the URL. */
export const adminKeyFilters = z.strictObject({
  q: search.catch(undefined),
  status: z.enum(KEY_STATUS_FILTERS).optional().catch(undefined),
  owner: userRef.catch(undefined),
  team: teamRef.catch(undefined),
  scope: z.string().refine(isScope).optional().catch(undefined),
  usage: z.enum(["never", "stale"]).optional().catch(undefined),
  sort: z.enum(KEY_SORTS).default("created").catch("created"),
  dir: z.enum(["asc", "desc"]).default("desc").catch("desc"),
  page,
});
export type AdminKeyFilters = z.output<typeof adminKeyFilters>;

// A day PostgreSQL and JavaScript agree on: year 0 does not exist in PostgreSQL, and the day
// after 9999-12-31 has a six-digit year that neither parses back.
const day = z.iso
  .date()
  .refine((d) => d >= "1900-01-01" && d <= "9999-12-30")
  .optional();

export const auditFilters = z.strictObject({
  action: z.enum(AUDIT_ACTIONS).optional().catch(undefined),
  actor: userRef.catch(undefined),
  target: z.uuid().optional().catch(undefined),
  from: day.catch(undefined),
  to: day.catch(undefined),
  page,
});
export type AuditFilters = z.output<typeof auditFilters>;

/** A team's audit log (/t/<slug>/settings/audit): the admin log's filters, its actions only, no target. */
export const teamAuditFilters = z.strictObject({
  action: z.enum(TEAM_AUDIT_ACTIONS).optional().catch(undefined),
  actor: userRef.catch(undefined),
  from: day.catch(undefined),
  to: day.catch(undefined),
  page,
});
export type TeamAuditFilters = z.output<typeof teamAuditFilters>;

/** Admin -> Jobs: one status or all, a page at a time. */
export const jobFilters = z.strictObject({
  status: z.enum(JOB_STATUSES).optional().catch(undefined),
  page,
});

/** The Activity page takes nothing but a page number: it is always "my events". */
export const activityFilters = z.strictObject({ page });

export const userFilters = z.strictObject({
  q: optionalText(100).catch(undefined),
  role: z.enum(["admin", "member"]).optional().catch(undefined),
  page,
});
export type UserFilters = z.output<typeof userFilters>;

const REASON_REQUIRED = "Give a reason the owners will see, e.g. “Leaked in a public repository”.";

export const revokeKeysInput = z.strictObject({
  ids: z.array(z.uuid()).min(1, "Select at least one key.").max(500),
  reason: plainText("The reason", 200, { required: REASON_REQUIRED }).refine((v) => v.length >= 3, REASON_REQUIRED),
});

/** Most keys one "revoke all matching" may revoke: a deployment-wide incident is done in a few rounds. */
export const BULK_REVOKE_MAX = 5_000;

/** The list filters that narrow which keys match (sorting and paging do not). */
export const NARROWING_FILTERS = ["q", "status", "owner", "team", "scope", "usage"] as const;

/**
 * Revoke every usable key that matches the list's filters (as in its URL), confirmed by the count
 * the admin saw and typed: when the match has changed since, nothing is revoked.
 */
export const revokeMatchingInput = z.strictObject({
  filters: z.record(z.string(), z.string()),
  reason: revokeKeysInput.shape.reason,
  expected: z.number().int().min(1).max(BULK_REVOKE_MAX),
});

/** The filters of a revoke-all request, as the list reads them; at least one must narrow the list. */
export function revokeMatchingFilters(filters: Record<string, string>): AdminKeyFilters {
  const parsed = adminKeyFilters.safeParse(filters);
  if (!parsed.success) throw new AppError("validation_failed", { message: "These filters are not the list's. Reload the page and try again." });
  if (!NARROWING_FILTERS.some((name) => parsed.data[name] !== undefined)) {
    throw new AppError("validation_failed", { message: "Filter the list first: revoking every key at once is not offered." });
  }
  return parsed.data;
}

export const roleInput = z.strictObject({ userId: z.uuid(), role: z.enum(["admin", "member"]) });
export const endSessionsInput = z.strictObject({ userId: z.uuid() });
export const resetLinkInput = z.strictObject({ userId: z.uuid() });

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export function isUuid(value: string): boolean {
  return UUID.test(value);
}
