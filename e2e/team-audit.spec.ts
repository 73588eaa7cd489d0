// A team's audit log, usage overview and key page in the browser. The owner builds a team (a
// developer, a viewer; the viewer made a developer and back), the developer creates a team key,
// uses it through /api/v1 and rotates it from the key's own page; the owner reads all of it in the
// team's log as sentences, filters it, and sees the calls counted on the Usage page; the viewer
// reads the key's page without controls; a developer is told the log is for owners and admins; a
// non-member gets 404 on all three. The rules are in lib/commands/team-insights.test.ts; who may
// open what, in the authorization matrix.
import { randomInt, randomUUID } from "node:crypto";
import type { BrowserContext } from "@playwright/test";
import { ApiKeysPage } from "./support/api-keys-page";
import { audit } from "./support/axe";
import { expect, test } from "./support/fixtures";
import { rememberSecret } from "./support/secrets";
import { addMember, memberRow, personIn } from "./support/team-people";

const opened: BrowserContext[] = [];

test.describe("a team's audit log, usage and key page", () => {
  test.describe.configure({ timeout: 360_000 });
  test.afterEach(async () => {
    for (const context of opened.splice(0)) await context.close();
  });

  test("the owner reads the team's events and usage; a developer acts on a key's page, a viewer only reads it; others are kept out", async ({ page, user, browser }) => {
    const name = `Audit team ${randomUUID().slice(0, 6)}`;
    await page.goto("/t/new");
    await page.getByLabel("Team name").fill(name);
    const slug = await page.getByLabel("Address").inputValue();
    await page.getByRole("button", { name: "Create team" }).click();
    await expect(page).toHaveURL(new RegExp(`/t/${slug}/settings/members$`));
    const base = `/t/${slug}/settings`;

    const developer = await personIn(browser, "audit-developer", opened);
    const viewer = await personIn(browser, "audit-viewer", opened);
    const outsider = await personIn(browser, "audit-outsider", opened);
    await addMember(page, developer.user.email, "Developer");
    await addMember(page, viewer.user.email, "Viewer");
    // A role changed, and changed back.
    for (const role of ["Developer", "Viewer"]) {
      await memberRow(page, viewer.user.email).getByLabel(/Role of/).selectOption({ label: role });
      await memberRow(page, viewer.user.email).getByRole("button", { name: /Save role/ }).click();
      await expect(memberRow(page, viewer.user.email).getByLabel(/Role of/)).toHaveValue(role.toLowerCase());
    }

    // The developer creates a team key, uses it three times, then rotates it from the key's page.
    await developer.page.goto(`${base}/api-keys`);
    const keys = new ApiKeysPage(developer.page);
    const keyName = `audited ${randomUUID().slice(0, 6)}`;
    const secret = await keys.create({ name: keyName, access: "Read only" });
    await keys.copyAndClose();
    const me = (key: string) =>
      developer.page.request.get("/api/v1/me", { headers: { Authorization: `Bearer ${key}`, "X-Forwarded-For": `198.19.${randomInt(256)}.${randomInt(1, 255)}` } });
    for (let i = 0; i < 3; i++) expect((await me(secret)).status()).toBe(200);
    await keys.row(keyName).getByRole("link", { name: keyName }).click();
    await expect(developer.page).toHaveURL(new RegExp(`${base}/api-keys/[0-9a-f-]{36}$`));
    const keyUrl = new URL(developer.page.url()).pathname;
    await expect(developer.page).toHaveTitle(`${keyName} · ${name} · API key · Keysmith`);
    await expect(developer.page.getByRole("definition").filter({ hasText: developer.user.email })).toBeVisible();
    const actions = developer.page.getByRole("group", { name: "Key actions" });
    await actions.getByRole("button", { name: "Rotate" }).click();
    await keys.dialog.getByRole("button", { name: "Rotate key" }).click();
    const rotated = keys.dialog.getByLabel("Your new API key");
    await expect(rotated).toBeVisible();
    rememberSecret(await rotated.inputValue());
    await keys.copyAndClose();
    await expect(developer.page.getByRole("region", { name: "Rotations" }).getByRole("listitem")).toHaveCount(1);
    // The developer has no Audit log tab, and the page says whom to ask.
    await expect(developer.page.getByRole("navigation", { name: "Team settings" }).getByRole("link", { name: "Audit log" })).toHaveCount(0);
    await developer.page.goto(`${base}/audit`);
    await expect(developer.page.getByText("Only the team's owners and admins can read its audit log.")).toBeVisible();
    await expect(developer.page.getByRole("table", { name: "Audit events" })).toHaveCount(0);

    // The viewer reads the key's page: its rotation, who created it, and no control.
    await viewer.page.goto(keyUrl);
    await expect(viewer.page.getByRole("heading", { name: keyName })).toBeVisible();
    await expect(viewer.page.getByRole("region", { name: "Rotations" }).getByRole("listitem")).toHaveCount(1);
    await expect(viewer.page.getByRole("definition").filter({ hasText: developer.user.email })).toBeVisible();
    await expect(viewer.page.getByRole("group", { name: "Key actions" })).toHaveCount(0);
    expect(await audit(viewer.page, "team key page, as viewer")).toEqual([]);

    // The owner's log: each change as a sentence, newest first, filterable.
    await page.getByRole("navigation", { name: "Team settings" }).getByRole("link", { name: "Audit log" }).click();
    await expect(page).toHaveURL(new RegExp(`${base}/audit$`));
    const events = page.getByRole("table", { name: "Audit events" });
    const event = (action: string) => events.locator(`tr[data-action="${action}"]`);
    await expect(event("api_key.rotated")).toContainText(keyName);
    await expect(event("api_key.rotated")).toContainText(developer.user.email);
    await expect(event("api_key.created")).toContainText(keyName);
    await expect(event("team.member_added").filter({ hasText: developer.user.email })).toContainText(`added ${developer.user.email} to the team “${name}” as a developer`);
    await expect(event("team.member_role_changed")).toHaveCount(2);
    await expect(event("team.member_role_changed").first()).toContainText(`${user.email} made ${viewer.user.email} a viewer`);
    await expect(event("team.created")).toContainText(`${user.email} created the team “${name}”`);
    await expect(events.locator("tr[data-action]").first()).toHaveAttribute("data-action", "api_key.rotated");
    expect(await audit(page, "team audit log")).toEqual([]);
    await page.getByLabel("Action").selectOption({ label: "Key rotated" });
    await page.getByRole("button", { name: "Apply filters" }).click();
    await expect(page).toHaveURL(/action=api_key\.rotated/);
    await expect(events.locator("tr[data-action]")).toHaveCount(1);
    await page.getByLabel("Action").selectOption({ label: "Any action" });
    await page.getByLabel("Member").selectOption({ value: developer.user.email });
    await page.getByRole("button", { name: "Apply filters" }).click();
    await expect(events.locator("tr[data-action]")).toHaveCount(2);
    // A key's name in the log leads to its page.
    await event("api_key.rotated").getByRole("link", { name: keyName }).click();
    await expect(page).toHaveURL(new RegExp(`${keyUrl}$`));
    await expect(page.getByRole("group", { name: "Key actions" })).toBeVisible();

    // Usage: the three calls, once the batch is written.
    await page.goto(`${base}/usage`);
    await expect
      .poll(async () => {
        await page.reload();
        return page.locator('[data-total="Requests"]').textContent();
      }, { timeout: 30_000 })
      .toBe("3");
    await expect(page.locator('[data-total="Keys"]')).toHaveText("1");
    await expect(page.locator('[data-total="Never used"]')).toHaveText("0");
    await expect(page.getByRole("table", { name: "Busiest keys" }).getByRole("row").filter({ hasText: keyName })).toContainText("3");
    await expect(page.getByRole("figure")).toBeVisible();
    expect(await audit(page, "team usage")).toEqual([]);
    await viewer.page.goto(`${base}/usage`);
    await expect(viewer.page.locator('[data-total="Requests"]')).toHaveText("3");

    // Anyone else: the not-found page, for an existing key too.
    for (const path of [`${base}/audit`, `${base}/usage`, keyUrl]) expect((await outsider.page.goto(path))?.status(), path).toBe(404);
    // A key id of the team under another team's address is not found either.
    const otherSlug = `other-${randomUUID().slice(0, 6)}`;
    await outsider.page.goto("/t/new");
    await outsider.page.getByLabel("Team name").fill("Other team");
    await outsider.page.getByLabel("Address").fill(otherSlug);
    await outsider.page.getByRole("button", { name: "Create team" }).click();
    await expect(outsider.page).toHaveURL(new RegExp(`/t/${otherSlug}/settings/members$`));
    expect((await outsider.page.goto(keyUrl.replace(slug, otherSlug)))?.status()).toBe(404);
  });
});
