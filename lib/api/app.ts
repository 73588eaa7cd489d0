import "server-only";
import { Hono } from "hono";
import { AppError } from "../errors";
import { requestOrigin } from "../request-context";
import { ENDPOINTS, type EndpointContext } from "./endpoints";
import { errorResponse, methodNotAllowed } from "./http";
import { openApiDocument } from "./openapi";
import { OPERATIONS, type OperationId } from "./operations";

// /api/v1 as one small router, built from the list of operations (lib/api/operations.ts): method
// and path come from there, the bodies from lib/api/endpoints.ts. It answers plain Web requests,
// so it runs wherever it is handed them: in production server.mjs gives it /api/v1 before Next.js
// sees the request (no page routing, proxy or render pipeline on the verification path); under
// `next dev` and on platforms that run only Next.js, the catch-all route app/api/v1/[[...path]]
// does. Same handlers, same errors, either way.

export const API_BASE = "/api/v1";

type Env = { Bindings: { defer: EndpointContext["defer"] } };

/** "/keys/{id}" (OpenAPI) as "/keys/:id" (router). */
const routePath = (path: string) => API_BASE + path.replace(/\{(\w+)\}/g, ":$1");

function buildApp() {
  const app = new Hono<Env>({ strict: true });
  const byPath = new Map<string, OperationId[]>();
  for (const id of Object.keys(OPERATIONS) as OperationId[]) {
    const path = OPERATIONS[id].path;
    byPath.set(path, [...(byPath.get(path) ?? []), id]);
  }
  byPath.set("/openapi.json", []);
  // Fixed paths first, so /keys/verify is never read as the key "verify" of /keys/{id}; within a
  // path, its operations and then a 405 naming them for any other method.
  const paths = [...byPath.keys()].sort((a, b) => Number(a.includes("{")) - Number(b.includes("{")));
  for (const path of paths) {
    const ids = byPath.get(path)!;
    for (const id of ids) {
      const endpoint = ENDPOINTS[id];
      app.on(OPERATIONS[id].method, routePath(path), (c) => endpoint(c.req.raw, { params: c.req.param() as Record<string, string>, defer: c.env.defer }));
    }
    const methods = path === "/openapi.json" ? ["GET"] : ids.map((id) => OPERATIONS[id].method);
    if (path === "/openapi.json") {
      // The API's OpenAPI 3.1 document (public).
      app.get(routePath(path), (c) =>
        new Response(JSON.stringify(openApiDocument(requestOrigin(c.req.raw.headers)), null, 2), {
          headers: { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "public, max-age=300" },
        }),
      );
    }
    const allow = [...new Set(methods)];
    app.options(routePath(path), () => new Response(null, { status: 204, headers: { Allow: [...allow, "OPTIONS"].join(", "), "Cache-Control": "no-store" } }));
    app.all(routePath(path), methodNotAllowed(...allow));
  }
  // Anything else under /api/v1: a JSON 404 rather than an HTML page.
  app.notFound(() => errorResponse(new AppError("not_found", { message: "No such endpoint. See /api/v1/openapi.json." })));
  return app;
}

const app = buildApp();

/**
 * What the router answers, as "METHOD /api/v1/path" with the file that holds the code: the
 * authorization matrix's inventory (test/authz-inventory.test.ts) reads its entry points here.
 * Answers no code of ours runs for (405s, OPTIONS) are not entry points.
 */
export function apiEntryPoints(): { method: string; path: string; file: string }[] {
  const seen = new Set<string>();
  return app.routes
    .filter((r) => r.method !== "ALL" && r.method !== "OPTIONS")
    .map((r) => ({
      method: r.method,
      path: r.path.replace(/:(\w+)/g, "[$1]"),
      file: r.path.endsWith("/openapi.json") ? "lib/api/app.ts" : "lib/api/endpoints.ts",
    }))
    .filter((e) => !seen.has(`${e.method} ${e.path}`) && !!seen.add(`${e.method} ${e.path}`));
}

/** Answers one /api/v1 request. `defer` runs work after the response (leak reports' revocations). */
export function apiFetch(request: Request, defer: EndpointContext["defer"]): Promise<Response> {
  return Promise.resolve(app.fetch(request, { defer }));
}
