import { z } from "zod";
import { AUDIT_ACTIONS } from "../audit-events";
import { isScope } from "../scopes";

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .optional()
    .transform((v) => v || undefined);

export const KEY_STATUSES = ["active", "expiring_soon", "rotation_due", "expired", "revoked"] as const;
export const KEY_SORTS = ["created", "last_used", "expires", "name"] as const;

/** Admin key list filters, as they arrive in the URL. Anything invalid falls back to the default. */
export const adminKeyFilters = z.object({
  q: optionalText(100).catch(undefined),
  status: z.enum(KEY_STATUSES).optional().catch(undefined),
  owner: optionalText(254).catch(undefined),
  scope: z.string().refine(isScope).optional().catch(undefined),
  usage: z.enum(["never", "stale"]).optional().catch(undefined),
  sort: z.enum(KEY_SORTS).default("created").catch("created"),
  dir: z.enum(["asc", "desc"]).default("desc").catch("desc"),
  page: z.coerce.number().int().min(1).max(100_000).default(1).catch(1),
});
export type AdminKeyFilters = z.output<typeof adminKeyFilters>;

export const auditFilters = z.object({
  action: z.enum(AUDIT_ACTIONS).optional().catch(undefined),
  actor: optionalText(254).catch(undefined),
  target: z.uuid().optional().catch(undefined),
  from: z.iso.date().optional().catch(undefined),
  to: z.iso.date().optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(100_000).default(1).catch(1),
});
export type AuditFilters = z.output<typeof auditFilters>;

export const revokeKeysInput = z.object({
  ids: z.array(z.uuid()).min(1, "Select at least one key.").max(500),
  reason: z
    .string()
    .trim()
    .min(3, "Give a reason the owners will see, e.g. “Leaked in a public repository”.")
    .max(200, "Keep the reason under 200 characters.")
    .refine((v) => !/[\u0000-\u001f\u007f\u202a-\u202e\u2066-\u2069]/.test(v), "The reason contains characters that are not allowed."),
});

export const roleInput = z.object({ userId: z.uuid(), role: z.enum(["admin", "member"]) });

/** URLSearchParams-like object -> plain record (first value of each key). */
export function paramsRecord(params: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(params)) {
    const value = Array.isArray(v) ? v[0] : v;
    if (typeof value === "string") out[k] = value;
  }
  return out;
}
