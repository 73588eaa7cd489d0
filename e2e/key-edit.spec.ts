import { ApiKeysPage } from "./support/api-keys-page";
import { apiTest as test, expect } from "./support/api";
import { DAY, HOUR, later } from "./support/clock";
import { signIn } from "./support/fixtures";

test.describe("editing and the attention banner", () => {
  test("rename, narrow access and extend expiry; the new scopes apply on the next request", async ({ page, api, account, rootKey }) => {
    const name = `editable ${Date.now()}`;
    const { secret } = await api.createKey(rootKey, { name, scopes: ["keys:read", "keys:write"] });
    const child = { name: `child ${Date.now()}`, scopes: ["keys:read"], expiresAt: new Date(Date.now() + DAY).toISOString() };
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
    const expires = new Date(Date.now() + 60 * DAY).toISOString().slice(0, 10);
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
    await expect(row).toContainText("Nightly export job");
    const expires = new Date(Date.now() + 7 * DAY).toISOString().slice(0, 10);
    await expect(row.locator("time").last()).toHaveAttribute("datetime", new RegExp(`^${expires}`));
    // Made today to live 7 days: nothing to act on yet (lib/keys/status.ts), so no flag and no banner.
    await expect(row).toContainText("Active");
    await expect(page.getByRole("region", { name: "Keys that need attention" }).getByText(name)).toHaveCount(0);
    const stored = await api.call("GET", `/keys/${id}`, { key: rootKey });
    expect(stored.body).toMatchObject({ description: "Nightly export job", status: "active" });
  });

  test("the Edit dialog cannot change a key that expired or was revoked while it was open", async ({ page, api, account, rootKey }) => {
    const expiring = `expiring ${Date.now()}`;
    const soon = await api.createKey(rootKey, { name: expiring, scopes: ["keys:read"], expiresAt: new Date(Date.now() + 2 * DAY).toISOString() });
    const leaky = await api.createKey(rootKey, { name: `leaky edit ${Date.now()}`, scopes: ["keys:read"] });
    // Sessions end 12 hours after sign-in by the request's clock: signing in at the later time
    // keeps this session alive across the jump below, so what is refused is the key, not the session.
    await page.setExtraHTTPHeaders(later(3 * DAY));
    await signIn(page, account.user);
    await page.setExtraHTTPHeaders({});
    const keys = new ApiKeysPage(page);
    await keys.goto();

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
    expect(expired.body.error).toMatchObject({ code: "key_inactive", message: expect.stringContaining("revoked or expired") });
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
    await api.createKey(rootKey, { name, scopes: ["keys:read"], expiresAt: new Date(Date.now() + 3 * DAY).toISOString() });
    await signIn(page, account.user);
    const banner = page.getByRole("region", { name: "Keys that need attention" });
    await expect(banner).toContainText(name);
    await expect(banner).toContainText("expires in 3 days");
    await expect(new ApiKeysPage(page).row(name)).toContainText("Expiring soon");
    await banner.getByRole("button", { name: `Extend ${name}` }).click();
    // Extend starts on an extension (30 days from today), focused, so saving as is extends the key.
    const expiration = page.getByRole("dialog").getByLabel("Expiration");
    await expect(expiration).toHaveValue("30");
    await expect(expiration).toBeFocused();
    await page.getByRole("dialog").getByRole("button", { name: "Save changes" }).click();
    await expect(page.getByRole("dialog")).toBeHidden();
    await expect(new ApiKeysPage(page).row(name)).toContainText("Active");
    await expect(page.getByRole("region", { name: "Keys that need attention" }).getByText(name)).toHaveCount(0);
  });

  test("the banner lists the most urgent first, a new 7-day key not at all, and an expired key for a week", async ({ page, api, account, rootKey }) => {
    const stamp = Date.now();
    const lapsing = `lapsing ${stamp}`;
    const sooner = `sooner ${stamp}`;
    const later3 = `in three days ${stamp}`;
    const fresh = `fresh week ${stamp}`;
    const at = (ms: number) => new Date(Date.now() + ms).toISOString();
    await api.createKey(rootKey, { name: later3, scopes: ["keys:read"], expiresAt: at(3 * DAY - HOUR) });
    await api.createKey(rootKey, { name: lapsing, scopes: ["keys:read"], expiresAt: at(HOUR) });
    await api.createKey(rootKey, { name: sooner, scopes: ["keys:read"], expiresAt: at(2 * DAY) });
    await api.createKey(rootKey, { name: fresh, scopes: ["keys:read"], expiresAt: at(7 * DAY) });

    // Two hours on: one key has just expired, two expire within 3 days, the 7-day key is new.
    await page.setExtraHTTPHeaders(later(2 * HOUR));
    await signIn(page, account.user);
    const banner = page.getByRole("region", { name: "Keys that need attention" });
    // The account is shared with other tests of this worker: look at this test's keys only.
    const items = banner.getByRole("listitem").filter({ hasText: String(stamp) });
    await expect(items).toHaveCount(3);
    await expect(items.nth(0)).toContainText(`${lapsing} expired`);
    await expect(items.nth(0).getByRole("button", { name: `Delete ${lapsing}` })).toBeVisible();
    await expect(items.nth(1)).toContainText(sooner);
    await expect(items.nth(2)).toContainText(later3);
    const keys = new ApiKeysPage(page);
    await expect(keys.row(fresh)).toContainText("Active");

    // Eight days on: the key that expired first has been expired for a week, so it leaves the
    // banner; it stays in the list as Expired, with Delete in its menu.
    await page.setExtraHTTPHeaders(later(8 * DAY));
    await signIn(page, account.user);
    await expect(banner).toContainText(sooner);
    await expect(banner.getByText(lapsing)).toHaveCount(0);
    await expect(keys.row(lapsing)).toContainText("Expired");
    await keys.menu(lapsing, "Delete");
    await page.getByRole("alertdialog").getByRole("button", { name: "Delete key" }).click();
    await expect(page.getByRole("alertdialog")).toBeHidden();
    await expect(keys.row(lapsing)).toHaveCount(0);
  });
});
