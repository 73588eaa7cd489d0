import { z } from "zod";
import { DEFAULT_GRACE, GRACE_CHOICES, type GracePeriod } from "../keys/grace";
import { parseAddress } from "../keys/cidr";
import { ALL_SCOPES, isScope } from "../scopes";
import { DAY_MS } from "../time";
import { allowedIpsList } from "./allowed-ips";
import { DESCRIPTION_MAX, MAX_CUSTOM_DAYS, keyNameSchema } from "./api-key.schema";
import { hasForbiddenCharacters, plainText } from "./common";


const scopesSchema = z
  .array(z.string().max(64), { error: "scopes must be an array of scope names." })
  .min(1, "Give the key at least one scope.")
  .max(50)
  .refine((list) => list.every(isScope), { message: "Unknown scope; see GET /api/v1/openapi.json for the list." })
  .meta({ description: `What the key may do: one or more of ${ALL_SCOPES.join(", ")}.`, examples: [["keys:read", "usage:read"]] });

const expiresAtSchema = z.iso
  .datetime({ offset: true, error: "expiresAt must be an ISO 8601 date-time, e.g. 2027-01-31T00:00:00Z, or null." })
  .transform((v) => new Date(v))
  .refine((d) => d.getTime() > Date.now() + 60_000, "expiresAt must be in the future.")
  .refine((d) => d.getTime() <= Date.now() + MAX_CUSTOM_DAYS * DAY_MS, `expiresAt must be within ${MAX_CUSTOM_DAYS} days.`)
  .nullable()
  .meta({
    description:
      `When the key stops working: in the future and within ${MAX_CUSTOM_DAYS} days; null never expires; omitted on create means 30 days. ` +
      "Never past the calling key's own expiry, nor past the deployment's maximum lifetime (KEY_MAX_LIFETIME_DAYS; then null is refused too).",
    examples: ["2027-03-31T00:00:00Z"],
  });

const keyName = keyNameSchema.meta({ description: "Unique among your keys; 1-64 characters of plain text.", examples: ["CI deploys"] });
const keyDescription = plainText("Description", DESCRIPTION_MAX)
  .nullish()
  .meta({ description: `Optional note for people, up to ${DESCRIPTION_MAX} characters.`, examples: ["Used by the nightly deploy job"] });

/** POST /api/v1/keys. Unknown fields are refused (no mass assignment). */
export const createKeyBody = z
  .object({
    name: keyName,
    description: keyDescription,
    scopes: scopesSchema,
    // Omitted: 30 days. null: never expires.
    expiresAt: expiresAtSchema.optional(),
    // Omitted, null or []: any address.
    allowedIps: allowedIpsList.optional(),
  })
  .strict();

/** PATCH /api/v1/keys/{id}: any of the fields, at least one. */
export const patchKeyBody = z
  .object({
    name: keyName.optional(),
    description: keyDescription,
    scopes: scopesSchema.optional(),
    expiresAt: expiresAtSchema.optional(),
    // Omitted: kept. null or []: any address.
    allowedIps: allowedIpsList.optional(),
  })
  .strict()
  .refine((v) => Object.keys(v).length > 0, "Send at least one of name, description, scopes, expiresAt, allowedIps.");

/** POST /api/v1/keys/verify. */
export const verifyKeyBody = z
  .object({
    key: z.string({ error: "key is required." }).max(256).meta({ description: "The key your service was handed, as it was sent.", examples: ["ksk_…"] }),
    scopes: z
      .array(z.string().max(64))
      .max(50)
      .optional()
      .meta({ description: "Scopes the key must hold; a key lacking one answers INSUFFICIENT_SCOPE.", examples: [["keys:read"]] }),
    ip: z
      .string({ error: "ip must be a string." })
      .max(64, "ip must be at most 64 characters.")
      .refine((v) => parseAddress(v) !== null, "ip must be one IPv4 or IPv6 address (no prefix, no zone), e.g. 203.0.113.7.")
      .optional()
      .meta({
        description:
          "The address of the client that presented the key to your service. A key with allowed IPs is checked against it, and answers IP_NOT_ALLOWED when it is outside them or not sent.",
        examples: ["203.0.113.7"],
      }),
  })
  .strict();

export const listQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(50).meta({ description: "Keys per page, 1-100." }),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0).meta({ description: "Keys to skip, newest first." }),
});

export const profilePatchBody = z
  .object({ name: plainText("Name", 80, { required: "Enter a name." }).meta({ description: "The display name, 1-80 characters.", examples: ["Ada Lovelace"] }) })
  .strict();

export const usageQuery = z
  .object({
    days: z.coerce.number().int().min(1).max(90).default(30).meta({ description: "Days back from today (UTC), 1-90." }),
    keyId: z.uuid().optional().meta({ description: "Only this key's usage." }),
  })
  .strict();

export const rotateKeyBody = z
  .object({
    grace: z
      .enum(GRACE_CHOICES as [GracePeriod, ...GracePeriod[]])
      .default(DEFAULT_GRACE)
      .meta({
        description:
          "How long the previous secret keeps working, never past the key's expiry; 1h when omitted (the body too). Secrets from earlier rotations stop by then too. After a leak, send none.",
      }),
  })
  .strict();

/** Either `{ keys: [...] }` or GitHub secret scanning's `[{ token, type, url, source }]`. */
export const leakReportBody = z.union([
  z.object({ keys: z.array(z.string().max(256)).min(1).max(100).meta({ description: "The keys found, as they were found." }) }).strict(),
  z
    .array(z.object({ token: z.string().max(256), type: z.string().max(100).optional(), url: z.string().max(2048).optional(), source: z.string().max(100).refine((v) => !hasForbiddenCharacters(v), "source contains characters that are not allowed.").optional() }))
    .min(1)
    .max(100)
    .meta({ description: "GitHub secret scanning's format." }),
]);
