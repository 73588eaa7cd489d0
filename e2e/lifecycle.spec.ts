import { ApiKeysPage } from "./support/api-keys-page";
import { apiTest as test, expect } from "./support/api";
import { DAY, HOUR, later } from "./support/clock";
import { signIn } from "./support/fixtures";
import { rememberSecret } from "./support/secrets";

// Rotation: grace periods by the test clock (no sleeps), only the current secret may rotate,
// and the rotation period ("Rotation due") seen from 91 days later. Editing is in
// key-edit.spec.ts, the rotate-key script in rotate-key-script.spec.ts, leaks in leaked-keys.spec.ts.
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
    await expect(history).toContainText("The old secret keeps working until");
    // Seen two hours later (test clock), the grace period is over and the history says so.
    await page.setExtraHTTPHeaders(later(2 * HOUR));
    await page.reload();
    await expect(history).toContainText("The old secret worked until");
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

  test("through the API with no body, the old secret keeps working for the default hour, then stops", async ({ api, rootKey }) => {
    const { id, secret } = await api.createKey(rootKey, { scopes: ["keys:read", "keys:rotate"] });
    const res = await api.call("POST", `/keys/${id}/rotate`, { key: secret });
    expect(res.status).toBe(200);
    const graceMs = Date.parse(res.body.previousSecretValidUntil) - Date.now();
    expect(graceMs).toBeGreaterThan(HOUR - 60_000);
    expect(graceMs).toBeLessThanOrEqual(HOUR);
    expect((await api.call("GET", "/me", { key: secret })).status).toBe(200);
    expect((await api.call("GET", "/me", { key: secret, headers: later(HOUR + 60_000) })).status).toBe(401);
    expect((await api.call("GET", "/me", { key: res.body.key, headers: later(HOUR + 60_000) })).status).toBe(200);
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

test.describe("rotation due", () => {
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
