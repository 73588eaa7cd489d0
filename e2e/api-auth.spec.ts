import { generateKey } from "../lib/keys/format";
import { apiTest as test, expect } from "./support/api";
import { DAY } from "./support/clock";

test.describe("API authentication", () => {
  test("GET /me answers with the key's owner, id, name, scopes and expiry", async ({ api, rootKey, account }) => {
    const res = await api.call("GET", "/me", { key: rootKey });
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toBe("application/json; charset=utf-8");
    expect(res.headers["cache-control"]).toBe("no-store");
    expect(res.body.owner).toEqual({ type: "user", id: expect.any(String), email: account.user.email, name: account.user.name });
    expect(res.body.key).toMatchObject({ name: "root", access: "full", expiresAt: null });
    expect(res.body.key.scopes).toContain("keys:verify");
    expect(res.text).not.toContain(rootKey);
  });

  test("the production server answers /api/v1 itself, before Next.js, with the same security headers", async ({ api, rootKey }) => {
    // Next.js marks every response it routes with Vary: rsc, ... (its page pipeline); server.mjs
    // hands /api/v1 to the router (lib/api/app.ts) before Next.js, so none of it is on the API.
    const viaNext = await api.request.get("/api/health");
    expect(viaNext.headers()["vary"] ?? "").toMatch(/\brsc\b/i);
    for (const [method, path, key] of [["GET", "/me", rootKey], ["GET", "/me", undefined], ["GET", "/nowhere", rootKey], ["DELETE", "/me", rootKey]] as const) {
      const res = await api.call(method, path, { key });
      expect(res.headers["vary"] ?? "", `${method} ${path}`).not.toMatch(/\brsc\b/i);
      expect(res.headers["content-security-policy"]).toBe("default-src 'none'; frame-ancestors 'none'");
      expect(res.headers["x-content-type-options"]).toBe("nosniff");
      expect(res.headers["x-frame-options"]).toBe("DENY");
      expect(res.headers["content-type"]).toBe("application/json; charset=utf-8");
    }
  });

  test("every kind of bad credential gets the same 401 with WWW-Authenticate", async ({ api, rootKey }) => {
    const good = generateKey();
    const badChecksum = good.slice(0, -1) + (good.endsWith("A") ? "B" : "A");
    const cases: Record<string, Record<string, string>> = {
      malformed: { Authorization: "Bearer not-a-key" },
      "bad checksum": { Authorization: `Bearer ${badChecksum}` },
      "unknown well-formed key": { Authorization: `Bearer ${good}` },
      "wrong scheme": { Authorization: `Basic ${Buffer.from(`x:${rootKey}`).toString("base64")}` },
      "oversized header": { Authorization: `Bearer ${"a".repeat(10_000)}` },
    };
    // A revoked key and an expired one answer exactly like a key that never existed.
    const revoked = await api.createKey(rootKey, { scopes: ["keys:read"] });
    expect((await api.call("DELETE", `/keys/${revoked.id}`, { key: rootKey })).status).toBe(200);
    cases.revoked = { Authorization: `Bearer ${revoked.secret}` };
    const expiring = await api.createKey(rootKey, { scopes: ["keys:read"], expiresAt: new Date(Date.now() + DAY).toISOString() });
    cases.expired = { Authorization: `Bearer ${expiring.secret}`, "X-Test-Clock-Offset": String(2 * DAY) };
    const bodies = new Set<string>();
    for (const [label, headers] of Object.entries(cases)) {
      const res = await api.call("GET", "/me", { headers });
      expect(res.status, label).toBe(401);
      expect(res.headers["www-authenticate"], label).toMatch(/^Bearer/);
      expect(res.body.error.code, label).toBe("unauthorized");
      if (label !== "wrong scheme" && label !== "oversized header") bodies.add(res.text);
    }
    // Malformed, bad-checksum, unknown, revoked and expired keys are indistinguishable to the caller.
    expect(bodies.size).toBe(1);

    const missing = await api.call("GET", "/me");
    expect(missing.status).toBe(401);
    expect(missing.headers["www-authenticate"]).toMatch(/^Bearer/);
  });

  test("a key in the URL or a dashboard cookie is not a credential", async ({ api, rootKey, page, account }) => {
    const inUrl = await api.request.get(`/api/v1/me?api_key=${rootKey}&access_token=${rootKey}`, {
      headers: { "X-Forwarded-For": api.ip },
      failOnStatusCode: false,
    });
    expect(inUrl.status()).toBe(401);

    // A signed-in browser (valid session cookie) calling the API without a key.
    await page.goto("/login");
    await page.getByLabel("Email").fill(account.user.email);
    await page.getByLabel("Password").fill(account.user.password);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(page).toHaveURL(/api-keys/);
    const withCookie = await page.request.get("/api/v1/me", { failOnStatusCode: false });
    expect(withCookie.status()).toBe(401);
  });

  test("scopes are enforced per endpoint and 403 names the missing scope", async ({ api, rootKey }) => {
    const readOnly = await api.createKey(rootKey, { scopes: ["keys:read", "profile:read", "usage:read"] });
    expect(readOnly.body.access).toBe("read_only");
    expect((await api.call("GET", "/keys", { key: readOnly.secret })).status).toBe(200);
    expect((await api.call("GET", `/keys/${readOnly.id}`, { key: readOnly.secret })).status).toBe(200);
    expect((await api.call("GET", "/me", { key: readOnly.secret })).status).toBe(200);

    const denied = [
      await api.call("POST", "/keys", { key: readOnly.secret, body: { name: "x", scopes: ["keys:read"] } }),
      await api.call("PATCH", `/keys/${readOnly.id}`, { key: readOnly.secret, body: { name: "renamed" } }),
      await api.call("DELETE", `/keys/${readOnly.id}`, { key: readOnly.secret }),
    ];
    for (const res of denied) {
      expect(res.status).toBe(403);
      expect(res.body.error).toMatchObject({ code: "insufficient_scope", details: { required: ["keys:write"] } });
      expect(res.body.error.message).toContain("keys:write");
    }
    const verify = await api.call("POST", "/keys/verify", { key: readOnly.secret, body: { key: rootKey } });
    expect(verify.status).toBe(403);
    expect(verify.body.error.message).toContain("keys:verify");

    const usageOnly = await api.createKey(rootKey, { scopes: ["usage:read"] });
    for (const path of ["/keys", `/keys/${usageOnly.id}`]) {
      const readDenied = await api.call("GET", path, { key: usageOnly.secret });
      expect(readDenied.status, path).toBe(403);
      expect(readDenied.body.error.details.required).toEqual(["keys:read"]);
    }
  });

  test("profile and usage endpoints need their own scopes", async ({ api, rootKey, account }) => {
    const reader = await api.createKey(rootKey, { scopes: ["profile:read", "usage:read"] });
    const profile = await api.call("GET", "/profile", { key: reader.secret });
    expect(profile.status).toBe(200);
    expect(profile.body).toMatchObject({ email: account.user.email, role: expect.stringMatching(/admin|member/) });
    expect(Object.keys(profile.body).sort()).toEqual(["createdAt", "email", "id", "name", "role"]);
    const denied = await api.call("PATCH", "/profile", { key: reader.secret, body: { name: "New" } });
    expect(denied.status).toBe(403);
    expect(denied.body.error.details.required).toEqual(["profile:write"]);

    const writer = await api.createKey(rootKey, { scopes: ["profile:write"] });
    expect((await api.call("PATCH", "/profile", { key: writer.secret, body: { name: "" } })).status).toBe(422);
    expect((await api.call("PATCH", "/profile", { key: writer.secret, body: { name: "x", role: "admin" } })).status).toBe(422);
    const renamed = await api.call("PATCH", "/profile", { key: writer.secret, body: { name: account.user.name } });
    expect(renamed.status).toBe(200);
    expect(renamed.body.role).toBe(profile.body.role);
    expect((await api.call("GET", "/usage", { key: writer.secret })).status).toBe(403);

    const usage = await api.call("GET", `/usage?days=7&keyId=${reader.id}`, { key: reader.secret });
    expect(usage.status).toBe(200);
    expect(usage.body).toMatchObject({ days: 7, data: expect.any(Array) });
    expect((await api.call("GET", "/usage?days=365", { key: reader.secret })).status).toBe(422);
  });

  test("a deleted key is refused on the very next request", async ({ api, rootKey }) => {
    const child = await api.createKey(rootKey, { scopes: ["keys:read"] });
    expect((await api.call("GET", "/me", { key: child.secret })).status).toBe(200);
    expect((await api.call("DELETE", `/keys/${child.id}`, { key: rootKey })).status).toBe(200);
    const after = await api.call("GET", "/me", { key: child.secret });
    expect(after.status).toBe(401);
    expect(after.body.error.code).toBe("unauthorized");
  });

  test("unknown endpoints answer JSON 404, unsupported methods 405", async ({ api, rootKey }) => {
    const res = await api.call("GET", "/nope", { key: rootKey });
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe("not_found");
    expect((await api.call("PUT", "/keys", { key: rootKey, body: {} })).status).toBe(405);
  });

  test("the OpenAPI document and docs page describe every endpoint", async ({ api, page, rootKey }) => {
    const res = await api.call("GET", "/openapi.json");
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe("3.1.0");
    expect(Object.keys(res.body.paths).sort()).toEqual([
      "/keys",
      "/keys/revoke-leaked",
      "/keys/verify",
      "/keys/{id}",
      "/keys/{id}/rotate",
      "/me",
      "/profile",
      "/usage",
    ]);
    expect(res.body.components.schemas.Scope.enum).toContain("keys:verify");
    expect(res.body.paths["/keys/{id}/rotate"].post["x-required-scope"]).toBe("keys:rotate");
    expect(res.body.paths["/keys/revoke-leaked"].post.security).toEqual([]);
    // The ApiKey schema lists exactly the fields a key response carries, and every status.
    const key = await api.call("GET", "/keys?limit=1", { key: rootKey });
    const schema = res.body.components.schemas.ApiKey;
    expect(Object.keys(schema.properties).sort()).toEqual(Object.keys(key.body.data[0]).sort());
    expect(schema.properties.status.enum.sort()).toEqual(["active", "expired", "expiring_soon", "revoked", "rotation_due"]);
    await page.goto("/docs/api");
    await expect(page.getByRole("heading", { name: "API reference" })).toBeVisible();
    for (const op of ["GET /me", "POST /keys", "PATCH /keys/{id}", "POST /keys/verify", "POST /keys/{id}/rotate", "POST /keys/revoke-leaked"]) {
      const [method, path] = op.split(" ");
      await expect(page.getByRole("region", { name: `${method} ${path}`, exact: true })).toBeVisible();
    }
    // Request fields come from the same schemas the API validates with, with limits and examples.
    const create = page.getByRole("region", { name: "POST /keys", exact: true });
    const fields = create.getByRole("table", { name: "Request fields of POST /keys" });
    // A header row, then name, description, scopes, expiresAt and allowedIps.
    await expect(fields.getByRole("row")).toHaveCount(6);
    await expect(fields.getByRole("row", { name: /scopes required/ })).toContainText("array of string");
    await expect(fields.getByRole("row", { name: /allowedIps/ })).toContainText("array of string");
    await expect(fields.getByRole("row", { name: /expiresAt/ })).toContainText("string (date-time) or null");
    await expect(create.getByText(/-d '\{"name":"CI deploys"/)).toBeVisible();
    await expect(page.getByRole("region", { name: "GET /keys", exact: true }).getByRole("row", { name: /limit/ })).toContainText("1-100; default 50");
    // Words, not markup: no literal backticks; scopes say what each level allows.
    expect(await page.locator("main").innerText()).not.toContain("`");
    await expect(page.getByRole("row", { name: /keys:read/ }).first()).toContainText("List keys and read their details");
    // The contents link to each endpoint.
    await page.getByRole("navigation", { name: "Endpoints" }).getByRole("link", { name: "POST /keys/{id}/rotate" }).click();
    await expect(page).toHaveURL(/#op-keys-rotate$/);
  });
});
