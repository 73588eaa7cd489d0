import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { generateKey } from "../lib/keys/format";
import { ApiKeysPage } from "./support/api-keys-page";
import { apiTest as test, expect, withinOneMinuteWindow } from "./support/api";
import { signIn } from "./support/fixtures";
import { rememberSecret } from "./support/secrets";

const run = promisify(execFile);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const later = (ms: number) => ({ "X-Test-Clock-Offset": String(ms) });

test.describe("rotation", () => {
  test("from the row menu with a 1-hour grace: both secrets work, then only the new one", async ({ page, api, account }) => {
    await page.context().grantPermissions(["clipboard-read", "clipboard-write"]);
    await signIn(page, account.user);
    const keys = new ApiKeysPage(page);
    const name = `rotate me ${Date.now()}`;
    const oldSecret = await keys.create({ name });
    await keys.copyAndClose();
    const id = await keys.row(name).first().getAttribute("data-key-id");

    await keys.menu(name, "Rotate key");
    await expect(keys.dialog).toContainText(`ksk_…${oldSecret.slice(-4)}`);
    await keys.dialog.getByLabel("After 1 hour").check();
    await keys.dialog.getByRole("button", { name: "Rotate key" }).click();
    const newSecretField = keys.dialog.getByLabel("Your new API key");
    await expect(newSecretField).toBeVisible();
    const newSecret = await newSecretField.inputValue();
    expect(newSecret).not.toBe(oldSecret);
    await expect(keys.dialog).toContainText("The previous secret keeps working until");
    await keys.copyAndClose();
    await expect(keys.row(name)).toContainText(`ksk_…${newSecret.slice(-4)}`);

    for (const secret of [oldSecret, newSecret]) {
      const me = await api.call("GET", "/me", { key: secret });
      expect(me.status).toBe(200);
      expect(me.body.key.id).toBe(id); // same key, same id
    }
    // An hour and a minute later (test clock), the old secret is dead and the new one lives.
    expect((await api.call("GET", "/me", { key: oldSecret, headers: later(HOUR + 60_000) })).status).toBe(401);
    expect((await api.call("GET", "/me", { key: newSecret, headers: later(HOUR + 60_000) })).status).toBe(200);
    expect((await api.call("GET", "/me", { key: oldSecret, headers: later(HOUR - 60_000) })).status).toBe(200);

    await page.goto(`/settings/api-keys/${id}`);
    const history = page.getByRole("region", { name: "Rotations" }).or(page.locator("section", { has: page.getByRole("heading", { name: "Rotations" }) }));
    await expect(history).toContainText(`ksk_…${oldSecret.slice(-4)} → ksk_…${newSecret.slice(-4)}`);
    await expect(history).toContainText("via the dashboard");
  });

  test("through the API with no grace, the old secret stops at once", async ({ api, rootKey }) => {
    const { id, secret } = await api.createKey(rootKey, { scopes: ["keys:read", "keys:rotate"] });
    const res = await api.call("POST", `/keys/${id}/rotate`, { key: secret, body: { grace: "none" } });
    expect(res.status).toBe(200);
    expect(res.headers["cache-control"]).toBe("no-store");
    expect(res.body).toMatchObject({ id, key: expect.stringMatching(/^ksk_/) });
    expect((await api.call("GET", "/me", { key: secret })).status).toBe(401);
    expect((await api.call("GET", "/me", { key: res.body.key })).status).toBe(200);
    // Rotating needs keys:rotate.
    const reader = await api.createKey(rootKey, { scopes: ["keys:read"] });
    const denied = await api.call("POST", `/keys/${reader.id}/rotate`, { key: reader.secret });
    expect(denied.status).toBe(403);
    expect(denied.body.error.details.required).toEqual(["keys:rotate"]);
    expect((await api.call("POST", `/keys/${id}/rotate`, { key: rootKey, body: { grace: "2d" } })).status).toBe(422);
  });

  test("rotating immediately also ends a secret still in an earlier 7-day grace period", async ({ api, rootKey }) => {
    const { id, secret: first } = await api.createKey(rootKey, { scopes: ["keys:read", "keys:rotate"] });
    const r1 = await api.call("POST", `/keys/${id}/rotate`, { key: first, body: { grace: "7d" } });
    expect(r1.status).toBe(200);
    expect((await api.call("GET", "/me", { key: first })).status).toBe(200);
    const r2 = await api.call("POST", `/keys/${id}/rotate`, { key: r1.body.key, body: { grace: "none" } });
    expect(r2.status).toBe(200);
    expect((await api.call("GET", "/me", { key: first })).status).toBe(401);
    expect((await api.call("GET", "/me", { key: r1.body.key })).status).toBe(401);
    expect((await api.call("GET", "/me", { key: r2.body.key })).status).toBe(200);
  });

  test("a previous secret in its grace period authenticates but cannot rotate this key or another", async ({ api, rootKey }) => {
    const { id, secret: old } = await api.createKey(rootKey, { scopes: ["keys:read", "keys:rotate"] });
    const other = await api.createKey(rootKey, { scopes: ["keys:read"] });
    const r1 = await api.call("POST", `/keys/${id}/rotate`, { key: old, body: { grace: "24h" } });
    expect(r1.status).toBe(200);
    expect((await api.call("GET", "/me", { key: old })).status).toBe(200);
    for (const target of [id, other.id]) {
      const takeover = await api.call("POST", `/keys/${target}/rotate`, { key: old, body: { grace: "none" } });
      expect(takeover.status).toBe(403);
      expect(takeover.body.error.code).toBe("previous_secret");
      expect(takeover.body.error.message).toContain("Only the current secret can rotate");
    }
    // Nothing was rotated: the current secret still works, and it may rotate.
    expect((await api.call("GET", "/me", { key: r1.body.key })).status).toBe(200);
    expect((await api.call("GET", "/me", { key: other.secret })).status).toBe(200);
    expect((await api.call("POST", `/keys/${id}/rotate`, { key: r1.body.key })).status).toBe(200);
  });
});

test.describe("editing and the attention banner", () => {
  test("rename, narrow access and extend expiry; the new scopes apply on the next request", async ({ page, api, account, rootKey }) => {
    const name = `editable ${Date.now()}`;
    const { secret } = await api.createKey(rootKey, { name, scopes: ["keys:read", "keys:write"] });
    const child = { name: `child ${Date.now()}`, scopes: ["keys:read"], expiresAt: new Date(Date.now() + 86_400_000).toISOString() };
    expect((await api.call("POST", "/keys", { key: secret, body: child })).status).toBe(201);

    await signIn(page, account.user);
    const keys = new ApiKeysPage(page);
    await keys.menu(name, "Edit");
    const dialog = keys.dialog;
    await expect(dialog.getByLabel("Key name")).toHaveValue(name);
    await dialog.getByLabel("Key name").fill(`${name} (ro)`);
    await dialog.getByRole("radio", { name: "Read only" }).check();
    await dialog.getByLabel("Expiration").selectOption("60");
    await dialog.getByRole("button", { name: "Save changes" }).click();
    await expect(page.getByText("was updated")).toBeVisible();
    await expect(dialog).toBeHidden();
    const row = keys.row(`${name} (ro)`);
    await expect(row).toContainText("Read only");
    const expires = new Date(Date.now() + 60 * 86_400_000).toISOString().slice(0, 10);
    await expect(row.locator("time").last()).toHaveAttribute("datetime", new RegExp(`^${expires}`));

    const denied = await api.call("POST", "/keys", { key: secret, body: { ...child, name: "x" } });
    expect(denied.status).toBe(403);
    expect((await api.call("GET", "/me", { key: secret })).body.key.name).toBe(`${name} (ro)`);
  });

  test("shorten the expiry and change the description in the Edit dialog", async ({ page, api, account, rootKey }) => {
    const name = `shorten me ${Date.now()}`;
    const { id } = await api.createKey(rootKey, { name, scopes: ["keys:read"], expiresAt: new Date(Date.now() + 60 * DAY).toISOString() });
    await signIn(page, account.user);
    const keys = new ApiKeysPage(page);
    await expect(keys.row(name)).toContainText("Active");
    await keys.menu(name, "Edit");
    await keys.dialog.getByLabel("Description").fill("Nightly export job");
    await keys.dialog.getByLabel("Expiration").selectOption("7");
    await keys.dialog.getByRole("button", { name: "Save changes" }).click();
    await expect(keys.dialog).toBeHidden();
    const row = keys.row(name);
    await expect(row).toContainText("Expiring soon");
    await expect(row).toContainText("Nightly export job");
    const expires = new Date(Date.now() + 7 * DAY).toISOString().slice(0, 10);
    await expect(row.locator("time").last()).toHaveAttribute("datetime", new RegExp(`^${expires}`));
    await expect(page.getByRole("region", { name: "Keys that need attention" })).toContainText(`${name} expires in 7 days`);
    const stored = await api.call("GET", `/keys/${id}`, { key: rootKey });
    expect(stored.body).toMatchObject({ description: "Nightly export job", status: "expiring_soon" });
  });

  test("the Edit dialog cannot change a key that expired or was revoked while it was open", async ({ page, api, account, rootKey }) => {
    const expiring = `expiring ${Date.now()}`;
    const soon = await api.createKey(rootKey, { name: expiring, scopes: ["keys:read"], expiresAt: new Date(Date.now() + 2 * DAY).toISOString() });
    const leaky = await api.createKey(rootKey, { name: `leaky edit ${Date.now()}`, scopes: ["keys:read"] });
    await signIn(page, account.user);
    const keys = new ApiKeysPage(page);

    await keys.menu(expiring, "Edit");
    await keys.dialog.getByLabel("Expiration").selectOption("30");
    // Three days later by the test clock the key has expired: saving must not bring it back.
    await page.setExtraHTTPHeaders(later(3 * DAY));
    await keys.dialog.getByRole("button", { name: "Save changes" }).click();
    await expect(page.getByText("This key is revoked or expired, so it can no longer be changed.")).toBeVisible();
    await expect(keys.dialog).toBeVisible();
    expect((await api.call("GET", `/keys/${soon.id}`, { key: rootKey })).body.expiresAt).toBe(soon.body.expiresAt);
    await page.keyboard.press("Escape");
    await page.setExtraHTTPHeaders({});

    await keys.menu(leaky.body.name, "Edit");
    await api.call("POST", "/keys/revoke-leaked", { body: { keys: [leaky.secret] } });
    await expect.poll(async () => (await api.call("GET", "/me", { key: leaky.secret })).status).toBe(401);
    await keys.dialog.getByLabel("Key name").fill("renamed after the leak");
    await keys.dialog.getByRole("button", { name: "Save changes" }).click();
    await expect(page.getByText("This key is revoked or expired, so it can no longer be changed.").first()).toBeVisible();
    expect((await api.call("GET", `/keys/${leaky.id}`, { key: rootKey })).body.name).toBe(leaky.body.name);
  });

  test("the API refuses to change a revoked or expired key (409), so expiry cannot revive it", async ({ api, rootKey }) => {
    const in30 = new Date(Date.now() + 30 * DAY).toISOString();
    const soon = await api.createKey(rootKey, { scopes: ["keys:read"], expiresAt: new Date(Date.now() + HOUR).toISOString() });
    const expired = await api.call("PATCH", `/keys/${soon.id}`, { key: rootKey, body: { expiresAt: in30 }, headers: later(2 * HOUR) });
    expect(expired.status).toBe(409);
    expect(expired.body.error).toMatchObject({ code: "conflict", message: expect.stringContaining("revoked or expired") });
    expect((await api.call("GET", "/me", { key: soon.secret, headers: later(2 * HOUR) })).status).toBe(401);
    expect((await api.call("GET", `/keys/${soon.id}`, { key: rootKey })).body.expiresAt).toBe(soon.body.expiresAt);

    const leaked = await api.createKey(rootKey, { scopes: ["keys:read"] });
    await api.call("POST", "/keys/revoke-leaked", { body: { keys: [leaked.secret] } });
    await expect.poll(async () => (await api.call("GET", "/me", { key: leaked.secret })).status).toBe(401);
    for (const body of [{ expiresAt: in30 }, { name: "revived" }, { description: "still here?" }]) {
      const res = await api.call("PATCH", `/keys/${leaked.id}`, { key: rootKey, body });
      expect(res.status, JSON.stringify(body)).toBe(409);
    }
    expect((await api.call("GET", `/keys/${leaked.id}`, { key: rootKey })).body).toMatchObject({ status: "revoked", revokedReason: "reported leaked" });
  });

  test("a key expiring within 7 days shows a banner with a one-click fix", async ({ page, api, account, rootKey }) => {
    const name = `short-lived ${Date.now()}`;
    await api.createKey(rootKey, { name, scopes: ["keys:read"], expiresAt: new Date(Date.now() + 3 * 86_400_000).toISOString() });
    await signIn(page, account.user);
    const banner = page.getByRole("region", { name: "Keys that need attention" });
    await expect(banner).toContainText(name);
    await expect(banner).toContainText("expires in 3 days");
    await expect(new ApiKeysPage(page).row(name)).toContainText("Expiring soon");
    await banner.getByRole("button", { name: `Extend ${name}` }).click();
    await page.getByRole("dialog").getByLabel("Expiration").selectOption("30");
    await page.getByRole("dialog").getByRole("button", { name: "Save changes" }).click();
    await expect(page.getByRole("dialog")).toBeHidden();
    await expect(new ApiKeysPage(page).row(name)).toContainText("Active");
    await expect(page.getByRole("region", { name: "Keys that need attention" }).getByText(name)).toHaveCount(0);
  });

  test("91 days later by the test clock: Rotation due, both fixes for a key also expiring, rotating clears it", async ({ page, api, account, rootKey }) => {
    const old = `old key ${Date.now()}`;
    const both = `old and expiring ${Date.now()}`;
    await api.createKey(rootKey, { name: old, scopes: ["keys:read"], expiresAt: null });
    await api.createKey(rootKey, { name: both, scopes: ["keys:read"], expiresAt: new Date(Date.now() + 95 * DAY).toISOString() });
    // Every request from this page (navigations, RSC fetches, server actions) runs 91 days ahead:
    // both secrets are past the 90-day rotation period, and the second key expires in 4 days.
    await page.setExtraHTTPHeaders(later(91 * DAY));
    await page.context().grantPermissions(["clipboard-read", "clipboard-write"]);
    await signIn(page, account.user);
    const keys = new ApiKeysPage(page);
    await expect(keys.row(old)).toContainText("Rotation due");
    await expect(keys.row(both)).toContainText("Expiring soon");
    const banner = page.getByRole("region", { name: "Keys that need attention" });
    const bothItem = banner.getByRole("listitem").filter({ hasText: both });
    await expect(bothItem).toContainText("expires in 4 days");
    await expect(bothItem).toContainText("also due for rotation");
    await expect(bothItem.getByRole("button", { name: `Extend ${both}` })).toBeVisible();
    await expect(bothItem.getByRole("button", { name: `Rotate ${both} now` })).toBeVisible();

    const oldItem = banner.getByRole("listitem").filter({ hasText: old });
    await expect(oldItem).toContainText("3 months ago. It is due for rotation.");
    await oldItem.getByRole("button", { name: `Rotate ${old} now` }).click();
    await keys.dialog.getByRole("button", { name: "Rotate key" }).click();
    await expect(keys.dialog.getByLabel("Your new API key")).toBeVisible();
    rememberSecret(await keys.dialog.getByLabel("Your new API key").inputValue());
    await keys.copyAndClose();
    await expect(keys.row(old)).toContainText("Active");
    await expect(banner.getByRole("listitem").filter({ hasText: old })).toHaveCount(0);

    await bothItem.getByRole("button", { name: `Rotate ${both} now` }).click();
    await keys.dialog.getByRole("button", { name: "Rotate key" }).click();
    await expect(keys.dialog.getByLabel("Your new API key")).toBeVisible();
    rememberSecret(await keys.dialog.getByLabel("Your new API key").inputValue());
    await keys.copyAndClose();
    await expect(bothItem.getByRole("button", { name: `Extend ${both}` })).toBeVisible();
    await expect(bothItem.getByRole("button", { name: `Rotate ${both} now` })).toHaveCount(0);
  });
});

test.describe("npm run rotate-key", () => {
  test("rotates a key with itself and rewrites the .env file atomically, printing no secret", async ({ api, rootKey, baseURL }) => {
    const { secret, id } = await api.createKey(rootKey, { scopes: ["keys:read", "keys:rotate"] });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rotate-key-"));
    const envFile = path.join(dir, ".env");
    fs.writeFileSync(envFile, `# app settings\nDATABASE_URL=postgres://app\nKEYSMITH_API_KEY=${secret}\nOTHER=1\n`, { mode: 0o644 });

    const { stdout, stderr } = await run("node", ["scripts/rotate-key.mjs", "--env-file", envFile, "--url", baseURL!, "--grace", "1h"], {
      env: { ...process.env, KEYSMITH_API_KEY: "" },
    });
    const text = fs.readFileSync(envFile, "utf8");
    const newKey = /KEYSMITH_API_KEY=(\S+)/.exec(text)![1]!;
    expect(newKey).toMatch(/^ksk_[0-9A-Za-z]{36}$/);
    expect(newKey).not.toBe(secret);
    expect(text).toBe(`# app settings\nDATABASE_URL=postgres://app\nKEYSMITH_API_KEY=${newKey}\nOTHER=1\n`);
    expect(fs.statSync(envFile).mode & 0o777).toBe(0o600);
    expect(fs.readdirSync(dir)).toEqual([".env"]); // no temp file left behind
    expect(stdout + stderr).not.toContain(newKey);
    expect(stdout + stderr).not.toContain(secret);
    expect(stdout).toContain("The previous secret keeps working until");

    const me = await api.call("GET", "/me", { key: newKey });
    expect(me.body.key.id).toBe(id);
    expect((await api.call("GET", "/me", { key: secret })).status).toBe(200); // grace period

    // --print prints it; a bad key fails with a clear message and leaves the file alone.
    const printed = await run("node", ["scripts/rotate-key.mjs", "--env-file", envFile, "--url", baseURL!, "--grace", "none", "--print"]);
    const newest = /KEYSMITH_API_KEY=(\S+)/.exec(fs.readFileSync(envFile, "utf8"))![1]!;
    expect(printed.stdout.trim().split("\n").at(-1)).toBe(newest);
    expect((await api.call("GET", "/me", { key: newKey })).status).toBe(401);

    fs.writeFileSync(envFile, `KEYSMITH_API_KEY=${generateKey()}\n`);
    const failed = await run("node", ["scripts/rotate-key.mjs", "--env-file", envFile, "--url", baseURL!]).catch((e: { code: number; stderr: string }) => e);
    expect(failed).toMatchObject({ code: 1 });
    expect((failed as { stderr: string }).stderr).toContain("401");
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

test.describe("leaked keys", () => {
  test("reports revoke real keys, answer the same for fake ones, and the owner sees why", async ({ api, rootKey, account, page }) => {
    await withinOneMinuteWindow();
    const name = `leaky ${Date.now()}`;
    const leaked = await api.createKey(rootKey, { name, scopes: ["keys:read"] });
    const real = await api.call("POST", "/keys/revoke-leaked", { body: { keys: [leaked.secret, generateKey(), "not a key"] } });
    const fake = await api.call("POST", "/keys/revoke-leaked", { body: { keys: [generateKey(), generateKey(), "not a key"] } });
    expect(real.status).toBe(202);
    expect(real.text).toBe(fake.text);
    // The revocation runs just after the response (so its timing says nothing either).
    await expect.poll(async () => (await api.call("GET", "/me", { key: leaked.secret })).status).toBe(401);

    const github = await api.call("POST", "/keys/revoke-leaked", {
      body: [{ token: generateKey(), type: "keysmith_api_key", url: "https://example.invalid/commit", source: "content" }],
    });
    expect(github.status).toBe(202);
    expect((await api.call("POST", "/keys/revoke-leaked", { body: { keys: [] } })).status).toBe(422);

    await signIn(page, account.user);
    await expect(new ApiKeysPage(page).row(name)).toContainText("Revoked: reported leaked");

    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) statuses.push((await api.call("POST", "/keys/revoke-leaked", { body: { keys: ["x"] } })).status);
    expect(statuses).toContain(429);
  });
});
