import { ADMIN, expect, signIn, test } from "./support/fixtures";
import { ACTIONS, PLACES } from "../lib/glossary";

test.describe("keyboard, small screens and dark mode", () => {
  test("a key can be created, copied and closed with the keyboard alone", async ({ page, context, keys }) => {
    await context.grantPermissions(["clipboard-read", "clipboard-write"]);
    await page.getByRole("button", { name: ACTIONS.createKey }).focus();
    await page.keyboard.press("Enter");
    const name = keys.dialog.getByLabel("Key name");
    await expect(name).toBeFocused();
    await page.keyboard.type("keyboard key");
    await page.keyboard.press("Enter");
    const secretField = keys.dialog.getByLabel("Your new API key");
    await expect(secretField).toBeVisible();

    const copy = keys.dialog.getByRole("button", { name: "Copy API key" });
    for (let i = 0; i < 10 && !(await copy.evaluate((el) => el === document.activeElement)); i++) {
      await page.keyboard.press("Tab");
    }
    await expect(copy).toBeFocused();
    await page.keyboard.press("Enter");
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(await secretField.inputValue());
    await page.keyboard.press("Escape"); // copied, so no confirmation is needed
    await expect(keys.dialog).toBeHidden();
    await expect(keys.row("keyboard key")).toContainText("Active");
  });

  test.describe("at 375 px", () => {
    test.use({ viewport: { width: 375, height: 740 } });

    test("the list becomes cards and nothing scrolls sideways", async ({ page, keys }) => {
      await keys.create({ name: "phone key" });
      await keys.copyAndClose();
      const card = page.getByRole("list", { name: "API keys" }).getByRole("listitem");
      await expect(card).toContainText("phone key");
      await expect(card).toContainText("Active");
      await expect(card).toContainText("ksk_…");
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      await keys.delete("phone key");
      await expect(page.getByRole("heading", { name: "No API keys yet" })).toBeVisible();
    });

    test("an admin's users become cards with their actions in reach", async ({ browser }) => {
      const admin = await (await browser.newContext({ viewport: { width: 375, height: 740 } })).newPage();
      await signIn(admin, ADMIN);
      await admin.goto(`/admin/users?q=${encodeURIComponent(ADMIN.email)}`);
      const card = admin.getByRole("list", { name: "Users" }).getByRole("listitem");
      await expect(card).toHaveCount(1);
      await expect(card).toContainText(ADMIN.email);
      await expect(admin.getByRole("table", { name: "Users" })).toBeHidden();
      // The buttons are on screen, not behind a sideways scroll.
      for (const name of [`Make member: ${ADMIN.email}`, `Sign out everywhere: ${ADMIN.email}`]) {
        const box = await card.getByRole("button", { name }).boundingBox();
        expect(box && box.x >= 0 && box.x + box.width <= 375, name).toBe(true);
      }
      expect(await admin.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
      await admin.context().close();
    });
  });

  test.describe("in dark mode", () => {
    test.use({ colorScheme: "dark" });

    test("the page follows the system theme", async ({ page, keys }) => {
      await expect(keys.page.getByRole("heading", { name: PLACES.apiKeys, exact: true })).toBeVisible();
      // Computed colours come back as lab()/oklch(); color-mix in srgb turns them into "color(srgb r g b)".
      const lightness = (property: "backgroundColor" | "color") =>
        page.evaluate((prop) => {
          const probe = document.createElement("div");
          probe.style.color = `color-mix(in srgb, ${getComputedStyle(document.body)[prop]} 100%, black 0%)`;
          document.body.appendChild(probe);
          const [r, g, b] = (getComputedStyle(probe).color.match(/[\d.]+/g) ?? []).map(Number).filter((n) => !Number.isNaN(n));
          probe.remove();
          return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
        }, property);
      expect(await lightness("backgroundColor")).toBeLessThan(0.2);
      expect(await lightness("color")).toBeGreaterThan(0.8);
    });
  });
});
