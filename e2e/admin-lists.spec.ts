import { DAY } from "./support/clock";
import { ApiKeysPage } from "./support/api-keys-page";
import { apiTest as test, expect } from "./support/api";
import { ADMIN, newUser, signIn, signUp } from "./support/fixtures";

/** "1–50 of 56" -> 56 (or "10,000+" -> 10000). */
function listTotal(text: string): number {
  if (text === "No results") return 0;
  return Number(text.replace(/^.* of /, "").replace(/[,+]/g, ""));
}

test.describe("admin lists", () => {
  test("overview cards show the numbers of the lists they open", async ({ page }) => {
    await signIn(page, ADMIN);
    for (const card of ["Active", "Expiring soon", "Rotation due", "Never used", "Revoked"]) {
      // Other tests change keys meanwhile: card and list are compared from one moment, retried.
      await expect(async () => {
        await page.goto("/admin");
        const link = page.getByRole("region", { name: "Overview" }).getByRole("link", { name: new RegExp(`^${card}`) });
        const shown = Number(((await link.locator("span").nth(1).textContent()) ?? "").replace(/,/g, ""));
        await link.click();
        await expect(page).toHaveURL(/\/admin\/keys\?/);
        const paging = await page.getByRole("navigation", { name: "Pagination" }).locator("p").textContent();
        expect(listTotal(paging ?? ""), card).toBe(shown);
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
    const table = page.getByRole("table", { name: "All API keys" });
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
      return page.getByRole("table", { name: "All API keys" }).locator("tbody tr td:nth-child(3)").allTextContents();
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
});
