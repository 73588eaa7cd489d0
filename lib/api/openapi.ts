import { KEY_PATTERN } from "../keys/format";
import { SCHEMAS } from "./openapi-schemas";

const error = (description: string) => ({
  description,
  content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
});

const COMMON = {
  "401": error("Missing, malformed, unknown, expired or revoked key (WWW-Authenticate: Bearer)."),
  "429": error("Too many requests for this key, or too many failed authentications from this address (Retry-After)."),
  "503": error("The database is briefly unreachable (Retry-After)."),
};
const scoped = (scope: string) => ({
  security: [{ bearer: [scope] }],
  "x-required-scope": scope,
});
const keyResponse = (description: string) => ({
  description,
  content: { "application/json": { schema: { $ref: "#/components/schemas/ApiKey" } } },
});
const idParam = [{ name: "id", in: "path", required: true, schema: { type: "string", format: "uuid" } }];

/** The OpenAPI 3.1 description of /api/v1, built from the same scope catalogue the code enforces. */
export function openApiDocument(serverUrl: string) {
  return {
    openapi: "3.1.0",
    info: {
      title: "Keysmith API",
      version: "1.0.0",
      description:
        "Authenticate with `Authorization: Bearer <key>`. Keys match " +
        `\`${KEY_PATTERN.source}\` and end in a CRC32 checksum, so malformed keys are refused before any lookup. ` +
        "Errors are `{ \"error\": { \"code\", \"message\" } }`.",
    },
    servers: [{ url: `${serverUrl}/api/v1` }],
    components: {
      securitySchemes: {
        bearer: { type: "http", scheme: "bearer", description: "A Keysmith API key." },
      },
      schemas: SCHEMAS,
    },
    paths: {
      "/me": {
        get: {
          summary: "The calling key and its owner",
          security: [{ bearer: [] }],
          responses: { "200": { description: "Owner and key." }, ...COMMON },
        },
      },
      "/keys": {
        get: {
          summary: "List your keys",
          ...scoped("keys:read"),
          parameters: [
            { name: "limit", in: "query", schema: { type: "integer", minimum: 1, maximum: 100, default: 50 } },
            { name: "offset", in: "query", schema: { type: "integer", minimum: 0, default: 0 } },
          ],
          responses: { "200": { description: "A page of keys." }, "403": error("Missing keys:read."), ...COMMON },
        },
        post: {
          summary: "Create a key (the response is the only one that ever contains its secret, in `key`)",
          ...scoped("keys:write"),
          requestBody: { required: true, content: { "application/json": { schema: { allOf: [{ $ref: "#/components/schemas/KeyInput" }], required: ["name", "scopes"] } } } },
          responses: {
            "201": keyResponse("Created; `key` holds the secret."),
            "403": error("Missing keys:write, or asking for scopes or an expiry beyond the calling key's."),
            "409": error("A key with this name exists."),
            "413": error("Body over 64 KB."),
            "415": error("Body not JSON."),
            "422": error("Invalid fields (details.fields)."),
            ...COMMON,
          },
        },
      },
      "/keys/{id}": {
        parameters: idParam,
        get: { summary: "One of your keys", ...scoped("keys:read"), responses: { "200": keyResponse("The key."), "404": error("No such key of yours."), ...COMMON } },
        patch: {
          summary: "Rename, re-describe, re-scope or change the expiry of a key",
          ...scoped("keys:write"),
          requestBody: { required: true, content: { "application/json": { schema: { $ref: "#/components/schemas/KeyInput" } } } },
          responses: {
            "200": keyResponse("The updated key."),
            "403": error("Escalation refused."),
            "404": error("No such key of yours."),
            "409": error("Name taken, or the key is revoked or expired (such keys cannot be changed, only deleted)."),
            "422": error("Invalid fields, or an expiry past the deployment's maximum lifetime (counted from the key's creation)."),
            ...COMMON,
          },
        },
        delete: {
          summary: "Revoke and delete a key (it stops working on the next request)",
          ...scoped("keys:write"),
          responses: { "200": keyResponse("The revoked key."), "404": error("No such key of yours."), ...COMMON },
        },
      },
      "/keys/{id}/rotate": {
        parameters: idParam,
        post: {
          summary: "Rotate a key: a new secret for the same key (id, name, scopes, usage history); the response is the only one that contains it",
          ...scoped("keys:rotate"),
          requestBody: {
            required: false,
            content: {
              "application/json": {
                schema: {
                  type: "object",
                  additionalProperties: false,
                  properties: {
                    grace: {
                      type: "string",
                      enum: ["none", "1h", "24h", "7d"],
                      default: "none",
                      description: "How long the previous secret keeps working, never past the key's expiry. Secrets from earlier rotations stop by then too.",
                    },
                  },
                },
              },
            },
          },
          responses: {
            "200": { description: "The rotated key; `key` holds the new secret.", content: { "application/json": { schema: { $ref: "#/components/schemas/RotatedKey" } } } },
            "403": error(
              "Missing keys:rotate, a target with more access than the calling key, or `previous_secret`: the call used a previous secret still in its grace period, which authenticates but may not rotate (use the current secret).",
            ),
            "404": error("No such key of yours."),
            "409": error("The key is revoked or expired."),
            "422": error("Invalid grace."),
            ...COMMON,
          },
        },
      },
      "/keys/revoke-leaked": {
        post: {
          summary: "Report leaked keys (for secret scanners; no key needed). Well-formed keys that exist are revoked, with reason \"reported leaked\"",
          security: [],
          requestBody: { required: true, content: { "application/json": { schema: { $ref: "#/components/schemas/LeakReport" } } } },
          responses: {
            "202": {
              description: "Always, before any lookup: `{ received }`, the same whether or not any key existed. Revocation follows within moments.",
            },
            "413": error("Body over 64 KB."),
            "415": error("Body not JSON."),
            "422": error("Invalid body."),
            "429": error("More than 10 reports a minute from this address (Retry-After)."),
          },
        },
      },
      "/profile": {
        get: { summary: "The key owner's profile", ...scoped("profile:read"), responses: { "200": { description: "id, email, name, role, createdAt." }, "403": error("Missing profile:read."), ...COMMON } },
        patch: {
          summary: "Change the owner's display name",
          ...scoped("profile:write"),
          requestBody: {
            required: true,
            content: { "application/json": { schema: { type: "object", additionalProperties: false, required: ["name"], properties: { name: { type: "string", minLength: 1, maxLength: 80 } } } } },
          },
          responses: { "200": { description: "The updated profile." }, "403": error("Missing profile:write."), "422": error("Invalid name."), ...COMMON },
        },
      },
      "/usage": {
        get: {
          summary: "Requests per key per day (UTC) for your keys",
          ...scoped("usage:read"),
          parameters: [
            { name: "days", in: "query", schema: { type: "integer", minimum: 1, maximum: 90, default: 30 } },
            { name: "keyId", in: "query", schema: { type: "string", format: "uuid" } },
          ],
          responses: { "200": { description: "{ days, data: [{ keyId, day, success, failure }] }." }, "403": error("Missing usage:read."), ...COMMON },
        },
      },
      "/keys/verify": {
        post: {
          summary: "Verify a key handed to your service",
          ...scoped("keys:verify"),
          requestBody: {
            required: true,
            content: {
              "application/json": {
                schema: {
                  type: "object",
                  required: ["key"],
                  additionalProperties: false,
                  properties: { key: { type: "string" }, scopes: { type: "array", items: { type: "string" } } },
                },
              },
            },
          },
          responses: {
            "200": {
              description:
                "Always 200 for a well-formed request: `valid` and `code` (VALID, NOT_FOUND, EXPIRED, REVOKED, INSUFFICIENT_SCOPE, RATE_LIMITED), with keyId, ownerId, scopes, expiresAt.",
            },
            "403": error("Missing keys:verify."),
            "422": error("Invalid body."),
            ...COMMON,
          },
        },
      },
    },
  };
}
