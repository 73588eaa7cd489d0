import { z } from "zod";
import { GRACE_CHOICES, type GracePeriod } from "../keys/grace";
import { isScope } from "../scopes";
import { DAY_MS } from "../time";
import { DESCRIPTION_MAX, MAX_CUSTOM_DAYS, keyNameSchema } from "./api-key.schema";
import { hasForbiddenCharacters, plainText } from "./common";


const scopesSchema = z
  .array(z.string().max(64), { error: "scopes must be an array of scope names." })
  .min(1, "Give the key at least one scope.")
  .max(50)
  .refine((list) => list.every(isScope), { message: "Unknown scope; see GET /api/v1/openapi.json for the list." });

const expiresAtSchema = z.iso
  .datetime({ offset: true, error: "expiresAt must be an ISO 8601 date-time, e.g. 2027-01-31T00:00:00Z, or null." })
  .transform((v) => new Date(v))
  .refine((d) => d.getTime() > Date.now() + 60_000, "expiresAt must be in the future.")
  .refine((d) => d.getTime() <= Date.now() + MAX_CUSTOM_DAYS * DAY_MS, `expiresAt must be within ${MAX_CUSTOM_DAYS} days.`)
  .nullable();

/** POST /api/v1/keys. Unknown fields are refused (no mass assignment). */
export const createKeyBody = z
  .object({
    name: keyNameSchema,
    description: plainText("Description", DESCRIPTION_MAX).nullish(),
    scopes: scopesSchema,
    // Omitted: 30 days. null: never expires.
    expiresAt: expiresAtSchema.optional(),
  })
  .strict();

/** PATCH /api/v1/keys/{id}: any of the fields, at least one. */
export const patchKeyBody = z
  .object({
    name: keyNameSchema.optional(),
    description: plainText("Description", DESCRIPTION_MAX).nullish(),
    scopes: scopesSchema.optional(),
    expiresAt: expiresAtSchema.optional(),
  })
  .strict()
  .refine((v) => Object.keys(v).length > 0, "Send at least one of name, description, scopes, expiresAt.");

/** POST /api/v1/keys/verify. */
export const verifyKeyBody = z
  .object({
    key: z.string({ error: "key is required." }).max(256),
    scopes: z.array(z.string().max(64)).max(50).optional(),
  })
  .strict();

export const listQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});

export const profilePatchBody = z
  .object({ name: plainText("Name", 80, { required: "Enter a name." }) })
  .strict();

export const usageQuery = z
  .object({
    days: z.coerce.number().int().min(1).max(90).default(30),
    keyId: z.uuid().optional(),
  })
  .strict();

export const rotateKeyBody = z.object({ grace: z.enum(GRACE_CHOICES as [GracePeriod, ...GracePeriod[]]).default("none") }).strict();

/** Either `{ keys: [...] }` or GitHub secret scanning's `[{ token, type, url, source }]`. */
export const leakReportBody = z.union([
  z.object({ keys: z.array(z.string().max(256)).min(1).max(100) }).strict(),
  z
    .array(z.object({ token: z.string().max(256), type: z.string().max(100).optional(), url: z.string().max(2048).optional(), source: z.string().max(100).refine((v) => !hasForbiddenCharacters(v), "source contains characters that are not allowed.").optional() }))
    .min(1)
    .max(100),
]);
