import { STATUS_LABELS } from "../keys/status";
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
      ...RESOURCES.map((r) => `${r.levels.map((l) => `${r.id}:${l}`).join(", ")}: ${r.description}.`),
      ...SPECIALS.map((s) => `${s.scope}: ${s.description}.`),
      "`:write` implies `:read`.",
    ].join(" "),
  },
  ApiKey: {
    type: "object",
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
        description: "The most urgent of: revoked, expired, expiring_soon (within 7 days), rotation_due (secret older than the deployment's rotation period), active.",
      },
      createdAt: { type: "string", format: "date-time" },
      lastUsedAt: { type: ["string", "null"], format: "date-time" },
      lastUsedIp: { type: ["string", "null"], description: "Client address of the last use (recorded at most once a minute)." },
      expiresAt: { type: ["string", "null"], format: "date-time" },
      revokedAt: { type: ["string", "null"], format: "date-time" },
      revokedReason: { type: ["string", "null"], description: "Why the key was revoked, e.g. \"reported leaked\" or \"deleted by owner\"." },
      secretCreatedAt: { type: "string", format: "date-time", description: "When the current secret was issued (creation or last rotation)." },
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
};
