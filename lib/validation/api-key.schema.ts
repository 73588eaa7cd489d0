import { z } from "zod";
import { RESOURCE_IDS, SPECIAL_SCOPE_IDS, scopesFor, type Access, type Level, type Permissions } from "../scopes";
import { startOfDayIn } from "../calendar";
import { validTimeZone } from "../time-zone";
import { DAY_MS } from "../time";
import { allowedIpsText } from "./allowed-ips";
import { plainText } from "./common";

import { DESCRIPTION_MAX, EXPIRATION_CHOICES, MAX_CUSTOM_DAYS, NAME_MAX, type ExpirationChoice } from "./api-key.limits";

export { DEFAULT_EXPIRATION, DESCRIPTION_MAX, EXPIRATION_CHOICES, MAX_CUSTOM_DAYS, NAME_MAX, type ExpirationChoice } from "./api-key.limits";

const levelSchema = z.enum(["none", "read", "write"]);

export const keyNameSchema = plainText("Key name", NAME_MAX, { required: "Give the key a name, e.g. “CI deploys”." });

/** Input of the create form, as plain values (strings from FormData or JSON). */
export const createApiKeyInput = z
  .object({
    name: keyNameSchema,
    description: plainText("Description", DESCRIPTION_MAX).optional().default(""),
    access: z.enum(["full", "read_only", "restricted"], { error: "Choose an access level." }),
    permissions: z.record(z.string(), levelSchema).optional().default({}),
    specials: z.array(z.string().max(64)).max(20).optional().default([]),
    expiration: z.enum(EXPIRATION_CHOICES, { error: "Choose when the key expires." }),
    customDate: z.string().trim().optional().default(""),
    // The chooser's time zone (the browser's): a custom date is that day on their calendar. Not a
    // rule, only how to read the date, so an unknown zone reads it as UTC.
    timeZone: z.string().max(64).optional(),
    // One address or CIDR block per line (or comma separated); empty: any address. Absent (a form
    // without the field): an edit keeps the key's list.
    allowedIps: allowedIpsText.optional(),
  })
  .strict();

/** The edit form: the same fields, plus "keep" to leave the expiry as it is. */
export const editApiKeyInput = createApiKeyInput.extend({
  expiration: z.enum(["keep", ...EXPIRATION_CHOICES], { error: "Choose when the key expires." }),
});

/** Resolves the validated create form into what is stored, checking rules that need "now". */
export function resolveCreateApiKey(raw: unknown, now = new Date()) {
  return resolveKeyForm(createApiKeyInput, raw, now);
}

/** Resolves the edit form; `expiresAt` is undefined when the expiry is kept. */
export function resolveEditApiKey(raw: unknown, now = new Date()) {
  return resolveKeyForm(editApiKeyInput, raw, now);
}

function resolveKeyForm<S extends typeof createApiKeyInput | typeof editApiKeyInput>(schema: S, raw: unknown, now: Date) {
  return (schema as typeof editApiKeyInput)
    .superRefine((v, ctx) => {
      for (const key of Object.keys(v.permissions)) {
        if (!(RESOURCE_IDS as string[]).includes(key)) {
          ctx.addIssue({ code: "custom", path: ["permissions"], message: `Unknown resource “${key}”.` });
        }
      }
      for (const special of v.specials) {
        if (!(SPECIAL_SCOPE_IDS as string[]).includes(special)) {
          ctx.addIssue({ code: "custom", path: ["specials"], message: `Unknown permission “${special}”.` });
        }
      }
      if (v.access === "restricted" && scopesFor("restricted", v.permissions as Permissions, v.specials).length === 0) {
        ctx.addIssue({
          code: "custom",
          path: ["permissions"],
          message: "Give the key Read or Write on at least one resource.",
        });
      }
      if (v.expiration === "custom") {
        const date = startOfDayIn(v.customDate, zoneOf(v.timeZone));
        const end = customExpiry(v.customDate, zoneOf(v.timeZone));
        if (!date || !end) {
          ctx.addIssue({ code: "custom", path: ["customDate"], message: "Pick an expiry date." });
        } else if (end.getTime() <= now.getTime() + DAY_MS / 24) {
          ctx.addIssue({ code: "custom", path: ["customDate"], message: "Pick a date in the future." });
        } else if (date.getTime() > now.getTime() + MAX_CUSTOM_DAYS * DAY_MS) {
          ctx.addIssue({
            code: "custom",
            path: ["customDate"],
            message: `Pick a date within ${MAX_CUSTOM_DAYS} days, or choose “No expiration”.`,
          });
        }
      }
    })
    .transform((v) => ({
      name: v.name,
      description: v.description || null,
      access: v.access as Access,
      scopes: scopesFor(v.access as Access, v.permissions as Permissions, v.specials),
      expiresAt: v.expiration === "keep" ? undefined : expiresAtFor(v.expiration, v.customDate, zoneOf(v.timeZone), now),
      allowedIps: v.allowedIps,
    }))
    .safeParse(raw);
}

function zoneOf(value: string | undefined): string {
  return validTimeZone(value) ?? "UTC";
}

/**
 * A custom date means "valid through that day" on the chooser's calendar: the key expires at the
 * last second of the day in their zone (23:59:59), so the list shows the day they picked, not the
 * next one. Null for a malformed or impossible date.
 */
export function customExpiry(day: string, timeZone: string): Date | null {
  const start = startOfDayIn(day, timeZone);
  if (!start) return null;
  const next = startOfDayIn(new Date(Date.parse(`${day}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10), timeZone);
  return next && new Date(next.getTime() - 1000);
}

function expiresAtFor(choice: ExpirationChoice, customDate: string, timeZone: string, now: Date): Date | null {
  if (choice === "never") return null;
  if (choice === "custom") return customExpiry(customDate, timeZone)!;
  return new Date(now.getTime() + Number(choice) * DAY_MS);
}

/** FormData from the create dialog -> the plain object the schema takes. */
export function createApiKeyFormValues(form: FormData): Record<string, unknown> {
  const permissions: Record<string, Level> = {};
  for (const id of RESOURCE_IDS) {
    const value = form.get(`permissions.${id}`);
    if (typeof value === "string") permissions[id] = value as Level;
  }
  const text = (key: string) => {
    const v = form.get(key);
    return typeof v === "string" ? v : undefined;
  };
  return {
    name: text("name") ?? "",
    description: text("description") ?? "",
    access: text("access"),
    permissions,
    specials: form.getAll("specials").filter((v): v is string => typeof v === "string"),
    expiration: text("expiration"),
    customDate: text("customDate") ?? "",
    timeZone: text("timeZone"),
    allowedIps: text("allowedIps"),
  };
}
