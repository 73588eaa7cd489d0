import type { Locator, Page } from "@playwright/test";
import { expect, test } from "./support/fixtures";
import { ACTIONS } from "../lib/glossary";

/** Tab until `target` has focus (at most 30 presses). */
async function tabTo(page: Page, target: Locator) {
  for (let i = 0; i < 30 && !(await target.evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press("Tab");
  await expect(target).toBeFocused();
}

/**
 * The focused element's ring (a box-shadow with a spread of 2 px or more, or an outline): its
 * colour as the screen shows it, and its contrast with the page's background.
 */
async function focusRing(page: Page) {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement;
    const style = getComputedStyle(el);
    const canvas = document.createElement("canvas");
    canvas.width = canvas.height = 1;
    const ctx = canvas.getContext("2d", { willReadFrequently: true })!;
    const rgba = (color: string) => {
      ctx.clearRect(0, 0, 1, 1);
      ctx.fillStyle = color;
      ctx.fillRect(0, 0, 1, 1);
      return [...ctx.getImageData(0, 0, 1, 1).data];
    };
    const luminance = ([r, g, b]: number[]) => {
      const lin = (c: number) => ((c /= 255) <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
      return 0.2126 * lin(r!) + 0.7152 * lin(g!) + 0.0722 * lin(b!);
    };
    const rings = [...style.boxShadow.matchAll(/((?:oklch|oklab|rgba?|color|lab)\([^)]*\))\s+0px 0px 0px ([\d.]+)px/g)]
      .filter((m) => Number(m[2]) >= 2)
      .map((m) => ({ color: m[1]!, width: Number(m[2]) }));
    if (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2) rings.push({ color: style.outlineColor, width: parseFloat(style.outlineWidth) });
    const ring = rings.map((r) => ({ ...r, rgba: rgba(r.color) })).find((r) => r.rgba[3]! > 0);
    if (!ring) return null;
    const page = rgba(getComputedStyle(document.body).backgroundColor);
    const [a, b] = [luminance(ring.rgba), luminance(page)];
    return { alpha: ring.rgba[3]!, width: ring.width, contrast: (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05) };
  });
}

test.describe("keyboard focus", () => {
  test("focus returns to what opened a dialog: the Create button (even redrawn), a row's menu button", async ({ page, context, keys }) => {
    await context.grantPermissions(["clipboard-read", "clipboard-write"]);
    const name = `focus ${Date.now()}`;
    await keys.create({ name });
    await keys.copyAndClose();
    await expect(page.getByRole("button", { name: ACTIONS.createKey })).toBeFocused();

    // Row menu -> Edit -> Escape: back on the menu's button, not on the page's body.
    const menuButton = page.getByRole("button", { name: `Actions for ${name}` });
    await menuButton.focus();
    await page.keyboard.press("Enter");
    await page.getByRole("menuitem", { name: "Edit" }).press("Enter");
    await expect(keys.dialog).toBeVisible();
    await page.keyboard.press("Escape");
    await expect(keys.dialog).toBeHidden();
    await expect(menuButton).toBeFocused();

    // Row menu -> Revoke -> Cancel: the same.
    await page.keyboard.press("Enter");
    await page.getByRole("menuitem", { name: "Revoke" }).press("Enter");
    await page.getByRole("alertdialog").getByRole("button", { name: "Cancel" }).press("Enter");
    await expect(page.getByRole("alertdialog")).toBeHidden();
    await expect(menuButton).toBeFocused();
  });

  test("in the Restricted grid, arrow keys choose a level as they move, like the access cards", async ({ page, keys }) => {
    await keys.openCreate();
    await keys.dialog.getByLabel("Key name").fill("arrow keys");
    await keys.dialog.getByRole("radio", { name: /^Restricted/ }).check();
    const group = keys.dialog.getByRole("radiogroup", { name: "API keys" });
    const none = group.getByRole("radio", { name: "None" });
    await none.focus();
    await expect(none).toBeChecked();
    await page.keyboard.press("ArrowRight");
    await expect(group.getByRole("radio", { name: "Read" })).toBeFocused();
    await expect(group.getByRole("radio", { name: "Read" })).toBeChecked();
    await page.keyboard.press("ArrowRight");
    await expect(group.getByRole("radio", { name: "Write" })).toBeChecked();
    await page.keyboard.press("ArrowLeft");
    await expect(group.getByRole("radio", { name: "Read" })).toBeChecked();
    // What the arrows chose is what the key gets.
    await keys.submitCreate();
    await expect(keys.dialog.getByLabel("Your new API key")).toBeVisible();
    await keys.copyAndClose();
    await expect(keys.row("arrow keys")).toContainText(/Restricted|keys:read/);
  });

  test("after a server-side error, focus goes to the field in error", async ({ page, keys }) => {
    const name = `taken ${Date.now()}`;
    await keys.create({ name });
    await page.context().grantPermissions(["clipboard-read", "clipboard-write"]);
    await keys.copyAndClose();
    await keys.openCreate();
    await keys.dialog.getByLabel("Key name").fill(name);
    // Move focus away from the field, then submit: only the server knows the name is taken.
    await keys.dialog.getByRole("button", { name: "Generate" }).focus();
    await page.keyboard.press("Enter");
    const field = keys.dialog.getByLabel("Key name");
    await expect(field).toHaveAttribute("aria-invalid", "true");
    await expect(field).toBeFocused();
  });

  for (const scheme of ["light", "dark"] as const) {
    test(`focus rings are solid and stand out from the page (${scheme})`, async ({ page, keys }) => {
      void keys; // a signed-in user on the API Keys page
      await page.emulateMedia({ colorScheme: scheme });
      await page.goto("/settings/api-keys");
      const targets = [page.getByRole("button", { name: ACTIONS.createKey }).first(), page.getByRole("link", { name: "API reference" })];
      for (const target of targets) {
        await tabTo(page, target);
        // Buttons animate their ring in (transition-all): wait for it to settle, then judge it.
        const what = await target.evaluate((el) => el.outerHTML.slice(0, 80));
        await expect
          .poll(async () => {
            const ring = await focusRing(page);
            return ring && ring.alpha === 255 && ring.width >= 2 && ring.contrast >= 3 ? "solid, 2 px or more, 3:1 or more" : JSON.stringify(ring);
          }, { message: what })
          .toBe("solid, 2 px or more, 3:1 or more");
      }
    });
  }
});
