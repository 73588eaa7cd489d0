import { z } from "zod";
import { RESOURCE_IDS, SPECIAL_SCOPE_IDS, scopesFor, type Access, type Level, type Permissions } from "../scopes";
import { DAY_MS } from "../time";
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
        const date = parseDay(v.customDate);
        if (!date) {
          ctx.addIssue({ code: "custom", path: ["customDate"], message: "Pick an expiry date." });
        } else if (date.getTime() + DAY_MS <= now.getTime() + DAY_MS / 24) {
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
      expiresAt: v.expiration === "keep" ? undefined : expiresAtFor(v.expiration, v.customDate, now),
    }))
    .safeParse(raw);
}

/** "YYYY-MM-DD" -> that day at 00:00 UTC, or null. */
function parseDay(value: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return null;
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return date.toISOString().startsWith(value) ? date : null;
}

function expiresAtFor(choice: ExpirationChoice, customDate: string, now: Date): Date | null {
  if (choice === "never") return null;
  // A custom date means "valid through that day": it expires at the end of the day (UTC).
  if (choice === "custom") return new Date(parseDay(customDate)!.getTime() + DAY_MS);
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
  };
}
