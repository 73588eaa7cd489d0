import net from "node:net";
import { randomInt, randomUUID } from "node:crypto";
import { ALL_SCOPES } from "../../lib/scopes";
import {
  HOSTILE_DATETIMES,
  HOSTILE_IDS,
  HOSTILE_NUMBERS,
  WRONG_TYPES,
  hostileStrings,
  storedText,
  type HostileString,
} from "../../test/hostile-values";
import { baseURL } from "../../playwright.config";
import { ApiClient, apiTest as test, expect, type ApiResult } from "../support/api";
import { ADMIN, newUser, signIn, signUp } from "../support/fixtures";
import { ApiKeysPage } from "../support/api-keys-page";

// Hostile input against every /api/v1 endpoint, the custom server (server.mjs), the server
// actions behind the real forms, and the pages' query parameters. Whatever arrives, the answer
// is a 4xx with a message (a JSON problem on the API, a field error in a form), never a 5xx or
// an error page. Cells are batched in loops: one test per surface, not one per value.

const PORT = new URL(baseURL).port;
const randomIp = () => `198.19.${randomInt(0, 256)}.${randomInt(1, 255)}`;

/** A 4xx JSON problem: `{ error: { code, message } }` with a sentence. */
function expectProblem(res: ApiResult, what: string, statuses: number[] = []) {
  expect(res.status, `${what}: ${res.text.slice(0, 200)}`).toBeGreaterThanOrEqual(400);
  expect(res.status, `${what}: ${res.text.slice(0, 200)}`).toBeLessThan(500);
  if (statuses.length) expect(statuses, `${what}: got ${res.status} ${res.text.slice(0, 200)}`).toContain(res.status);
  expect(res.headers["content-type"], what).toMatch(/^application\/json/);
  expect(typeof res.body?.error?.code, `${what}: ${res.text.slice(0, 200)}`).toBe("string");
  expect(String(res.body?.error?.message).length, what).toBeGreaterThan(5);
}

/** A 422 that names the field (or an item of it) in details.fields. */
function expectFieldError(res: ApiResult, field: string, what: string) {
  expectProblem(res, what, [422]);
  const fields = Object.keys(res.body.error.details?.fields ?? {});
  expect(fields.some((f) => f === field || f.startsWith(`${field}.`)) || fields.includes("form"), `${what}: ${res.text.slice(0, 300)}`).toBe(true);
}

/**
 * Keys to spread many requests over (each key may make RATE_LIMIT_PER_MINUTE requests a
 * minute), so every cell reaches validation instead of the rate limiter.
 */
async function keyPool(api: ApiClient, rootKey: string, size: number) {
  const secrets: string[] = [];
  for (let i = 0; i < size; i++) secrets.push((await api.createKey(rootKey, { scopes: ALL_SCOPES, expiresAt: null })).secret);
  let next = 0;
  return () => secrets[next++ % secrets.length]!;
}

const strings = (max: number) => hostileStrings(max);
const P_DESC = "<b>bold</b> & 'quoted'";
const wrong = WRONG_TYPES.map((w) => w.value);

test.describe("hostile input on the HTTP API", () => {
  test.describe.configure({ timeout: 300_000 });

  test("every JSON body field of every endpoint: a 422 naming the field, or the value stored as text", async ({ api, rootKey }) => {
    const key = await keyPool(api, rootKey, 12);

    // POST /keys: name and description are plain text, refused or stored NFC and trimmed.
    for (const [field, max] of [
      ["name", 64],
      ["description", 280],
    ] as const) {
      for (const h of strings(max)) {
        const body = { name: `hostile ${randomUUID()}`, scopes: ["keys:read"], [field]: h.value };
        const res = await api.call("POST", "/keys", { key: key(), body });
        const blankOptional = field === "description" && (h.class === "empty" || h.class === "whitespace");
        if (h.text === "reject" && !blankOptional) {
          expectFieldError(res, field, `POST /keys ${field} ${h.label}`);
        } else {
          expect(res.status, `POST /keys ${field} ${h.label}: ${res.text.slice(0, 200)}`).toBe(201);
          expect(res.body[field]).toBe(blankOptional ? null : storedText(h.value));
          // Deleted at once, which frees the name for the PATCH cells below.
          expect((await api.call("DELETE", `/keys/${res.body.id}`, { key: key() })).status).toBe(200);
        }
      }
      for (const value of wrong.filter((v) => !(field === "description" && v === null))) {
        expectFieldError(await api.call("POST", "/keys", { key: key(), body: { name: "n", scopes: ["keys:read"], [field]: value } }), field, `POST /keys ${field}=${JSON.stringify(value)}`);
      }
    }
    const hostileScopes = [...wrong, ["keys:root"], ["keys:read\u0000"], ["x".repeat(10_000)], Array(51).fill("keys:read"), [["keys:read"]], ["' or 1=1 --"]];
    for (const scopes of hostileScopes) {
      expectFieldError(await api.call("POST", "/keys", { key: key(), body: { name: "n", scopes } }), "scopes", `POST /keys scopes=${JSON.stringify(scopes).slice(0, 40)}`);
    }
    for (const expiresAt of [...HOSTILE_DATETIMES, ...wrong.filter((v) => v !== null)]) {
      const res = await api.call("POST", "/keys", { key: key(), body: { name: `exp ${randomUUID()}`, scopes: ["keys:read"], expiresAt } });
      expectFieldError(res, "expiresAt", `POST /keys expiresAt=${JSON.stringify(expiresAt)}`);
    }

    // PATCH /keys/{id} on a key of the caller's: the same fields, one at a time.
    const target = await api.createKey(rootKey, { name: `target ${randomUUID()}`, scopes: ["keys:read"] });
    for (const h of strings(64)) {
      const res = await api.call("PATCH", `/keys/${target.id}`, { key: key(), body: { name: h.value } });
      if (h.text === "reject") expectFieldError(res, "name", `PATCH name ${h.label}`);
      else {
        expect(res.status, `PATCH name ${h.label}: ${res.text.slice(0, 200)}`).toBe(200);
        expect(res.body.name).toBe(storedText(h.value));
      }
    }
    for (const h of strings(280).filter((s) => s.text === "reject" && s.class !== "empty" && s.class !== "whitespace")) {
      expectFieldError(await api.call("PATCH", `/keys/${target.id}`, { key: key(), body: { description: h.value } }), "description", `PATCH description ${h.label}`);
    }
    for (const [description, stored] of [[P_DESC, P_DESC], ["   ", null], [null, null]] as const) {
      const res = await api.call("PATCH", `/keys/${target.id}`, { key: key(), body: { description } });
      expect(res.body.description, `PATCH description ${JSON.stringify(description)}`).toBe(stored);
    }
    for (const [field, values] of [
      ["name", wrong],
      ["description", wrong.filter((v) => v !== null)],
      ["scopes", hostileScopes],
      ["expiresAt", [...HOSTILE_DATETIMES, ...wrong.filter((v) => v !== null)]],
    ] as const) {
      for (const value of values) {
        expectFieldError(await api.call("PATCH", `/keys/${target.id}`, { key: key(), body: { [field]: value } }), field, `PATCH ${field}=${JSON.stringify(value).slice(0, 40)}`);
      }
    }
    for (const body of [{}, { userId: randomUUID() }, { revokedAt: null }, { keyHash: "x" }, { name: "n", role: "admin" }]) {
      expectProblem(await api.call("PATCH", `/keys/${target.id}`, { key: key(), body }), `PATCH ${JSON.stringify(body)}`, [422]);
    }
    const unchanged = await api.call("GET", `/keys/${target.id}`, { key: key() });
    expect(unchanged.body.scopes).toEqual(["keys:read"]);

    // PATCH /profile: the owner's name. Restored afterwards (the account is shared in this worker).
    const before = (await api.call("GET", "/profile", { key: key() })).body.name as string;
    for (const h of strings(80)) {
      const res = await api.call("PATCH", "/profile", { key: key(), body: { name: h.value } });
      if (h.text === "reject") expectFieldError(res, "name", `PATCH /profile name ${h.label}`);
      else expect(res.body.name, `PATCH /profile ${h.label}`).toBe(storedText(h.value));
    }
    for (const value of wrong) expectFieldError(await api.call("PATCH", "/profile", { key: key(), body: { name: value } }), "name", `PATCH /profile ${JSON.stringify(value)}`);
    expect((await api.call("PATCH", "/profile", { key: key(), body: { name: before } })).status).toBe(200);

    // POST /keys/verify: any text is a key that does not verify; wrong types are refused.
    for (const h of strings(256)) {
      const res = await api.call("POST", "/keys/verify", { key: key(), body: { key: h.value } });
      if (h.value.length > 256 && [...h.value].length > 256) expectFieldError(res, "key", `verify key ${h.label}`);
      else {
        expect(res.status, `verify key ${h.label}: ${res.text.slice(0, 200)}`).toBe(200);
        expect(res.body.valid).toBe(false);
      }
    }
    for (const value of wrong) expectFieldError(await api.call("POST", "/keys/verify", { key: key(), body: { key: value } }), "key", `verify key=${JSON.stringify(value)}`);
    for (const scopes of [...wrong.filter((v) => !Array.isArray(v)), [1], ["x".repeat(65)], Array(51).fill("keys:read")]) {
      expectFieldError(await api.call("POST", "/keys/verify", { key: key(), body: { key: "k", scopes } }), "scopes", `verify scopes=${JSON.stringify(scopes).slice(0, 40)}`);
    }

    // POST /keys/{id}/rotate: the body is read before the id, so nothing is rotated here.
    for (const grace of [...wrong, "", "1H", "8d", "none\u0000", "<script>", "x".repeat(10_000)]) {
      expectFieldError(await api.call("POST", `/keys/${randomUUID()}/rotate`, { key: key(), body: { grace } }), "grace", `rotate grace=${JSON.stringify(grace).slice(0, 30)}`);
    }

    // POST /keys/revoke-leaked (no key; 10 reports a minute per address, so a fresh one each).
    const reports: unknown[] = [
      ...wrong,
      {},
      { keys: [] },
      { keys: "ksk_x" },
      { keys: [1] },
      { keys: Array(101).fill("k") },
      { keys: ["k".repeat(257)] },
      { keys: ["k"], extra: 1 },
      [{ token: 1 }],
      [{ token: "t", source: "github\u0000" }],
      [{ token: "t", url: "u".repeat(2049) }],
    ];
    for (const body of reports) {
      const res = await new ApiClient(api.request, randomIp()).call("POST", "/keys/revoke-leaked", { body });
      expectProblem(res, `revoke-leaked ${JSON.stringify(body).slice(0, 40)}`, [422]);
    }
    const ok = await new ApiClient(api.request, randomIp()).call("POST", "/keys/revoke-leaked", { body: { keys: ["<script>alert(1)</script>", "'; drop table api_keys; --", "\u202e"] } });
    expect(ok.status).toBe(202);
  });

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

  test("headers and bodies: Authorization, Content-Type, size, broken JSON and UTF-8", async ({ api, rootKey, request }) => {
    const key = await keyPool(api, rootKey, 4);
    // Each malformed credential from its own address (failed authentications are limited per address).
    const authorizations = [
      "",
      "Bearer",
      "Bearer ",
      "Basic dXNlcjpwYXNzd29yZA==",
      "Bearer a b",
      "Bearer ksk_" + "A".repeat(36),
      "Bearer " + "a".repeat(300),
      "Bearer " + "a".repeat(8_000),
      "Token abc",
      "Bearer\tabc",
      "Bearer ÿþ",
      "Bearer ' or 1=1 --",
      "Bearer <script>",
    ];
    for (const authorization of authorizations) {
      const res = await new ApiClient(request, randomIp()).call("GET", "/me", { headers: { Authorization: authorization } });
      expectProblem(res, `Authorization: ${authorization.slice(0, 30)}`, [401]);
      expect(res.headers["www-authenticate"]).toMatch(/^Bearer/);
    }

    const bodyEndpoints: [("POST" | "PATCH"), string][] = [
      ["POST", "/keys"],
      ["PATCH", `/keys/${randomUUID()}`],
      ["PATCH", "/profile"],
      ["POST", "/keys/verify"],
      ["POST", `/keys/${randomUUID()}/rotate`],
      ["POST", "/keys/revoke-leaked"],
    ];
    const twoMb = Buffer.alloc(2 * 1024 * 1024, "a");
    const brokenJson: [string, string | Buffer][] = [
      ["empty", ""],
      ["truncated", '{"name":'],
      ["a bare word", "name"],
      ["single quotes", "{'name':'x'}"],
      ["a byte order mark", "\ufeff{}"],
      ["trailing comma", '{"name":"x",}'],
      ["NaN", '{"name":NaN}'],
      ["deep nesting", "[".repeat(20_000) + "]".repeat(20_000)],
      ["invalid UTF-8", Buffer.from([0x7b, 0x22, 0x6e, 0x61, 0x6d, 0x65, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0xc0, 0xaf, 0x22, 0x7d])],
      ["an overlong UTF-8 NUL", Buffer.from([0x7b, 0x22, 0x6e, 0x22, 0x3a, 0x22, 0xc0, 0x80, 0x22, 0x7d])],
      ["a UTF-16 body", Buffer.from('{"name":"x"}', "utf16le")],
    ];
    for (const [method, path] of bodyEndpoints) {
      const client = path.endsWith("revoke-leaked") ? () => new ApiClient(request, randomIp()) : () => api;
      const call = (options: Parameters<ApiClient["call"]>[2]) => client().call(method, path, { key: key(), ...options });
      expectProblem(await call({ raw: twoMb, headers: { "Content-Type": "application/json" } }), `${path} 2 MB`, [413]);
      for (const contentType of [undefined, "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/jsonx", "", "application/xml"]) {
        const headers: Record<string, string> = contentType === undefined ? {} : { "Content-Type": contentType };
        expectProblem(await call({ raw: '{"name":"x"}', headers }), `${path} Content-Type ${contentType}`, [415]);
      }
      for (const [label, raw] of brokenJson) {
        const res = await call({ raw, headers: { "Content-Type": "application/json" } });
        // Rotate reads its body before the id: a body that parses to no options (a BOM is
        // skipped by the UTF-8 decoder) then finds no key with the made-up id (404).
        expectProblem(res, `${path} ${label}`, [400, 413, 422, ...(path.endsWith("/rotate") ? [404] : [])]);
      }
    }
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

  test("create and edit dialogs show a field error for each hostile name and description", async ({ page }) => {
    await signUp(page, newUser("hostile-forms"));
    const keys = new ApiKeysPage(page);
    const nameField = keys.dialog.getByLabel("Key name");
    const description = keys.dialog.getByLabel("Description");
    // Line breaks (an <input> drops them) and lone surrogates (a form sends them as U+FFFD)
    // cannot travel through the form; the API test covers them.
    // So are over-long values that the field's maxlength (twice the limit, in UTF-16 units) cuts
    // down to an acceptable length (65 emoji become 64).
    const formable = (max: number) => (h: HostileString) =>
      h.text === "reject" &&
      !/[\n\r]/.test(h.value) &&
      h.class !== "surrogate" &&
      !(h.class === "overlong" && [...h.value.slice(0, 2 * max)].length <= max);
    // One value of each class through the browser (every value goes through the API test above).
    const onePerClass = (list: HostileString[]) => list.filter((h, i) => list.findIndex((o) => o.class === h.class) === i);
    const rejected = onePerClass(strings(64).filter(formable(64)));
    await keys.openCreate();
    for (const h of rejected) {
      // fill() types into the real input; values with line breaks (which an <input> drops) are left out.
      await nameField.fill(h.value);
      await keys.submitCreate();
      await expect(nameField, h.label).toHaveAttribute("aria-invalid", "true");
      await expect(keys.dialog.locator("#key-name-error"), h.label).toHaveText(/not allowed|at most 64|Give the key a name/);
    }
    for (const h of onePerClass(strings(280).filter((s) => formable(280)(s) && s.class !== "empty" && s.class !== "whitespace"))) {
      await nameField.fill("fine name");
      await description.fill(h.value);
      await keys.submitCreate();
      await expect(description, h.label).toHaveAttribute("aria-invalid", "true");
      await expect(keys.dialog.locator("#key-description-error"), h.label).toHaveText(/not allowed|at most 280|visible/);
    }
    await expect(keys.dialog.getByLabel("Your new API key")).toHaveCount(0);
    await page.keyboard.press("Escape");

    // The edit dialog (rename) goes through updateApiKeyAction.
    await keys.create({ name: "to rename" });
    await keys.copyAndClose();
    for (const h of rejected) {
      await keys.menu("to rename", "Edit");
      await nameField.fill(h.value);
      await keys.dialog.getByRole("button", { name: /Save/ }).click();
      await expect(nameField, h.label).toHaveAttribute("aria-invalid", "true");
      await expect(keys.dialog.locator("#key-name-error"), h.label).toHaveText(/not allowed|at most 64|Give the key a name/);
      await page.keyboard.press("Escape");
      await expect(keys.dialog).toBeHidden();
    }
    await expect(keys.row("to rename")).toBeVisible();
    await expect(page.getByText("Something went wrong")).toHaveCount(0);
  });

  test("sign-up refuses hostile names, emails and passwords with field errors", async ({ page }) => {
    await page.goto("/signup");
    const submit = () => page.getByRole("button", { name: "Create account" }).click();
    // A hostile client ignores maxlength: the server must refuse what the browser would have cut.
    await page.getByLabel("Name").evaluate((input) => input.removeAttribute("maxlength"));
    const fill = async (name: string, email: string, password: string) => {
      await page.getByLabel("Name").fill(name);
      await page.getByLabel("Email").fill(email);
      await page.getByLabel("Password").fill(password);
    };
    const email = () => `hostile-${randomUUID()}@example.test`;
    for (const h of strings(80).filter((s) => s.text === "reject" && !/[\n\r]/.test(s.value) && s.class !== "empty" && s.class !== "surrogate")) {
      await fill(h.value, email(), "correct horse battery staple");
      await submit();
      await expect(page.locator("#name-error"), h.label).toHaveText(/not allowed|at most 80|Enter your name/);
    }
    for (const bad of ["a\u0000@example.test", "<script>@x.test", "' or 1=1 --@x.test", "a@b", `${"a".repeat(250)}@example.test`, "ad\u202emin@example.test", "a@example.test\u0000"]) {
      await fill("Hostile", bad, "correct horse battery staple");
      await submit();
      await expect(page.locator("#email-error"), bad.slice(0, 30)).toHaveText(/email/i);
    }
    for (const password of ["short", "p".repeat(257)]) {
      await fill("Hostile", email(), password);
      await submit();
      await expect(page.locator("#password-error")).toHaveText(/characters/);
    }
    await expect(page).toHaveURL(/\/signup$/);
    await expect(page.getByText("Something went wrong")).toHaveCount(0);
  });

  test("sign-in refuses hostile emails, passwords and callback URLs", async ({ page }) => {
    await page.goto("/login");
    // Wrong passwords go to an account that does not exist: the admin's failed sign-ins are limited.
    const nobody = `nobody-${randomUUID()}@example.test`;
    const attempts: [string, string][] = [
      ["a\u0000@example.test", "correct horse battery staple"],
      ["' or 1=1 --", "x"],
      ["<script>@x.test", "x"],
      [nobody, "\u0000"],
      [nobody, "p".repeat(300)],
      [nobody, "' or '1'='1"],
    ];
    for (const [email, password] of attempts) {
      await page.getByLabel("Email").fill(email);
      await page.getByLabel("Password").fill(password);
      await page.getByRole("button", { name: "Sign in" }).click();
      await expect(page.getByText(/Enter a valid email|incorrect|at most|Enter your password/).first(), email.slice(0, 20)).toBeVisible();
      await expect(page).toHaveURL(/\/login/);
    }
    // A callback URL can only ever lead to a page of this site.
    for (const callbackUrl of ["javascript:alert(1)", "//evil.example", "https://evil.example/", "/\\evil.example", "%00", "/settings/api-keys%0d%0aSet-Cookie:x=1"]) {
      await page.goto(`/login?callbackUrl=${encodeURIComponent(callbackUrl)}`);
      await page.getByLabel("Email").fill(ADMIN.email);
      await page.getByLabel("Password").fill(ADMIN.password);
      await page.getByRole("button", { name: "Sign in" }).click();
      // Signed in and sent on, never off-site. (Waiting for the page after /login also keeps the
      // sign-in's cookie from arriving after clearCookies below.)
      await expect(page, callbackUrl).toHaveURL((url) => url.origin === new URL(baseURL!).origin && !url.pathname.startsWith("/login"));
      await expect(page.getByRole("heading", { name: "Something went wrong" })).toHaveCount(0);
      await page.context().clearCookies();
    }
  });

  test("the admin's revoke reason refuses hostile text with a field error", async ({ page }) => {
    await signIn(page, ADMIN);
    const keys = new ApiKeysPage(page);
    await keys.create({ name: `admin target ${randomUUID()}` });
    await keys.copyAndClose();
    await page.goto(`/admin/keys?owner=${encodeURIComponent(ADMIN.email)}`);
    await page.getByRole("checkbox", { name: /^Select admin target/ }).first().check();
    await page.getByRole("button", { name: /Revoke selected/ }).click();
    const reason = page.getByLabel("Reason");
    const reasons = [...strings(200).filter((h) => h.text === "reject" && h.class !== "surrogate" && !(h.class === "overlong" && [...h.value.slice(0, 400)].length <= 200)), { label: "two characters", value: "ab" }];
    for (const h of reasons) {
      await reason.fill(h.value);
      await page.getByRole("button", { name: "Revoke keys" }).click();
      await expect(page.locator("#revoke-reason-error"), h.label).toHaveText(/not allowed|at most 200|Give a reason/);
    }
    await page.getByRole("button", { name: "Cancel" }).click();
    await expect(page.getByText("Revoked: by an administrator")).toHaveCount(0);
  });

  test("hostile query parameters on every listing page and export: never an error page", async ({ page }) => {
    await signIn(page, ADMIN);
    const hostileParams = [
      "q=%00",
      "q=%E2%80%AEabc",
      "q=%25%25%25",
      "q=___",
      "q=%5C%5C%5C",
      "q=' or 1=1 --",
      `q=${"x".repeat(5000)}`,
      "owner=%00",
      "owner=' or 1=1 --",
      "owner=00000000-0000-0000-0000-000000000000",
      "status=<script>",
      "scope[]=keys:read",
      "sort=name&sort=created",
      "dir=sideways",
      "usage=%00",
      "action=%00",
      "actor=%00",
      "actor=a%40b%00",
      "target=not-a-uuid",
      "from=0000-01-01",
      "to=9999-12-31",
      "from=+275760-09-13",
      "from=2026-02-30&to=2026-13-01",
      "role=root",
      ...HOSTILE_NUMBERS.map((n) => `page=${encodeURIComponent(n)}`),
      "page=1&page=2",
      "utm_source=<script>",
    ];
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

  test("a 2 MB server action body is refused with 413, and a 2 MB paste never gets that far", async ({ page }) => {
    await signUp(page, newUser("hostile-action"));
    const keys = new ApiKeysPage(page);
    await keys.openCreate();
    // A person pasting 2 MB: the fields cut it down, the server answers with a field error.
    await keys.fillCreate({ name: "n".repeat(2 * 1024 * 1024), description: "d".repeat(2 * 1024 * 1024) });
    await keys.submitCreate();
    await expect(keys.dialog.locator("#key-name-error")).toHaveText(/at most 64/);
    await expect(keys.dialog.locator("#key-description-error")).toHaveText(/at most 280/);

    // A client that posts 2 MB anyway (the real action id and form, the name inflated).
    await keys.fillCreate({ name: "big", description: "" });
    const big = `${"a".repeat(2 * 1024 * 1024)}`;
    await page.route("**/settings/api-keys", async (route) => {
      const req = route.request();
      if (req.method() !== "POST" || !req.headers()["next-action"]) return route.continue();
      // The real action id and form, with the name inflated past the 1 MB action limit.
      const body = req.postDataBuffer()!.toString("latin1").replace("big", big);
      await route.continue({ postData: Buffer.from(body, "latin1") });
    });
    const answer = page.waitForResponse((r) => r.request().method() === "POST" && !!r.request().headers()["next-action"]);
    await keys.submitCreate();
    const response = await answer;
    expect(response.status()).toBe(413);
    await page.unroute("**/settings/api-keys");
    // The same request streamed without a length is refused too, before the action reads it.
    const chunked = await rawRequest(
      ["POST /settings/api-keys HTTP/1.1", "Host: localhost", "Connection: close", "Next-Action: x", "Transfer-Encoding: chunked", "", "5", "hello", "0", "", ""].join("\r\n"),
    );
    expect(chunked.status).toBe(411);
    // The tampering client's page is its own problem; the app still works for the person.
    await page.goto("/settings/api-keys");
    await keys.create({ name: "after the big one" });
  });
});

test.describe("server actions called directly", () => {
  test("malformed payloads are 400 and wrong argument types a refusal, never a 500", async ({ page }) => {
    await signUp(page, newUser("hostile-replay"));
    const keys = new ApiKeysPage(page);
    await keys.create({ name: "victim" });
    await keys.copyAndClose();
    // The real action id, from the revoke action the page calls.
    const actionRequest = page.waitForRequest((r) => r.method() === "POST" && !!r.headers()["next-action"]);
    await keys.revoke("victim");
    const actionId = (await actionRequest).headers()["next-action"]!;
    await expect(page.getByText("“victim” was revoked")).toBeVisible();

    const post = (data: string, contentType = "text/plain;charset=UTF-8") =>
      page.request.post("/settings/api-keys", { headers: { "Next-Action": actionId, "Content-Type": contentType, Accept: "text/x-component" }, data });
    // Not a React reply at all, or one that references parts that are not there.
    const malformed = ["", "{", '"x"', "1", "null", '["$Q1"]', '["$B1"]', '["$h1"]', '["$F1"]', '["$1"]', '["$"]', '["$n1x"]', JSON.stringify(Array(2000).fill("x")), "[".repeat(5000) + "]".repeat(5000)];
    for (const body of malformed) {
      const res = await post(body);
      expect(res.status(), `action body ${body.slice(0, 30)}`).toBe(400);
    }
    for (const body of ["--x\r\nContent-Disposition: form-data; name=\"1_a\"\r\n\r\nv\r\n--x--\r\n", "--x\r\nbroken"]) {
      expect((await post(body, "multipart/form-data; boundary=x")).status(), `multipart ${body.slice(0, 30)}`).toBe(400);
    }
    // Well-formed calls with arguments of the wrong type reach the action, which refuses them.
    for (const args of [[], [{}], [null], [["x"]], [42], ["' or 1=1 --"], ["\u0000"], [JSON.parse('{"__proto__":{"admin":true}}')], ["x".repeat(500_000)]]) {
      const res = await post(JSON.stringify(args));
      expect(res.status(), JSON.stringify(args).slice(0, 40)).toBe(200);
      expect(await res.text()).toContain("That API key was not found");
    }
    await keys.goto();
    await expect(keys.row("victim")).toContainText("Revoked");
  });
});

/** One raw HTTP/1.1 exchange with the server under test: status, head and body as text. */
function rawRequest(data: string | Buffer, options: { halfClose?: boolean } = {}): Promise<{ status: number; head: string; body: string }> {
  return new Promise((resolve) => {
    const socket = net.connect(Number(PORT), "127.0.0.1");
    const chunks: Buffer[] = [];
    const done = () => {
      const text = Buffer.concat(chunks).toString("utf8");
      const [head = "", ...rest] = text.split("\r\n\r\n");
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1] ?? 0);
      let body = rest.join("\r\n\r\n");
      // Undo chunked encoding, enough for a short JSON answer.
      if (/transfer-encoding: chunked/i.test(head)) body = body.replace(/^[0-9a-f]+\r\n/i, "").replace(/\r\n0\r\n\r\n$/, "").replace(/\r\n[0-9a-f]+\r\n/gi, "");
      resolve({ status, head: head.slice(0, 300), body });
    };
    socket.setTimeout(30_000, () => socket.destroy());
    socket.on("data", (c) => chunks.push(c));
    socket.on("close", done);
    socket.on("error", () => undefined);
    socket.write(data, () => {
      if (options.halfClose) socket.end();
    });
  });
}
