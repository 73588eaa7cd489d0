import { formatDay } from "../lib/format";
import { generateKey } from "../lib/keys/format";
import { ALL_SCOPES } from "../lib/scopes";
import { ApiKeysPage } from "./support/api-keys-page";
import { apiTest as test, expect, withinOneMinuteWindow } from "./support/api";
import { newUser, signIn, signUp } from "./support/fixtures";
import { DAY } from "./support/clock";

test.describe("keys API", () => {
  test("create, list, get, rename, re-scope and delete; the secret appears only in the 201", async ({ api, rootKey }) => {
    const created = await api.call("POST", "/keys", {
      key: rootKey,
      body: { name: "deployer", description: "CI", scopes: ["keys:read", "usage:read"] },
    });
    expect(created.status).toBe(201);
    expect(created.headers["cache-control"]).toBe("no-store");
    const secret = created.body.key as string;
    expect(secret).toMatch(/^ksk_[0-9A-Za-z]{36}$/);
    expect(created.body).toMatchObject({ name: "deployer", description: "CI", access: "restricted", status: "active", hint: `ksk_…${secret.slice(-4)}` });
    expect(new Date(created.body.expiresAt).getTime()).toBeGreaterThan(Date.now() + 29 * DAY);
    expect(Object.keys(created.body).sort()).toEqual(
      ["access", "allowedIps", "createdAt", "description", "expiresAt", "hint", "id", "key", "lastUsedAt", "lastUsedIp", "name", "revokedAt", "revokedReason", "scopes", "secretCreatedAt", "status"].sort(),
    );

    const list = await api.call("GET", "/keys?limit=100", { key: rootKey });
    expect(list.status).toBe(200);
    expect(list.body.data.some((k: { id: string }) => k.id === created.body.id)).toBe(true);
    expect(list.text).not.toContain(secret.slice(4, 24));
    const one = await api.call("GET", `/keys/${created.body.id}`, { key: secret });
    expect(one.status).toBe(200);
    expect(one.body).not.toHaveProperty("key");

    const renamed = await api.call("PATCH", `/keys/${created.body.id}`, { key: rootKey, body: { name: "deployer-2", scopes: ["usage:read"] } });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ name: "deployer-2", scopes: ["usage:read"] });
    // The narrower scopes apply from the very next request.
    expect((await api.call("GET", `/keys/${created.body.id}`, { key: secret })).status).toBe(403);

    expect((await api.call("DELETE", `/keys/${created.body.id}`, { key: rootKey })).status).toBe(200);
    expect((await api.call("GET", `/keys/${created.body.id}`, { key: rootKey })).status).toBe(404);
    expect((await api.call("DELETE", `/keys/${created.body.id}`, { key: rootKey })).status).toBe(404);
  });

  test("another user's key id answers 404 to every method and stays untouched", async ({ api, rootKey, page }) => {
    await signUp(page, newUser("other"));
    const keys = new ApiKeysPage(page);
    await page.context().grantPermissions(["clipboard-read", "clipboard-write"]);
    const otherSecret = await keys.create({ name: "theirs" });
    await keys.copyAndClose();
    const otherId = await keys.row("theirs").getAttribute("data-key-id");

    for (const [method, body] of [["GET", undefined], ["PATCH", { name: "pwned" }], ["DELETE", undefined]] as const) {
      const res = await api.call(method, `/keys/${otherId}`, { key: rootKey, body });
      expect(res.status, method).toBe(404);
      expect(res.body.error.code).toBe("key_not_found");
    }
    expect((await api.call("GET", "/keys/not-a-uuid", { key: rootKey })).status).toBe(404);
    const stillThere = await api.call("GET", "/me", { key: otherSecret });
    expect(stillThere.status).toBe(200);
    expect(stillThere.body.key.name).toBe("theirs");

    // Nor can the other user open the first user's key page (its usage, last IP, scopes).
    const rootId = (await api.call("GET", "/me", { key: rootKey })).body.key.id;
    const response = await page.goto(`/settings/api-keys/${rootId}`);
    expect(response?.status()).toBe(404);
    await expect(page.getByText("root")).toHaveCount(0);
  });

  test("a key can never create or widen a key beyond its own scopes or lifetime", async ({ api, rootKey }) => {
    const limited = await api.createKey(rootKey, { scopes: ["keys:read", "keys:write"], expiresAt: new Date(Date.now() + DAY).toISOString() });
    const escalate = await api.call("POST", "/keys", { key: limited.secret, body: { name: "wider", scopes: ["keys:write", "keys:verify"] } });
    expect(escalate.status).toBe(403);
    expect(escalate.body.error).toMatchObject({ code: "insufficient_scope", details: { required: ["keys:verify"] } });
    const outlive = await api.call("POST", "/keys", { key: limited.secret, body: { name: "forever", scopes: ["keys:read"], expiresAt: null } });
    expect(outlive.status).toBe(403);
    expect(outlive.body.error.code).toBe("expiry_beyond_caller");
    const defaultLifetime = await api.call("POST", "/keys", { key: limited.secret, body: { name: "default", scopes: ["keys:read"] } });
    expect(defaultLifetime.status).toBe(403); // 30 days would outlive a key that expires tomorrow

    const ok = await api.call("POST", "/keys", {
      key: limited.secret,
      body: { name: "narrow", scopes: ["keys:read"], expiresAt: new Date(Date.now() + 3_600_000).toISOString() },
    });
    expect(ok.status).toBe(201);
    const widen = await api.call("PATCH", `/keys/${ok.body.id}`, { key: limited.secret, body: { scopes: ["profile:write"] } });
    expect(widen.status).toBe(403);
    // Nor may it touch a key more powerful than itself.
    const root = (await api.call("GET", "/me", { key: rootKey })).body.key.id;
    expect((await api.call("DELETE", `/keys/${root}`, { key: limited.secret })).status).toBe(403);
    expect((await api.call("GET", "/me", { key: rootKey })).status).toBe(200);
  });

  test("a key cannot rotate, or widen the scopes of, a key that outlives it; it may rotate itself", async ({ api, rootKey }) => {
    const days = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString();
    // Full access: every scope, keys:rotate among them, but it expires in three days.
    const shortLived = await api.createKey(rootKey, { name: `short ${Date.now()}`, scopes: ALL_SCOPES, expiresAt: days(3) });
    const forever = await api.createKey(rootKey, { name: `forever ${Date.now()}`, scopes: ["keys:read"], expiresAt: null });
    const longer = await api.createKey(rootKey, { name: `longer ${Date.now()}`, scopes: ["keys:read"], expiresAt: days(20) });
    const shorter = await api.createKey(rootKey, { name: `shorter ${Date.now()}`, scopes: ["keys:read"], expiresAt: days(1) });

    for (const target of [forever, longer]) {
      const rotate = await api.call("POST", `/keys/${target.id}/rotate`, { key: shortLived.secret, body: { grace: "none" } });
      expect(rotate.status, rotate.text).toBe(403);
      expect(rotate.body.error.code).toBe("expiry_beyond_caller");
      expect(rotate.text).not.toMatch(/ksk_[0-9A-Za-z]{36}/);
      // Nothing changed: the target's secret still works.
      expect((await api.call("GET", "/me", { key: target.secret })).status).toBe(200);
      // Widening its scopes would also hand more power to a credential that outlives the caller.
      const widen = await api.call("PATCH", `/keys/${target.id}`, { key: shortLived.secret, body: { scopes: ["keys:read", "usage:read"] } });
      expect(widen.status, widen.text).toBe(403);
      expect(widen.body.error.code).toBe("expiry_beyond_caller");
      // Renaming or narrowing hands out nothing.
      const rename = await api.call("PATCH", `/keys/${target.id}`, { key: shortLived.secret, body: { name: `${target.body.name} (renamed)` } });
      expect(rename.status, rename.text).toBe(200);
    }

    // A key that dies first may be rotated, and a key may always rotate itself.
    const rotateShorter = await api.call("POST", `/keys/${shorter.id}/rotate`, { key: shortLived.secret });
    expect(rotateShorter.status, rotateShorter.text).toBe(200);
    const self = await api.call("POST", `/keys/${shortLived.id}/rotate`, { key: shortLived.secret, body: { grace: "1h" } });
    expect(self.status, self.text).toBe(200);
    expect(self.body.expiresAt).toBe(shortLived.body.expiresAt);
    // The never-expiring owner key still manages everything.
    expect((await api.call("POST", `/keys/${forever.id}/rotate`, { key: rootKey })).status).toBe(200);
  });

  test("bad bodies get clear 4xx answers and create nothing", async ({ api, rootKey }) => {
    const post = (init: Parameters<typeof api.call>[2]) => api.call("POST", "/keys", { key: rootKey, ...init });
    const cases = [
      { label: "empty name", res: await post({ body: { name: " ", scopes: ["keys:read"] } }), status: 422, field: "name" },
      { label: "65 chars", res: await post({ body: { name: "x".repeat(65), scopes: ["keys:read"] } }), status: 422, field: "name" },
      { label: "unknown scope", res: await post({ body: { name: "a", scopes: ["keys:admin"] } }), status: 422, field: "scopes" },
      { label: "no scopes", res: await post({ body: { name: "a", scopes: [] } }), status: 422, field: "scopes" },
      { label: "past expiry", res: await post({ body: { name: "a", scopes: ["keys:read"], expiresAt: "2020-01-01T00:00:00Z" } }), status: 422, field: "expiresAt" },
      { label: "mass assignment", res: await post({ body: { name: "a", scopes: ["keys:read"], userId: "x" } }), status: 422 },
      { label: "wrong types", res: await post({ body: { name: 1, scopes: "keys:read" } }), status: 422 },
      { label: "invalid JSON", res: await post({ raw: "{", headers: { "Content-Type": "application/json" } }), status: 400 },
      { label: "not JSON", res: await post({ raw: "name=a", headers: { "Content-Type": "application/x-www-form-urlencoded" } }), status: 415 },
      { label: "2 MB body", res: await post({ raw: JSON.stringify({ name: "a".repeat(2 * 1024 * 1024) }), headers: { "Content-Type": "application/json" } }), status: 413 },
    ];
    for (const { label, res, status, field } of cases) {
      expect(res.status, label).toBe(status);
      expect(typeof res.body.error.message, label).toBe("string");
      if (field) expect(res.body.error.details.fields[field], label).toBeTruthy();
    }
    await api.createKey(rootKey, { name: "dup", scopes: ["keys:read"] });
    const dup = await post({ body: { name: "DUP", scopes: ["keys:read"] } });
    expect(dup.status).toBe(409);
    const names = (await api.call("GET", "/keys?limit=100", { key: rootKey })).body.data.map((k: { name: string }) => k.name);
    expect(names.filter((n: string) => n === "a" || n.startsWith("x"))).toEqual([]);
    expect((await api.call("GET", "/keys?limit=1000", { key: rootKey })).status).toBe(422);
  });
});

test.describe("verify endpoint", () => {
  test("answers VALID, NOT_FOUND, REVOKED and INSUFFICIENT_SCOPE", async ({ api, rootKey }) => {
    const verifier = await api.createKey(rootKey, { scopes: ["keys:verify"] });
    const subject = await api.createKey(rootKey, { scopes: ["keys:read", "usage:read"] });
    const verify = (body: unknown) => api.call("POST", "/keys/verify", { key: verifier.secret, body });

    const valid = await verify({ key: subject.secret, scopes: ["keys:read"] });
    expect(valid.status).toBe(200);
    expect(valid.body).toMatchObject({ valid: true, code: "VALID", keyId: subject.id, scopes: ["keys:read", "usage:read"] });
    expect(valid.body.ownerId).toEqual(expect.any(String));
    expect(valid.body.ownerType).toBe("user");

    expect((await verify({ key: "nonsense" })).body).toMatchObject({ valid: false, code: "NOT_FOUND", keyId: null });
    expect((await verify({ key: generateKey() })).body).toMatchObject({ valid: false, code: "NOT_FOUND", keyId: null });
    // An unknown key is NOT_FOUND whatever scopes are asked for, and names none.
    const unknown = await verify({ key: generateKey(), scopes: ["bogus:scope"] });
    expect(unknown.body).toMatchObject({ valid: false, code: "NOT_FOUND" });
    expect(unknown.body).not.toHaveProperty("missingScopes");
    expect((await verify({ key: subject.secret, scopes: ["keys:write"] })).body).toMatchObject({
      valid: false,
      code: "INSUFFICIENT_SCOPE",
      missingScopes: ["keys:write"],
    });
    await api.call("DELETE", `/keys/${subject.id}`, { key: rootKey });
    expect((await verify({ key: subject.secret })).body).toMatchObject({ valid: false, code: "REVOKED", keyId: subject.id });
    expect((await verify({ nope: 1 })).status).toBe(422);
  });

  test("answers EXPIRED once the clock passes the expiry", async ({ api, rootKey }) => {
    const verifier = await api.createKey(rootKey, { scopes: ["keys:verify"] });
    const subject = await api.createKey(rootKey, { scopes: ["keys:read"], expiresAt: new Date(Date.now() + DAY).toISOString() });
    // The test clock (KEYSMITH_TEST_CLOCK=1) moves "now" two days on for this request only.
    const later = { "X-Test-Clock-Offset": String(2 * DAY) };
    const res = await api.call("POST", "/keys/verify", { key: verifier.secret, body: { key: subject.secret }, headers: later });
    expect(res.body).toMatchObject({ valid: false, code: "EXPIRED", keyId: subject.id });
    expect(res.body).not.toHaveProperty("missingScopes");
    expect((await api.call("GET", "/me", { key: subject.secret, headers: later })).status).toBe(401);
    expect((await api.call("GET", "/me", { key: subject.secret })).status).toBe(200);
  });
});

test.describe("rate limits (100 requests per key per minute, 20 failed authentications per IP)", () => {
  test("a key gets exactly its allowance, then 429 with Retry-After; verify reports RATE_LIMITED", async ({ api, rootKey }) => {
    await withinOneMinuteWindow();
    const { secret } = await api.createKey(rootKey, { scopes: ["keys:read"] });
    const statuses: number[] = [];
    let retryAfter = "";
    const remaining: number[] = [];
    let refusedHeaders: Record<string, string> = {};
    for (let batch = 0; batch < 11; batch++) {
      const results = await Promise.all(Array.from({ length: 10 }, () => api.call("GET", "/me", { key: secret })));
      for (const r of results) {
        statuses.push(r.status);
        if (r.status === 429) {
          retryAfter = r.headers["retry-after"] ?? "";
          refusedHeaders = r.headers;
        } else {
          // Every answer says where the key stands (IETF RateLimit fields and GitHub's X-RateLimit-*).
          expect(r.headers["ratelimit-policy"]).toBe('"per-key";q=100;w=60');
          expect(r.headers["ratelimit"]).toMatch(/^"per-key";r=\d+;t=\d+$/);
          expect(r.headers["x-ratelimit-limit"]).toBe("100");
          remaining.push(Number(r.headers["x-ratelimit-remaining"]));
        }
      }
    }
    expect(remaining.sort((x, y) => x - y)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(refusedHeaders["x-ratelimit-remaining"]).toBe("0");
    expect(refusedHeaders["ratelimit"]).toMatch(/^"per-key";r=0;t=\d+$/);
    expect(Number(refusedHeaders["x-ratelimit-reset"])).toBeGreaterThan(Date.now() / 1000);
    expect(statuses.filter((s) => s === 200)).toHaveLength(100);
    expect(statuses.filter((s) => s === 429)).toHaveLength(10);
    expect(Number(retryAfter)).toBeGreaterThan(0);
    expect(Number(retryAfter)).toBeLessThanOrEqual(60);

    const verifier = await api.createKey(rootKey, { scopes: ["keys:verify"] });
    const res = await api.call("POST", "/keys/verify", { key: verifier.secret, body: { key: secret } });
    expect(res.body).toMatchObject({ valid: false, code: "RATE_LIMITED", rateLimit: { limit: 100, remaining: 0 } });
    const fresh = await api.createKey(rootKey, { scopes: ["keys:read"] });
    const checked = await api.call("POST", "/keys/verify", { key: verifier.secret, body: { key: fresh.secret } });
    expect(checked.body).toMatchObject({ valid: true, rateLimit: { limit: 100, remaining: 99 } });
  });

  test("an address that keeps failing is blocked, others are not", async ({ api, rootKey }) => {
    await withinOneMinuteWindow();
    const statuses: number[] = [];
    for (let i = 0; i < 24; i++) statuses.push((await api.call("GET", "/me", { key: generateKey() })).status);
    expect(statuses.slice(0, 20)).toEqual(Array(20).fill(401));
    expect(statuses.slice(20)).toEqual(Array(4).fill(429));
    const blocked = await api.call("GET", "/me", { key: rootKey });
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers["retry-after"])).toBeGreaterThan(0);

    // An address the client prepends itself does not reset the count: the proxy's entry is what counts.
    const spoofed = await api.call("GET", "/me", { key: rootKey, headers: { "X-Forwarded-For": `1.2.3.4, ${api.ip}` } });
    expect(spoofed.status).toBe(429);

    const fresh = await api.call("GET", "/me", { key: rootKey, headers: { "X-Forwarded-For": "198.19.0.1" } });
    expect(fresh.status).toBe(200);
  });
});

test.describe("usage in the dashboard", () => {
  test("the list says when a key was last used and the detail page counts requests", async ({ api, rootKey, account, page }) => {
    const { id, secret } = await api.createKey(rootKey, { name: `used ${Date.now()}`, scopes: ["keys:read"] });
    for (let i = 0; i < 3; i++) expect((await api.call("GET", "/me", { key: secret })).status).toBe(200);
    expect((await api.call("GET", "/keys", { key: secret })).status).toBe(200);
    expect((await api.call("POST", "/keys", { key: secret, body: { name: "n", scopes: ["keys:read"] } })).status).toBe(403);

    await signIn(page, account.user);
    const row = page.locator(`[data-key-id="${id}"]`).first();
    // Last-used marks are written in the same batches as the counts (lib/usage.ts).
    await expect(async () => {
      await page.reload();
      await expect(row).toContainText("just now", { timeout: 1_000 });
    }).toPass({ timeout: 15_000 });
    await row.getByRole("link").click();
    await expect(page).toHaveURL(new RegExp(`/settings/api-keys/${id}$`));
    await expect(page.getByText(`from ${api.ip}`)).toBeVisible();
    // Counts are written in batches about once a second.
    await expect(async () => {
      await page.reload();
      await expect(page.getByRole("heading", { name: /Requests, last 30 days/ })).toContainText("(5 in all)", { timeout: 1_000 });
    }).toPass({ timeout: 15_000 });
    // The chart fills its box: the first and last bars sit over the first and last date labels,
    // and a y scale with round numbers runs up to at least the busiest day (5 requests).
    const chart = page.getByRole("img", { name: /^Requests per day/ });
    const box = (await chart.boundingBox())!;
    const bars = chart.locator("[data-day]");
    await expect(bars).toHaveCount(30);
    const firstBar = (await bars.first().boundingBox())!;
    const lastBar = (await bars.last().boundingBox())!;
    expect(firstBar.x - box.x).toBeLessThan(8);
    expect(box.x + box.width - (lastBar.x + lastBar.width)).toBeLessThan(8);
    const today = new Date().toISOString().slice(0, 10);
    const figure = page.getByRole("figure");
    const lastLabel = figure.getByText(formatDay(today), { exact: true }).first();
    const label = (await lastLabel.boundingBox())!;
    expect(Math.abs(label.x + label.width - (lastBar.x + lastBar.width))).toBeLessThan(8);
    await expect(bars.last()).toHaveAttribute("title", `${formatDay(today)}: 4 succeeded, 1 failed`);
    // 5 at most: ticks 0, 2, 4 and 6 (lib/scale.ts).
    await expect(figure.locator('[data-axis="y"] span')).toHaveText(["0", "2", "4", "6"]);
    await page.getByText("Show as table").click();
    await expect(page.getByRole("row", { name: `${formatDay(today)} 4 1` })).toBeVisible();
    await expect(page.getByText("keys:read", { exact: true })).toBeVisible();
  });
});
