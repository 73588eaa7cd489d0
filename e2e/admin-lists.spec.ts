import { DAY } from "./support/clock";
import { ApiKeysPage } from "./support/api-keys-page";
import { apiTest as test, expect } from "./support/api";
import { ADMIN, newUser, signIn, signUp } from "./support/fixtures";
import { PLACES } from "../lib/glossary";

/** "1–50 of 56" -> 56 (or "10,000+" -> 10000). */
function listTotal(text: string): number {
  if (text === "No results") return 0;
  return Number(text.replace(/^.* of /, "").replace(/[,+]/g, ""));
}

test.describe("admin lists", () => {
  test("overview cards show the numbers of the lists they open", async ({ page }) => {
    await signIn(page, ADMIN);
    for (const card of ["Active", "Expiring soon", "Rotation due", "Never used", "Revoked"]) {
      // Other tests change keys meanwhile: the list's total must be what the card showed just before
      // or just after it was read (a card that counts differently misses both), retried.
      await expect(async () => {
        const cardNumber = async () => {
          await page.goto("/admin");
          const link = page.getByRole("region", { name: "Overview" }).getByRole("link", { name: new RegExp(`^${card}`) });
          return { link, shown: Number(((await link.locator("span").nth(1).textContent()) ?? "").replace(/,/g, "")) };
        };
        const before = await cardNumber();
        await before.link.click();
        await expect(page).toHaveURL(/\/admin\/keys\?/);
        const paging = await page.getByRole("navigation", { name: "Pagination" }).locator("p").textContent();
        const after = await cardNumber();
        expect([before.shown, after.shown], card).toContain(listTotal(paging ?? ""));
      }).toPass({ timeout: 30_000 });
    }
    // "Never used" counts keys that still work, and its list says so.
    await page.goto("/admin");
    await page.getByRole("region", { name: "Overview" }).getByRole("link", { name: /^Never used/ }).click();
    await expect(page).toHaveURL(/status=usable&usage=never/);
    await expect(page.getByRole("search", { name: "Filter keys" }).getByLabel("Status")).toHaveValue("usable");
  });

  test("pagination follows Next and Previous and keeps every filter", async ({ browser, page, api }) => {
    test.setTimeout(120_000); // 56 keys made through the API first
    const owner = newUser("pager");
    const ownerPage = await (await browser.newContext()).newPage();
    await ownerPage.context().grantPermissions(["clipboard-read", "clipboard-write"]);
    await signUp(ownerPage, owner);
    const keys = new ApiKeysPage(ownerPage);
    const root = await keys.create({ name: "pager root", expiration: "never" });
    await keys.copyAndClose();
    for (let i = 0; i < 55; i++) await api.createKey(root, { name: `page key ${String(i).padStart(2, "0")}`, scopes: ["keys:read"] });

    await signIn(page, ADMIN);
    await page.goto(`/admin/keys?${new URLSearchParams({ owner: owner.email, scope: "keys:read", sort: "name", dir: "asc" })}`);
    const table = page.getByRole("table", { name: PLACES.allApiKeys });
    const paging = page.getByRole("navigation", { name: "Pagination" });
    await expect(paging).toContainText("1–50 of 56");
    await expect(table.getByRole("row").nth(1)).toContainText("page key 00");
    await paging.getByRole("link", { name: "Next" }).click();
    await expect(page).toHaveURL(/owner=.*scope=keys%3Aread.*sort=name.*dir=asc.*page=2/);
    await expect(paging).toContainText("51–56 of 56");
    await expect(table.getByRole("row")).toHaveCount(7);
    await expect(table.getByRole("row").nth(1)).toContainText("page key 50");
    await expect(table.getByRole("row").last()).toContainText("pager root");
    await expect(paging.getByRole("link", { name: "Next" })).toHaveCount(0);
    await paging.getByRole("link", { name: "Previous" }).click();
    await expect(page).toHaveURL(/page=1/);
    await expect(paging).toContainText("1–50 of 56");

    // The users list is searched and paged in the URL the same way.
    await page.goto(`/admin/users?q=${encodeURIComponent(owner.email)}`);
    await expect(page.getByRole("navigation", { name: "Pagination" })).toContainText("1–1 of 1");
  });

  test("usage filters and sorting by last used and expiry", async ({ browser, page, api }) => {
    test.setTimeout(120_000); // two sessions, three keys, a dozen list views
    const owner = newUser("usage");
    const ownerPage = await (await browser.newContext()).newPage();
    await ownerPage.context().grantPermissions(["clipboard-read", "clipboard-write"]);
    await signUp(ownerPage, owner);
    const keys = new ApiKeysPage(ownerPage);
    const used = await keys.create({ name: "used", expiration: "90" });
    await keys.copyAndClose();
    // Expiring tomorrow: within 3 days, so "expiring soon" whatever its lifetime (lib/keys/status.ts).
    await keys.create({ name: "unused", expiration: "custom", customDate: new Date(Date.now() + DAY).toISOString().slice(0, 10) });
    await keys.copyAndClose();
    await keys.create({ name: "forever", expiration: "never" });
    await keys.copyAndClose();
    expect((await api.call("GET", "/me", { key: used })).status).toBe(200);

    await signIn(page, ADMIN);
    const list = async (query: Record<string, string>) => {
      await page.goto(`/admin/keys?${new URLSearchParams({ owner: owner.email, ...query })}`);
      return page.getByRole("table", { name: PLACES.allApiKeys }).locator("tbody tr td:nth-child(3)").allTextContents();
    };
    // Usage is written in batches, a moment after the request.
    await expect.poll(async () => (await list({ usage: "never" })).sort()).toEqual(["forever", "unused"]);
    expect((await list({ sort: "last_used", dir: "desc" }))[0]).toBe("used");
    expect((await list({ sort: "last_used", dir: "asc" }))[2]).toBe("used");
    // Brand-new keys, used or not, are not "unused for 90 days".
    await page.goto(`/admin/keys?${new URLSearchParams({ owner: owner.email, usage: "stale" })}`);
    await expect(page.getByText("No keys match these filters")).toBeVisible();
    expect(await list({ sort: "expires", dir: "asc" })).toEqual(["unused", "used", "forever"]);
    expect(await list({ sort: "expires", dir: "desc" })).toEqual(["forever", "used", "unused"]);
    expect((await list({ status: "expiring_soon" })).sort()).toEqual(["unused"]);
    expect((await list({ status: "active" })).sort()).toEqual(["forever", "used"]);
  });

  test("a key its owner deleted reads Deleted, a short search finds names by their start, a key's name opens its events", async ({ page, api, rootKey, account }) => {
    const unique = `zq${Date.now().toString(36)}`;
    const gone = await api.createKey(rootKey, { name: `${unique} gone`, scopes: ["keys:read"] });
    const kept = await api.createKey(rootKey, { name: `${unique} kept`, scopes: ["keys:read"] });
    expect((await api.call("DELETE", `/keys/${gone.id}`, { key: rootKey })).status).toBe(200);
    await signIn(page, ADMIN);
    await page.goto(`/admin/keys?${new URLSearchParams({ owner: account.user.email, q: unique })}`);
    const table = page.getByRole("table", { name: PLACES.allApiKeys });
    const goneRow = table.getByRole("row", { name: new RegExp(`${unique} gone`) });
    await expect(goneRow).toContainText("Deleted");
    await expect(goneRow).not.toContainText("Revoked");
    await expect(table.getByRole("row", { name: new RegExp(`${unique} kept`) })).toContainText("Active");
    // Two characters: the start of key names (the root key of this owner starts with "ro").
    await page.goto(`/admin/keys?${new URLSearchParams({ owner: account.user.email, q: "ro" })}`);
    await expect(page.getByRole("status")).toContainText("names start with “ro”");
    await expect(table.getByRole("row", { name: /root/ }).first()).toBeVisible();
    await expect(table.getByRole("row", { name: new RegExp(unique) })).toHaveCount(0);
    // The key's name opens the audit log filtered to that key.
    await page.goto(`/admin/keys?${new URLSearchParams({ owner: account.user.email, q: unique })}`);
    await table.getByRole("link", { name: `${unique} kept` }).click();
    await expect(page).toHaveURL(new RegExp(`target=${kept.id}$`));
    await expect(page.getByRole("table", { name: "Audit events" })).toContainText(`created ${unique} kept`);
  });

  test("revoke all keys matching the filters, across pages, once the count is confirmed and still right", async ({ page, api, rootKey, account }) => {
    const unique = `bulk${Date.now().toString(36)}`;
    const made = [];
    for (let i = 0; i < 3; i++) made.push(await api.createKey(rootKey, { name: `${unique} ${i}`, scopes: ["keys:read"] }));
    await signIn(page, ADMIN);
    // No filter, no offer: revoking every key of the deployment at once is not a button.
    await page.goto("/admin/keys");
    await expect(page.getByRole("button", { name: /^Revoke all/ })).toHaveCount(0);
    await page.goto(`/admin/keys?${new URLSearchParams({ owner: account.user.email, q: unique })}`);
    await page.getByRole("button", { name: "Revoke all 3 matching" }).click();
    const dialog = page.getByRole("alertdialog");
    await expect(dialog).toContainText("Revoke all 3 keys that match these filters?");
    await dialog.getByLabel("Reason").fill("Bulk: found in a paste");
    const confirm = dialog.getByRole("button", { name: "Revoke 3 keys" });
    await expect(confirm).toBeDisabled();
    await dialog.getByLabel("Type 3 to confirm").fill("3");
    // A key that starts to match meanwhile: nothing is revoked, and the count is shown anew.
    const late = await api.createKey(rootKey, { name: `${unique} late`, scopes: ["keys:read"] });
    await confirm.click();
    await expect(dialog.getByRole("alert")).toContainText("4 keys match these filters now, not 3");
    for (const k of made) expect((await api.call("GET", "/me", { key: k.secret })).status).toBe(200);
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await page.getByRole("button", { name: "Revoke all 4 matching" }).click();
    await dialog.getByLabel("Reason").fill("Bulk: found in a paste");
    await dialog.getByLabel("Type 4 to confirm").fill("4");
    await dialog.getByRole("button", { name: "Revoke 4 keys" }).click();
    await expect(page.getByText("4 keys revoked. Their owners see your reason.")).toBeVisible();
    for (const k of [...made, late]) expect((await api.call("GET", "/me", { key: k.secret })).status).toBe(401);
    await expect(page.getByRole("button", { name: /^Revoke all/ })).toHaveCount(0);
  });
});
