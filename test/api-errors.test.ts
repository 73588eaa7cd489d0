import fs from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { apiEntryPoints } from "@/lib/api/app";
import { handler } from "@/lib/api/http";
import { openApiDocument } from "@/lib/api/openapi";
import { OPERATIONS, operationErrors, type OperationId } from "@/lib/api/operations";
import { AppError, ERROR_CODES, ERRORS } from "@/lib/errors";

// One error vocabulary: lib/errors.ts. These tests fail when a route answers, or the OpenAPI
// document lists, a code the other does not know; the e2e pass adds the run-time half (every
// undeclared answer is logged and scripts/secret-hygiene.ts fails on it).

const ROOT = path.resolve(import.meta.dirname, "..");
const sources = (dir: string): string[] =>
  fs
    .readdirSync(path.join(ROOT, dir), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && /\.(ts|tsx)$/.test(e.name) && !/\.test\.ts$/.test(e.name))
    .map((e) => path.join(e.parentPath, e.name));

describe("the OpenAPI document lists every code each operation can answer", () => {
  const doc = openApiDocument("http://localhost") as unknown as {
    paths: Record<string, Record<string, { operationId: string; responses: Record<string, { description: string; content?: unknown }> }>>;
  };

  for (const [id, op] of Object.entries(OPERATIONS)) {
    it(`${op.method} ${op.path} (${id})`, () => {
      const entry = doc.paths[op.path]![op.method.toLowerCase()]!;
      expect(entry.operationId).toBe(id);
      const listed = new Map<string, string[]>();
      for (const [status, response] of Object.entries(entry.responses)) {
        if (Number(status) < 400) continue;
        const schema = (response.content as { "application/json": { schema: { allOf: [unknown, { properties: { error: { properties: { code: { enum: string[] } } } } }] } } })[
          "application/json"
        ].schema;
        listed.set(status, schema.allOf[1].properties.error.properties.code.enum);
      }
      for (const code of operationErrors(id as OperationId)) {
        expect(listed.get(String(ERRORS[code][0])), `${code} under ${ERRORS[code][0]}`).toContain(code);
      }
      expect([...listed.values()].flat().sort()).toEqual(operationErrors(id as OperationId).sort());
    });
  }

  it("documents no operation the router does not serve, and the router serves no undocumented operation", () => {
    const served = apiEntryPoints()
      .filter((e) => !e.path.endsWith("/openapi.json"))
      .map((e) => `${e.method} ${e.path}`)
      .sort();
    const documented = Object.values(OPERATIONS)
      .map((op) => `${op.method} /api/v1${op.path.replace("{id}", "[id]")}`)
      .sort();
    expect(served).toEqual(documented);
  });
});

describe("the error table", () => {
  it("has no code that nothing answers", () => {
    const text = [...sources("app"), ...sources("lib"), ...sources("db")]
      .filter((f) => !f.endsWith(path.join("lib", "errors.ts")))
      .map((f) => fs.readFileSync(f, "utf8"))
      .join("\n");
    const unused = ERROR_CODES.filter((code) => !new RegExp(`["']${code}["']`).test(text));
    expect(unused).toEqual([]);
  });

  it("is the only source of error codes: no route writes an error body by hand", () => {
    for (const file of [...sources("app/api"), ...sources("lib/api")]) {
      const text = fs.readFileSync(file, "utf8");
      // errorResponse() in lib/api/http.ts is the one writer; the bench's static baseline route
      // is deliberately a constant string (it is the floor every other route is measured against).
      if (file.includes(path.join("bench", "static")) || file.endsWith(path.join("lib", "api", "http.ts"))) continue;
      expect(text, file).not.toMatch(/\berror:\s*\{\s*code:/);
    }
  });
});

describe("handler()", () => {
  afterEach(() => vi.restoreAllMocks());

  it("answers an AppError with its status, code, message and field errors", async () => {
    const route = handler("keys.create", async () => {
      throw new AppError("validation_failed", { fieldErrors: { name: "Too long." } });
    });
    const response = await route();
    expect(response.status).toBe(422);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(await response.json()).toEqual({ error: { code: "validation_failed", message: ERRORS.validation_failed[1], details: { fields: { name: "Too long." } } } });
  });

  it("logs a code the operation does not declare, and still answers it", async () => {
    const errors: string[] = [];
    vi.spyOn(console, "error").mockImplementation((line: string) => void errors.push(line));
    const response = await handler("keys.get", async () => {
      throw new AppError("key_name_taken");
    })();
    expect(response.status).toBe(409);
    expect(errors.map((l) => JSON.parse(l))).toContainEqual(expect.objectContaining({ event: "api.undocumented_error", route: "keys.get", code: "key_name_taken" }));
    errors.length = 0;
    await handler("keys.get", async () => {
      throw new AppError("key_not_found");
    })();
    expect(errors).toEqual([]);
  });

  it("hides an unexpected error behind a 500 with a request id", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    const response = await handler("me", async () => {
      throw new Error("boom: secret detail");
    })();
    expect(response.status).toBe(500);
    const body = await response.json();
    expect(body.error.code).toBe("internal_error");
    expect(JSON.stringify(body)).not.toContain("boom");
    expect(body.error.details.requestId).toEqual(expect.any(String));
  });
});
