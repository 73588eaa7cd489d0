// Layout that holds with the longest text the forms allow: on a phone (375 px) and a desktop
// (1280 px), no page scrolls sideways, the primary button stays in view, and a dialog opens inside
// the screen. Names without spaces are the worst case: nothing can wrap at a space.
import type { Page } from "@playwright/test";
import { ApiKeysPage } from "./support/api-keys-page";
import { DAY } from "./support/clock";
import { ADMIN, expect, newUser, signIn, signUp, test } from "./support/fixtures";
import { ACTIONS } from "../lib/glossary";

const WIDTHS = [375, 1280] as const;
const longName = (n: number) => `Production-backend-service-for-the-payments-team-eu-west-${String(n).padStart(7, "0")}`.slice(0, 64);
const DESCRIPTION = `${"Used by the nightly reconciliation job that pulls settlement reports from every acquirer, ".repeat(2)}${"x".repeat(100)}`.slice(0, 280);
/** A long address the forms take (a 64-character local part, the most an address may have). */
const LONG_EMAIL = `${"invited-colleague-from-the-payments-platform-team-".padEnd(64, "q")}@${"subdomain-of-a-very-long-organisation-name".padEnd(60, "r")}.example.test`;
const REASON = `Leaked in a public repository: ${"https://example.test/".repeat(4)}${"y".repeat(120)}`.slice(0, 200);

async function expectNoSideScroll(page: Page, where: string) {
  const { scrollWidth, innerWidth, culprits } = await page.evaluate(() => {
    // The innermost elements that stick out, so a failure says what to fix.
    const out = [...document.body.querySelectorAll("*")].filter((e) => e.getBoundingClientRect().right > window.innerWidth + 0.5);
    const innermost = out.filter((e) => !out.some((o) => o !== e && e.contains(o)));
    const describe = (e: Element) => `<${e.tagName.toLowerCase()} class="${(e.getAttribute("class") ?? "").slice(0, 60)}"> ${Math.round(e.getBoundingClientRect().right)}px`;
    return { scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth, culprits: innermost.slice(0, 4).map(describe) };
  });
  expect(scrollWidth, `${where}: the page is ${scrollWidth} px wide in a ${innerWidth} px window: ${culprits.join("; ")}`).toBeLessThanOrEqual(innerWidth);
}

/** With SCREENSHOTS_DIR set, each page at each width in light and dark, to look at (never committed). */
async function screenshot(page: Page, path: string, width: number) {
  const dir = process.env.SCREENSHOTS_DIR;
  if (!dir) return;
  const name = path.replace(/\?.*$/, "").replace(/[^a-z0-9]+/gi, "-").replace(/^-|-$/g, "") || "home";
  for (const scheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.waitForTimeout(400); // let colour transitions finish, or buttons look half-faded
    await page.screenshot({ path: `${dir}/${name}-${width}-${scheme}.png`, fullPage: true });
  }
  await page.emulateMedia({ colorScheme: null });
}

/** On a desktop no table hides its last columns (Status, Expires) behind a scroll of its own. */
async function expectNoTableScroll(page: Page, where: string) {
  const scrolling = await page.locator('[data-slot="table-container"]').evaluateAll((boxes) => boxes.filter((b) => b.scrollWidth > b.clientWidth + 1).map((b) => `${b.scrollWidth} in ${b.clientWidth} px`));
  expect(scrolling, `${where} at 1280 px: a table scrolls sideways`).toEqual([]);
}

async function expectInView(page: Page, locator: ReturnType<Page["locator"]>, where: string) {
  const box = await locator.boundingBox();
  const width = page.viewportSize()!.width;
  expect(box, `${where}: not rendered`).not.toBeNull();
  expect(box!.x, `${where}: starts off screen`).toBeGreaterThanOrEqual(0);
  expect(box!.x + box!.width, `${where}: ends ${Math.round(box!.x + box!.width - width)} px off screen`).toBeLessThanOrEqual(width + 0.5);
}

test("every page holds at 375 and 1280 px with the longest names, descriptions and reasons", async ({ browser }) => {
  test.setTimeout(180_000);
  const context = await browser.newContext();
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  const page = await context.newPage();
  const owner = { ...newUser("layout"), name: `Maximiliana-Alexandrovna-Konstantinopoulou-Featherstonehaugh-${"z".repeat(18)}`.slice(0, 80) };
  await signUp(page, owner);
  const keys = new ApiKeysPage(page);
  // The third expires at the end of tomorrow: within 3 days, so the attention banner shows (a new
  // 7-day key is no longer flagged, lib/keys/status.ts) and its layout is checked too.
  const tomorrow = new Date(Date.now() + DAY).toISOString().slice(0, 10);
  for (let i = 1; i <= 3; i++) {
    await keys.create({ name: longName(i), description: DESCRIPTION, ...(i === 3 ? { expiration: "custom", customDate: tomorrow } : { expiration: "30" }) });
    await keys.copyAndClose();
  }
  await expect(page.getByRole("region", { name: "Keys that need attention" })).toContainText(longName(3));
  await keys.revoke(longName(1));
  await expect(page.getByText("Revoked", { exact: true }).first()).toBeVisible();

  // An administrator revokes the second with the longest reason the form takes.
  const adminContext = await browser.newContext();
  const admin = await adminContext.newPage();
  await signIn(admin, ADMIN);
  await admin.goto(`/admin/keys?${new URLSearchParams({ owner: owner.email })}`);
  await admin.getByRole("checkbox", { name: new RegExp(`^Select ${longName(2)}`) }).check();
  await admin.getByRole("button", { name: "Revoke selected (1)" }).click();
  await admin.getByLabel("Reason").fill(REASON);
  await admin.getByRole("button", { name: "Revoke keys" }).click();
  await expect(admin.getByText("1 key revoked")).toBeVisible();

  await page.goto("/settings/api-keys");
  // The key page of the one an administrator revoked: the longest reason is shown there in full.
  const detail = await page.locator("tr[data-key-id]").filter({ hasText: longName(2) }).getAttribute("data-key-id");
  const ownerPages = ["/settings/api-keys", `/settings/api-keys/${detail}`, "/settings/activity", "/settings/profile", "/docs/api"];
  const adminPages = ["/admin", `/admin/keys?${new URLSearchParams({ owner: owner.email })}`, "/admin/users", `/admin/users?${new URLSearchParams({ q: owner.email })}`, "/admin/audit", "/admin/settings", "/admin/jobs"];

  // An invitation to the longest address (the shared server does not mail: the link is shown once).
  await admin.goto("/admin/users");
  await admin.getByRole("button", { name: "Invite someone" }).click();
  await admin.getByRole("dialog").getByLabel("Email").fill(LONG_EMAIL);
  await admin.getByRole("dialog").getByRole("button", { name: "Create link" }).click();
  const inviteLink = await admin.getByRole("dialog").getByRole("textbox", { name: "Invitation link" }).inputValue();
  await admin.getByRole("dialog").getByRole("button", { name: "Done" }).click();

  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: 900 });
    await admin.setViewportSize({ width, height: 900 });
    for (const path of ownerPages) {
      await page.goto(path);
      await expectNoSideScroll(page, `${path} at ${width} px`);
      if (width === 1280) await expectNoTableScroll(page, path);
      await screenshot(page, path, width);
    }
    for (const path of adminPages) {
      await admin.goto(path);
      await expectNoSideScroll(admin, `${path} (admin) at ${width} px`);
      if (width === 1280) await expectNoTableScroll(admin, `${path} (admin)`);
      await screenshot(admin, path, width);
    }
    // A user's actions are in reach at every width (cards on a phone), and their confirmation fits.
    await admin.goto(`/admin/users?${new URLSearchParams({ q: owner.email })}`);
    for (const label of ["Make admin", "Sign out everywhere", "Suspend", "Delete"]) {
      await expectInView(admin, admin.getByRole("button", { name: `${label}: ${owner.email}` }), `${label} at ${width} px`);
    }
    await admin.getByRole("button", { name: `Delete: ${owner.email}` }).click();
    await expectInView(admin, admin.getByRole("alertdialog"), `the Delete user dialog at ${width} px`);
    await expectNoSideScroll(admin, `the Delete user dialog at ${width} px`);
    await screenshot(admin, "/admin/users delete dialog", width);
    await admin.getByRole("alertdialog").getByRole("button", { name: "Cancel" }).click();
    // The pending invitation's Revoke is in reach, and the Invite dialog (form and link) fits.
    await admin.goto("/admin/users");
    await expectInView(admin, admin.getByRole("button", { name: `Revoke invitation: ${LONG_EMAIL}` }), `Revoke invitation at ${width} px`);
    await admin.getByRole("button", { name: "Invite someone" }).click();
    await admin.getByRole("dialog").getByLabel("Email").fill(LONG_EMAIL.replace("invited", "another"));
    await expectInView(admin, admin.getByRole("dialog"), `the Invite dialog at ${width} px`);
    await screenshot(admin, "/admin/users invite dialog", width);
    await admin.getByRole("dialog").getByRole("button", { name: "Create link" }).click();
    await expect(admin.getByRole("dialog").getByRole("textbox", { name: "Invitation link" })).toBeVisible();
    await expectInView(admin, admin.getByRole("dialog").getByRole("button", { name: "Copy invitation link" }), `Copy invitation link at ${width} px`);
    await expectNoSideScroll(admin, `the invitation link dialog at ${width} px`);
    await screenshot(admin, "/admin/users invitation link dialog", width);
    await admin.getByRole("dialog").getByRole("button", { name: "Done" }).click();
    await page.goto("/settings/api-keys");
    await expectInView(page, page.getByRole("button", { name: ACTIONS.createKey }).first(), `Create API Key at ${width} px`);
    for (const name of [longName(1), longName(2), longName(3)]) {
      await expectInView(page, page.getByRole("button", { name: `Actions for ${name}` }), `the actions of a key at ${width} px`);
    }
    await keys.openCreate();
    await keys.fillCreate({ name: longName(9), description: DESCRIPTION });
    await expectInView(page, keys.dialog, `the Create dialog at ${width} px`);
    await expectInView(page, keys.dialog.getByRole("button", { name: "Generate" }), `Generate at ${width} px`);
    await expectNoSideScroll(page, `the Create dialog at ${width} px`);
    await screenshot(page, "create-dialog", width);
    await page.keyboard.press("Escape");
    await expect(keys.dialog).toBeHidden();
  }
  // What a visitor sees before signing in, and the page for a wrong address.
  const visitorContext = await browser.newContext();
  const visitor = await visitorContext.newPage();
  for (const width of WIDTHS) {
    await visitor.setViewportSize({ width, height: 900 });
    // "/invite" before another page: the invitation link below then loads a new document. Opened
    // from "/invite" itself it would only change the fragment, which Next.js's router can still
    // overwrite with the URL it loaded with if it has not finished starting (a race under load).
    for (const path of ["/login", "/signup", "/invite", "/no-such-page"]) {
      await visitor.goto(path);
      await expectNoSideScroll(visitor, `${path} (signed out) at ${width} px`);
      await screenshot(visitor, path, width);
    }
    // The page that accepts an invitation, showing the longest invited address.
    await visitor.goto(inviteLink);
    await expect(visitor.getByLabel("Email")).toHaveValue(LONG_EMAIL);
    await expectNoSideScroll(visitor, `/invite with an invitation at ${width} px`);
    await expectInView(visitor, visitor.getByRole("button", { name: "Accept and create account" }), `Accept at ${width} px`);
    await screenshot(visitor, "/invite with an invitation", width);
  }
  await visitorContext.close();
  await adminContext.close();
  await context.close();
});
