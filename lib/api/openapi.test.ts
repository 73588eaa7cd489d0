import { describe, expect, it } from "vitest";
import { openApiDocument } from "./openapi";
import { OPERATIONS, type OperationId } from "./operations";

// The document's request bodies and query parameters are generated from the schemas the handlers
// validate with (lib/api/operations.ts): a field added to a schema appears here, with its limits.

type Json = Record<string, unknown> & { properties?: Record<string, Json>; required?: string[]; examples?: unknown[] };
const doc = openApiDocument("http://localhost") as unknown as {
  paths: Record<string, Record<string, { requestBody?: { required: boolean; content: Record<string, { schema: Json }> }; parameters?: { name: string; in: string; schema: Json }[] }>>;
};
const entry = (id: OperationId) => doc.paths[OPERATIONS[id].path]![OPERATIONS[id].method.toLowerCase()]!;
const body = (id: OperationId) => entry(id).requestBody!.content["application/json"]!.schema;

describe("the OpenAPI document's requests", () => {
  it("describes every field of the create body, which are required and that no other is accepted", () => {
    const schema = body("keys.create");
    expect(Object.keys(schema.properties!).sort()).toEqual(["allowedIps", "description", "expiresAt", "name", "scopes"]);
    expect(schema.required).toEqual(["name", "scopes"]);
    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties!.name!.maxLength).toBe(64);
    expect(schema.properties!.scopes!.description).toContain("keys:verify");
    expect(JSON.stringify(schema.properties!.expiresAt)).toContain('"format":"date-time"');
    expect(entry("keys.create").requestBody!.required).toBe(true);
    expect(JSON.stringify(schema.properties!.allowedIps)).toContain("CIDR");
  });

  it("marks the rotate body optional, with its grace choices and default", () => {
    expect(entry("keys.rotate").requestBody!.required).toBe(false);
    expect(body("keys.rotate").properties!.grace).toMatchObject({ enum: ["none", "1h", "24h", "7d"], default: "1h" });
  });

  it("lists query parameters with their limits", () => {
    const params = entry("keys.list").parameters!;
    expect(params.map((p) => `${p.in}:${p.name}`)).toEqual(["query:limit", "query:offset"]);
    expect(params[0]!.schema).toMatchObject({ type: "integer", minimum: 1, maximum: 100, default: 50 });
    expect(entry("usage.list").parameters!.map((p) => p.name)).toEqual(["days", "keyId"]);
  });

  it("gives every operation that takes a body a request body, and no other", () => {
    for (const [id, op] of Object.entries(OPERATIONS) as [OperationId, (typeof OPERATIONS)[OperationId]][]) {
      expect(!!entry(id).requestBody, id).toBe("body" in op);
    }
  });

  it("has examples that the handlers' own schemas accept", () => {
    for (const id of ["keys.create", "keys.update", "keys.verify", "profile.update"] as const) {
      const schema = body(id);
      const example = Object.fromEntries(
        Object.entries(schema.properties!)
          .filter(([, field]) => field.examples?.length)
          .map(([name, field]) => [name, field.examples![0]]),
      );
      expect(Object.keys(example).length, id).toBeGreaterThan(0);
      const parsed = OPERATIONS[id].body.safeParse(example);
      expect(parsed.success, `${id}: ${JSON.stringify(example)}`).toBe(true);
    }
  });
});
