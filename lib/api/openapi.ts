import { ERRORS, type ErrorCode } from "../errors";
import { KEY_PATTERN } from "../keys/format";
import { z } from "zod";
import { OPERATIONS, operationErrors, type OperationId } from "./operations";
import { SCHEMAS } from "./openapi-schemas";

const scoped = (scope: string) => ({
  security: [{ bearer: [scope] }],
  "x-required-scope": scope,
});
const ref = (description: string, schema: keyof typeof SCHEMAS) => ({
  description,
  content: { "application/json": { schema: { $ref: `#/components/schemas/${schema}` } } },
});
const keyResponse = (description: string) => ref(description, "ApiKey");
const idParam = [{ name: "id", in: "path", required: true, schema: { type: "string", format: "uuid" } }];

/**
 * The error responses of one operation, from lib/api/operations.ts: one entry per status, naming
 * each code it can carry (in the description and as the schema's enum of `error.code`).
 */
function errorResponses(id: OperationId) {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of operationErrors(id)) {
    const status = ERRORS[code][0];
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  return Object.fromEntries(
    [...byStatus].map(([status, codes]) => [
      String(status),
      {
        description: codes.map((code) => `\`${code}\`: ${ERRORS[code][1]}`).join(" "),
        content: {
          "application/json": {
            schema: {
              allOf: [
                { $ref: "#/components/schemas/Error" },
                { type: "object", properties: { error: { type: "object", properties: { code: { enum: codes } } } } },
              ],
            },
          },
        },
      },
    ]),
  );
}

/** The OpenAPI 3.1 description of /api/v1, built from the same scope catalogue and error table the code enforces. */
export function openApiDocument(serverUrl: string) {
  const document = {
    openapi: "3.1.0",
    info: {
      title: "Keysmith API",
      version: "1.0.0",
      description:
        "Authenticate with `Authorization: Bearer <key>`. Keys match " +
        `\`${KEY_PATTERN.source}\` and end in a CRC32 checksum, so malformed keys are refused before any lookup. ` +
        "Errors are `{ \"error\": { \"code\", \"message\" } }`. Every answer to a request made with a valid key carries " +
        "the key's limit: `RateLimit-Policy` and `RateLimit` (IETF), and `X-RateLimit-Limit`, `X-RateLimit-Remaining`, `X-RateLimit-Reset` (epoch seconds).",
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
          responses: { "200": ref("Owner and key.", "Me") },
        },
      },
      "/keys": {
        get: {
          summary: "List your keys",
          ...scoped("keys:read"),
          responses: { "200": ref("A page of keys, newest first.", "KeyPage") },
        },
        post: {
          summary: "Create a key (the response is the only one that ever contains its secret, in `key`)",
          ...scoped("keys:write"),
          responses: {
            "201": ref("Created; `key` holds the secret.", "CreatedKey"),
          },
        },
      },
      "/keys/{id}": {
        parameters: idParam,
        get: { summary: "One of your keys", ...scoped("keys:read"), responses: { "200": keyResponse("The key.") } },
        patch: {
          summary: "Rename, re-describe, re-scope or change the expiry of a key",
          ...scoped("keys:write"),
          responses: {
            "200": keyResponse("The updated key."),
          },
        },
        delete: {
          summary: "Revoke and delete a key (it stops working on the next request)",
          ...scoped("keys:write"),
          responses: { "200": keyResponse("The revoked key.") },
        },
      },
      "/keys/{id}/rotate": {
        parameters: idParam,
        post: {
          summary: "Rotate a key: a new secret for the same key (id, name, scopes, usage history); the response is the only one that contains it",
          ...scoped("keys:rotate"),
          responses: {
            "200": ref("The rotated key; `key` holds the new secret.", "RotatedKey"),
          },
        },
      },
      "/keys/revoke-leaked": {
        post: {
          summary: "Report leaked keys (for secret scanners; no key needed). Well-formed keys that exist are revoked, with reason \"reported leaked\"",
          security: [],
          responses: {
            "202": ref("Always, before any lookup: the same whether or not any key existed. Revocation follows within moments.", "LeakReportReceived"),
          },
        },
      },
      "/profile": {
        get: { summary: "The key owner's profile", ...scoped("profile:read"), responses: { "200": ref("The profile.", "Profile") } },
        patch: {
          summary: "Change the owner's display name",
          ...scoped("profile:write"),
          responses: { "200": ref("The updated profile.", "Profile") },
        },
      },
      "/usage": {
        get: {
          summary: "Requests per key per day (UTC) for your keys",
          ...scoped("usage:read"),
          responses: { "200": ref("Successful and failed requests per key and day, newest day first.", "Usage") },
        },
      },
      "/keys/verify": {
        post: {
          summary: "Verify a key handed to your service",
          ...scoped("keys:verify"),
          responses: {
            "200": ref(
              "Always 200 for a well-formed request: `valid` and `code`, with the key's id, owner, scopes and expiry, and its limit (`rateLimit`) once it reached the limit check.",
              "Verification",
            ),
          },
        },
      },
    },
  };
  type Entry = { operationId?: string; parameters?: unknown[]; requestBody?: unknown; responses: Record<string, unknown> };
  const paths = document.paths as unknown as Record<string, Record<string, Entry>>;
  for (const [id, op] of Object.entries(OPERATIONS) as [OperationId, (typeof OPERATIONS)[OperationId]][]) {
    const operation = paths[op.path]?.[op.method.toLowerCase()];
    if (!operation) throw new Error(`The OpenAPI document has no ${op.method} ${op.path} for ${id}.`);
    operation.operationId = id;
    // Bodies and query parameters from the very schemas the handlers validate with.
    if ("body" in op) {
      operation.requestBody = {
        required: !("bodyOptional" in op && op.bodyOptional),
        content: { "application/json": { schema: jsonSchema(op.body) } },
      };
    }
    if ("query" in op) {
      const query = jsonSchema(op.query) as { properties: Record<string, { description?: string }>; required?: string[] };
      operation.parameters = Object.entries(query.properties).map(([name, schema]) => ({
        name,
        in: "query",
        required: query.required?.includes(name) ?? false,
        ...(schema.description ? { description: schema.description } : {}),
        schema,
      }));
    }
    Object.assign(operation.responses, errorResponses(id));
  }
  return document;
}

/**
 * A request schema as JSON Schema (OpenAPI 3.1 uses draft 2020-12), as the client sends it: what
 * the handler parses after transforms is not the client's concern. Checks JSON Schema cannot say
 * (refinements: "in the future", "a known scope") are in the fields' descriptions; a format says
 * what its long generated pattern would.
 */
function jsonSchema(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, {
    io: "input",
    unrepresentable: "any",
    override: ({ jsonSchema: js }) => {
      if (typeof js.format === "string") delete js.pattern;
    },
  }) as Record<string, unknown>;
  return rest;
}
