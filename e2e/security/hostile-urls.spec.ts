import { randomUUID } from "node:crypto";
import { HOSTILE_IDS, HOSTILE_NUMBERS } from "../../test/hostile-values";
import { apiTest as test, expect } from "../support/api";
import { ADMIN, signIn } from "../support/fixtures";
import { HOSTILE_QUERY_PARAMS, expectProblem, keyPool, randomIp, rawRequest } from "./hostile-support";

// Hostile URLs, escapes and methods: path ids and query strings of the API, raw requests to the
// custom server (odd methods, malformed paths, duplicate credentials, header and length lies), and
// query parameters on every listing page and export (see hostile-support.ts).

test.describe("hostile input on the HTTP API", () => {
  test.describe.configure({ timeout: 300_000 });

  test("path ids, paging and filters in the query string", async ({ api, rootKey }) => {
    const key = await keyPool(api, rootKey, 8);
    const ids = [...HOSTILE_IDS.filter((id) => id !== ".."), "%", "%E0%A4%A", "%00", "%2e%2e%2f%2e%2e%2fme", "a%ZZ", "%C0%AE"];
    for (const raw of ids) {
      // Escapes in the list are sent as they are (malformed ones included); the rest encoded.
      const id = /%/.test(raw) && raw !== "%00" ? raw : encodeURIComponent(raw);
      for (const [method, path] of [
        ["GET", `/keys/${id}`],
        ["PATCH", `/keys/${id}`],
        ["DELETE", `/keys/${id}`],
        ["POST", `/keys/${id}/rotate`],
      ] as const) {
        const res = await api.call(method, path, { key: key(), body: method === "PATCH" ? { name: "x" } : undefined });
        expectProblem(res, `${method} ${path}`, [400, 404]);
      }
    }

    for (const value of HOSTILE_NUMBERS) {
      for (const param of ["limit", "offset"]) {
        const res = await api.call("GET", `/keys?${param}=${encodeURIComponent(value)}`, { key: key() });
        if (res.status === 200) {
          expect(Number.isInteger(res.body[param]), `${param}=${value}`).toBe(true);
          expect(res.body.limit).toBeLessThanOrEqual(100);
        } else expectProblem(res, `GET /keys?${param}=${value}`, [422]);
      }
      const usage = await api.call("GET", `/usage?days=${encodeURIComponent(value)}`, { key: key() });
      if (usage.status !== 200) expectProblem(usage, `GET /usage?days=${value}`, [422]);
    }
    for (const query of ["limit=1&limit=-5", "limit[]=1", "limit=1&offset=2&offset=x", "offset=%00", "limit=%ZZ", "x=<script>", "limit=" + "9".repeat(5000)]) {
      const res = await api.call("GET", `/keys?${query}`, { key: key() });
      if (res.status !== 200) expectProblem(res, `GET /keys?${query.slice(0, 40)}`, [422]);
    }
    for (const keyId of HOSTILE_IDS.filter((id) => !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(id))) {
      expectProblem(await api.call("GET", `/usage?keyId=${encodeURIComponent(keyId)}`, { key: key() }), `usage keyId=${keyId.slice(0, 30)}`, [422]);
    }
    expectProblem(await api.call("GET", "/usage?utm_source=x", { key: key() }), "usage unknown parameter", [422]);

    // Methods a route does not serve: a JSON 405 that names the ones it does.
    for (const [method, path] of [
      ["PUT", "/keys"],
      ["DELETE", "/keys"],
      ["POST", "/me"],
      ["PUT", `/keys/${randomUUID()}`],
      ["GET", "/keys/verify"],
      ["GET", "/keys/revoke-leaked"],
      ["DELETE", "/profile"],
      ["POST", "/usage"],
      ["DELETE", "/openapi.json"],
    ] as const) {
      const res = await api.call(method, path, { key: key() });
      expectProblem(res, `${method} ${path}`, [405]);
      expect(res.headers.allow, `${method} ${path}`).toBeTruthy();
    }
    expectProblem(await api.call("PUT", "/no/such/endpoint", { key: key() }), "unknown endpoint", [404]);
  });

  test("the custom server: odd methods, malformed paths, duplicate credentials, header and length lies", async ({ api, rootKey }) => {
    const rootIp = randomIp();
    const raw = (lines: string[], body = "") => rawRequest(`${lines.join("\r\n")}\r\n\r\n${body}`);
    for (const path of ["/", "/api/v1/me", "/login", "/settings/api-keys"]) {
      for (const method of ["TRACE", "TRACK", "SEARCH", "LOCK", "PROPFIND", "FOO"]) {
        const res = await raw([`${method} ${path} HTTP/1.1`, "Host: localhost", "Connection: close"]);
        expect([400, 405], `${method} ${path}: ${res.head}`).toContain(res.status);
      }
    }
    const trace = await raw(["TRACE /api/v1/me HTTP/1.1", "Host: localhost", "Connection: close"]);
    expect(trace.status).toBe(405);
    expect(JSON.parse(trace.body).error.code).toBe("method_not_allowed");

    for (const path of ["/api/v1/keys/%E0%A4%A", "/api/v1/keys/%", "/api/v1/keys/a%ZZ/rotate", "/settings/api-keys/%E0%A4%A", "/admin/keys/%", "/%C0"]) {
      const res = await raw([`GET ${path} HTTP/1.1`, "Host: localhost", "Connection: close", `X-Forwarded-For: ${rootIp}`]);
      expect([400, 404], `${path}: ${res.head}`).toContain(res.status);
    }
    const rawBytes = await rawRequest(Buffer.concat([Buffer.from("GET /api/v1/keys/"), Buffer.from([0xff, 0xfe]), Buffer.from(" HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")]));
    expect(rawBytes.status === 0 || (rawBytes.status >= 400 && rawBytes.status < 500), rawBytes.head).toBe(true);

    // Two Authorization headers, even two valid ones: refused before anything reads either.
    const dup = await raw(["GET /api/v1/me HTTP/1.1", "Host: localhost", "Connection: close", `Authorization: Bearer ${rootKey}`, "Authorization: Bearer ksk_other"]);
    expect(dup.status).toBe(400);
    expect(JSON.parse(dup.body).error.message).toMatch(/one Authorization header/);

    // Oversized headers: Node's 16 KB limit answers 431 before the app.
    expect((await raw(["GET /login HTTP/1.1", "Host: localhost", "Connection: close", `X-Big: ${"a".repeat(70_000)}`])).status).toBe(431);
    expect((await raw(["GET /api/v1/me HTTP/1.1", "Host: localhost", "Connection: close", `Authorization: Bearer ${"a".repeat(20_000)}`])).status).toBe(431);

    // Content-Length lies and conflicts.
    const json = '{"keys":["ksk_x"]}';
    const post = (headers: string[], body: string) => raw(["POST /api/v1/keys/revoke-leaked HTTP/1.1", "Host: localhost", "Connection: close", "Content-Type: application/json", `X-Forwarded-For: ${randomIp()}`, ...headers], body);
    const short = await post(["Content-Length: 5"], json);
    expect(short.status, short.head).toBe(400); // the first 5 bytes are not JSON
    for (const headers of [["Content-Length: abc"], ["Content-Length: -1"], ["Content-Length: 5", "Content-Length: 6"], ["Content-Length: 5", "Transfer-Encoding: chunked"]]) {
      const res = await post(headers, json);
      expect(res.status, `${headers.join(", ")}: ${res.head}`).toBe(400);
    }
    const huge = await post([`Content-Length: ${10 * 1024 * 1024}`], json);
    expect(huge.status, huge.head).toBe(413);
    // A body that ends before its declared length: whatever the server does, never a 5xx, and it lives on.
    const cut = await rawRequest(["POST /api/v1/keys/verify HTTP/1.1", "Host: localhost", `Authorization: Bearer ${rootKey}`, "Content-Type: application/json", "Content-Length: 1000", "", '{"key":'].join("\r\n"), { halfClose: true });
    expect(cut.status === 0 || cut.status < 500, cut.head).toBe(true);
    expect((await api.call("GET", "/me", { key: rootKey })).status).toBe(200);
  });
});

test.describe("hostile input through the real forms and pages", () => {
  test.describe.configure({ timeout: 300_000 });

  test("hostile query parameters on every listing page and export: never an error page", async ({ page }) => {
    await signIn(page, ADMIN);
    const hostileParams = HOSTILE_QUERY_PARAMS;
    const paths = ["/admin/keys", "/admin/audit", "/admin/users", "/settings/activity", "/settings/api-keys"];
    for (const path of paths) {
      for (const query of hostileParams) {
        // The page's own request context (the admin's cookies), without rendering each in the browser.
        const res = await page.request.get(`${path}?${query}`);
        const html = await res.text();
        expect(res.status(), `${path}?${query.slice(0, 60)}`).toBe(200);
        // An error thrown while streaming leaves a numeric digest where the error boundary goes.
        expect(html, `${path}?${query.slice(0, 60)}`).not.toMatch(/data-dgst="\d+"|Something went wrong/);
      }
    }
    // And a few in the browser, where the client renders what the server sent.
    for (const url of ["/admin/audit?from=0000-01-01&to=9999-12-31", "/admin/keys?q=%00&owner=%00&page=-1", "/admin/users?q=%E2%80%AE&page=abc"]) {
      await page.goto(url);
      await expect(page.getByRole("heading", { level: 2 }).first()).toBeVisible();
      await expect(page.getByRole("heading", { name: "Something went wrong" })).toHaveCount(0);
    }
    for (const path of ["/admin/keys/export", "/admin/audit/export"]) {
      for (const query of hostileParams) {
        const res = await page.request.get(`${path}?${query}`);
        expect(res.status(), `${path}?${query.slice(0, 60)}`).toBeLessThan(500);
        if (res.status() === 200) await res.body(); // the whole stream arrives (no failure mid-way)
      }
    }
    for (const id of [...HOSTILE_IDS.filter((i) => i !== ".."), "%E0%A4%A"]) {
      const res = await page.request.get(`/settings/api-keys/${/%/.test(id) ? id : encodeURIComponent(id)}`, { maxRedirects: 0 });
      expect([400, 404], `key page ${id.slice(0, 30)}`).toContain(res.status());
    }
  });
});
