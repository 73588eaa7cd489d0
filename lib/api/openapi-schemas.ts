import { EXPIRING_SOON_DAYS, EXPIRING_URGENT_DAYS, STATUS_LABELS } from "../keys/status";
import { ALL_SCOPES, RESOURCES, SPECIALS } from "../scopes";

/** Components of the OpenAPI document (lib/api/openapi.ts), built from the same lists the code enforces. */
export const SCHEMAS = {
  Error: {
    type: "object",
    required: ["error"],
    properties: {
      error: {
        type: "object",
        required: ["code", "message"],
        properties: { code: { type: "string" }, message: { type: "string" }, details: { type: "object" } },
      },
    },
  },
  Scope: {
    type: "string",
    enum: ALL_SCOPES,
    description: [
      ...RESOURCES.flatMap((r) => r.levels.map((l) => `${r.id}:${l}: ${(r.levelDescriptions as Record<string, string>)[l]}.`)),
      ...SPECIALS.map((s) => `${s.scope}: ${s.description} (${s.endpoint}).`),
      "`:write` implies `:read`.",
    ].join(" "),
  },
  ApiKey: {
    type: "object",
    // Every field is always present (null when it does not apply).
    required: ["id", "name", "description", "hint", "access", "scopes", "status", "createdAt", "lastUsedAt", "lastUsedIp", "expiresAt", "revokedAt", "revokedReason", "secretCreatedAt", "allowedIps"],
    properties: {
      id: { type: "string", format: "uuid" },
      name: { type: "string", maxLength: 64 },
      description: { type: ["string", "null"], maxLength: 280 },
      hint: { type: "string", description: "Prefix and last four characters; the only part of a key ever shown again." },
      access: { type: "string", enum: ["full", "read_only", "restricted"] },
      scopes: { type: "array", items: { $ref: "#/components/schemas/Scope" } },
      status: {
        type: "string",
        enum: Object.keys(STATUS_LABELS),
        description: `The most urgent of: revoked, expired, expiring_soon (expires within ${EXPIRING_URGENT_DAYS} days, or within ${EXPIRING_SOON_DAYS} days once it has lived half its life), rotation_due (secret older than the deployment's rotation period), active.`,
      },
      createdAt: { type: "string", format: "date-time" },
      lastUsedAt: { type: ["string", "null"], format: "date-time" },
      lastUsedIp: { type: ["string", "null"], description: "Client address of the last use (recorded at most once a minute)." },
      expiresAt: { type: ["string", "null"], format: "date-time" },
      revokedAt: { type: ["string", "null"], format: "date-time" },
      revokedReason: { type: ["string", "null"], description: "Why the key was revoked, e.g. \"reported leaked\" or \"deleted by owner\"." },
      secretCreatedAt: { type: "string", format: "date-time", description: "When the current secret was issued (creation or last rotation)." },
      allowedIps: {
        type: ["array", "null"],
        items: { type: "string" },
        description: "Client addresses (IPv4/IPv6 addresses and CIDR blocks, canonical) allowed to use the key; other addresses are refused with ip_not_allowed. null: any address.",
      },
    },
  },
  RotatedKey: {
    allOf: [
      { $ref: "#/components/schemas/ApiKey" },
      {
        type: "object",
        required: ["key", "previousSecretValidUntil"],
        properties: {
          key: { type: "string", description: "The new secret. This response is the only place it ever appears." },
          previousSecretValidUntil: { type: "string", format: "date-time", description: "Until when the previous secret still authenticates (never past the key's expiry)." },
        },
      },
    ],
  },
  CreatedKey: {
    allOf: [
      { $ref: "#/components/schemas/ApiKey" },
      { type: "object", required: ["key"], properties: { key: { type: "string", description: "The secret. This response is the only place it ever appears." } } },
    ],
  },
  KeyPage: {
    type: "object",
    required: ["data", "limit", "offset"],
    properties: { data: { type: "array", items: { $ref: "#/components/schemas/ApiKey" } }, limit: { type: "integer" }, offset: { type: "integer" } },
  },
  Me: {
    type: "object",
    required: ["owner", "key"],
    properties: {
      owner: {
        description: "Who the key belongs to: a person, or a team (a team key acts as its team, never as the person who created it).",
        oneOf: [
          {
            type: "object",
            required: ["type", "id", "email", "name"],
            properties: { type: { type: "string", const: "user" }, id: { type: "string", format: "uuid" }, email: { type: "string" }, name: { type: "string" } },
          },
          {
            type: "object",
            required: ["type", "id", "slug", "name"],
            properties: { type: { type: "string", const: "team" }, id: { type: "string", format: "uuid" }, slug: { type: "string" }, name: { type: "string" } },
          },
        ],
      },
      key: {
        type: "object",
        required: ["id", "name", "access", "scopes", "expiresAt"],
        properties: {
          id: { type: "string", format: "uuid" },
          name: { type: "string" },
          access: { type: "string", enum: ["full", "read_only", "restricted"] },
          scopes: { type: "array", items: { $ref: "#/components/schemas/Scope" } },
          expiresAt: { type: ["string", "null"], format: "date-time" },
        },
      },
    },
  },
  Verification: {
    type: "object",
    required: ["valid", "code", "keyId", "ownerType", "ownerId", "scopes", "expiresAt"],
    properties: {
      valid: { type: "boolean" },
      code: { type: "string", enum: ["VALID", "NOT_FOUND", "EXPIRED", "REVOKED", "USER_SUSPENDED", "IP_NOT_ALLOWED", "INSUFFICIENT_SCOPE", "RATE_LIMITED"] },
      keyId: { type: ["string", "null"], format: "uuid" },
      ownerType: { type: ["string", "null"], enum: ["user", "team", null], description: "Whether the key belongs to a person (ownerId is a user id) or a team (a team id)." },
      ownerId: { type: ["string", "null"], format: "uuid" },
      scopes: { type: "array", items: { $ref: "#/components/schemas/Scope" } },
      expiresAt: { type: ["string", "null"], format: "date-time" },
      missingScopes: { type: "array", items: { type: "string" }, description: "With INSUFFICIENT_SCOPE: the scopes asked for that the key lacks." },
      retryAfterSeconds: { type: "integer", description: "With RATE_LIMITED." },
      message: { type: "string", description: "With IP_NOT_ALLOWED: the address checked (the body's `ip`), or that none was passed, and what to do." },
      rateLimit: {
        type: "object",
        description: "The checked key's limit after this check, for a key that reached the limit check.",
        required: ["limit", "remaining", "resetSeconds"],
        properties: { limit: { type: "integer" }, remaining: { type: "integer" }, resetSeconds: { type: "integer" } },
      },
    },
  },
  Usage: {
    type: "object",
    required: ["days", "data"],
    properties: {
      days: { type: "integer" },
      data: {
        type: "array",
        items: {
          type: "object",
          required: ["keyId", "day", "success", "failure"],
          properties: { keyId: { type: "string", format: "uuid" }, day: { type: "string", format: "date" }, success: { type: "integer" }, failure: { type: "integer" } },
        },
      },
    },
  },
  Profile: {
    type: "object",
    required: ["id", "email", "name", "role", "createdAt"],
    properties: {
      id: { type: "string", format: "uuid" },
      email: { type: "string" },
      name: { type: "string" },
      role: { type: "string", enum: ["member", "admin"] },
      createdAt: { type: "string", format: "date-time" },
    },
  },
  LeakReportReceived: { type: "object", required: ["received"], properties: { received: { type: "integer", description: "How many keys the report named." } } },
};
