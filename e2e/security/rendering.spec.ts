import { randomUUID } from "node:crypto";
import type { Page } from "@playwright/test";
import { ApiClient } from "../support/api";
import { ApiKeysPage } from "../support/api-keys-page";
import { ADMIN, PASSWORD, expect, signIn, signUp, test } from "../support/fixtures";

// Names, descriptions and reasons are stored as the text they are (HTML included: refusing it
// would only push people to misspell), so every page that shows them must render them as text.
// Each page is checked three ways: the payload is visible literally, no dialog ever opens, and
// nothing the payloads describe (an <img src=x>, an <svg onload>, a javascript: link, a script)
// exists in the DOM. The base fixture also fails the test on any CSP violation.

const P = {
  img: "<img src=x onerror=alert(1)>",
  script: '"><script>alert(1)</script>',
  jsUrl: "javascript:alert(1)",
  anchor: '<a href="javascript:alert(1)">x</a>',
  svg: "<svg onload=alert(1)>",
  template: "{{constructor.constructor('alert(1)')()}}",
  formula: '=HYPERLINK("http://x")',
} as const;
const REASON = `${P.svg} ${P.script}`;

/** Fails on anything the payloads would have injected, had they been parsed as HTML. */
async function expectInert(page: Page, where: string) {
  const injected = await page.evaluate(() => ({
    imgX: document.querySelectorAll('img[src="x"]').length,
    handlers: [...document.querySelectorAll("*")].filter((el) => [...el.attributes].some((a) => /^on/i.test(a.name))).map((el) => el.outerHTML.slice(0, 80)),
    jsLinks: document.querySelectorAll('a[href^="javascript:" i], [src^="javascript:" i], [action^="javascript:" i]').length,
    svgOnload: document.querySelectorAll("svg[onload]").length,
    // React's own inline scripts carry the data as escaped JSON (self.__next_f); any other with the payload was injected.
    scripts: [...document.scripts].filter((s) => s.textContent?.includes("alert(1)") && !s.textContent.startsWith("(self.__next_f") && !s.textContent.startsWith("self.__next_f")).length,
  }));
  expect(injected, where).toEqual({ imgX: 0, handlers: [], jsLinks: 0, svgOnload: 0, scripts: 0 });
}

async function expectShown(page: Page, text: string, where: string) {
  await expect(page.getByText(text, { exact: false }).filter({ visible: true }).first(), `${where}: ${text}`).toBeVisible();
}

test("HTML, script and formula payloads render as text on every page that shows them", async ({ page, browser }) => {
  test.setTimeout(180_000);
  const dialogs: string[] = [];
  const watch = (p: Page) => p.on("dialog", (d) => {
    dialogs.push(`${p.url()}: ${d.message()}`);
    void d.dismiss();
  });
  watch(page);

  // The owner's own name is a payload too (shown in the user menu, the profile, the admin lists).
  const owner = { name: P.img, email: `render-${randomUUID()}@example.test`, password: PASSWORD };
  await signUp(page, owner);
  const keys = new ApiKeysPage(page);
  await page.context().grantPermissions(["clipboard-read", "clipboard-write"]);
  // One key through the real dialog, with a payload name and description.
  await keys.create({ name: P.script, description: `${P.anchor} ${P.template}` });
  await keys.copyAndClose();
  const root = await keys.create({ name: "root", expiration: "never" });
  await keys.copyAndClose();
  const api = new ApiClient(page.request, "198.18.250.1");
  for (const name of [P.img, P.jsUrl, P.anchor, P.svg, P.template, P.formula]) {
    const res = await api.call("POST", "/keys", { key: root, body: { name, description: `${P.img} ${P.script}`, scopes: ["keys:read"] } });
    expect(res.status, res.text).toBe(201);
    expect(res.body.name).toBe(name);
  }

  // The API Keys list and its dialogs.
  await keys.goto();
  for (const name of Object.values(P)) await expectShown(page, name, "API keys list");
  await expectShown(page, P.template, "API keys list description");
  await expectInert(page, "API keys list");

  await keys.menu(P.script, "Edit");
  await expect(keys.dialog.getByRole("heading", { name: `Edit “${P.script}”` })).toBeVisible();
  await expect(keys.dialog.getByLabel("Key name")).toHaveValue(P.script);
  await expect(keys.dialog.getByLabel("Description")).toHaveValue(`${P.anchor} ${P.template}`);
  await expectInert(page, "edit dialog");
  await page.keyboard.press("Escape");

  await keys.menu(P.svg, "Rotate key");
  await expectShown(page, P.svg, "rotate dialog");
  await expectInert(page, "rotate dialog");
  await page.keyboard.press("Escape");

  await keys.revoke(P.anchor);
  await expect(page.getByText(`“${P.anchor}” was revoked`)).toBeVisible(); // the toast
  await expectInert(page, "revoke toast");

  // The key's own page.
  await keys.menu(P.img, "View details");
  await expect(page.getByRole("heading", { name: P.img })).toBeVisible();
  await expectShown(page, `${P.img} ${P.script}`, "key page description");
  await expectInert(page, "key page");

  // The owner's activity and profile.
  await page.goto("/settings/activity");
  await expectInert(page, "activity");
  await page.goto("/settings/profile");
  await expectShown(page, P.img, "profile");
  await expectInert(page, "profile");

  // The admin: all keys, revoke with a payload reason, the audit log, the users, the CSV exports.
  const adminContext = await browser.newContext();
  const admin = await adminContext.newPage();
  watch(admin);
  await signIn(admin, ADMIN);
  await admin.goto(`/admin/keys?owner=${encodeURIComponent(owner.email)}`);
  for (const name of Object.values(P)) await expectShown(admin, name, "admin keys");
  await expectShown(admin, owner.name, "admin keys owner");
  await expectInert(admin, "admin keys");
  await admin.getByRole("checkbox", { name: `Select ${P.formula} of ${owner.email}` }).check();
  await admin.getByRole("button", { name: "Revoke selected (1)" }).click();
  await admin.getByLabel("Reason").fill(REASON);
  await admin.getByRole("button", { name: "Revoke keys" }).click();
  await expect(admin.getByText("1 key revoked")).toBeVisible();
  await admin.reload();
  await expectShown(admin, REASON, "admin keys revoke reason");
  await expectInert(admin, "admin keys after revoke");

  await admin.goto(`/admin/audit?actor=${encodeURIComponent(owner.email)}`);
  // Key names in the events' sentences are text: the payloads appear as they are.
  for (const text of [P.img, P.svg, P.jsUrl]) await expectShown(admin, text, "audit log");
  await expectInert(admin, "audit log");
  await admin.goto(`/admin/audit?action=api_key.admin_revoked`);
  await expectInert(admin, "audit log (admin revokes)");

  await admin.goto(`/admin/users?q=${encodeURIComponent(owner.email)}`);
  await expectShown(admin, owner.name, "admin users");
  await expectInert(admin, "admin users");

  const keysCsv = await admin.request.get(`/admin/keys/export?owner=${encodeURIComponent(owner.email)}`);
  expect(keysCsv.headers()["content-type"]).toMatch(/^text\/csv/);
  expect(keysCsv.headers()["content-disposition"]).toMatch(/^attachment/);
  const csv = await keysCsv.text();
  for (const text of [P.img, P.jsUrl, P.svg, P.template]) expect(csv, text).toContain(`"${text}"`);
  expect(csv).toContain(`"${P.script.replace(/"/g, '""')}"`);
  // A formula is defused with a leading apostrophe, so a spreadsheet shows it as text.
  expect(csv).toContain(`"'${P.formula.replace(/"/g, '""')}"`);
  expect(csv).not.toContain(`"${P.formula.replace(/"/g, '""')}"`);
  const auditCsv = await admin.request.get(`/admin/audit/export?actor=${encodeURIComponent(owner.email)}`);
  expect(await auditCsv.text()).toContain(P.img);
  await adminContext.close();

  // Back to the owner: the admin's reason is shown as text on the list and the key's page.
  await keys.goto();
  await expectShown(page, REASON, "API keys list revoke reason");
  await expectInert(page, "API keys list after admin revoke");
  await keys.menu(P.formula, "View details");
  await expectShown(page, REASON, "key page revoke reason");
  await expectInert(page, "key page after admin revoke");

  expect(dialogs, "no page opened a dialog").toEqual([]);
});
