// Teams in the browser: create a team, add two existing accounts (an admin and a viewer), change a
// role, the viewer's read-only list, remove, leave, hand over ownership, and the context switcher
// by keyboard. The rules themselves (admin vs owner, the last owner, concurrent demotions) are in
// lib/commands/teams.test.ts; who may call what, in the authorization matrix.
import { randomUUID } from "node:crypto";
import type { Browser, BrowserContext, Page } from "@playwright/test";
import { audit } from "./support/axe";
import { expect, newUser, signUp, test, type TestUser } from "./support/fixtures";

/** Browser contexts of the other people in a test, closed after it (the hygiene check waits for open ones). */
const opened: BrowserContext[] = [];

async function personIn(browser: Browser, label: string): Promise<{ page: Page; user: TestUser }> {
  const context = await browser.newContext();
  opened.push(context);
  const page = await context.newPage();
  const user = newUser(label);
  await signUp(page, user);
  return { page, user };
}

async function createTeam(page: Page, name: string): Promise<string> {
  await page.goto("/t/new");
  await page.getByLabel("Team name").fill(name);
  const slug = await page.getByLabel("Address").inputValue();
  await page.getByRole("button", { name: "Create team" }).click();
  await expect(page).toHaveURL(new RegExp(`/t/${slug}/settings/members$`));
  return slug;
}

const row = (page: Page, email: string) => page.getByRole("row").filter({ hasText: email });

test.describe("teams and members", () => {
  test.afterEach(async () => {
    for (const context of opened.splice(0)) await context.close();
  });

  test("create, add an admin and a viewer, change a role, viewer reads only, remove, leave, transfer", async ({ page, user, browser }) => {
    // Three people in three browsers through a dozen changes: over a minute on a busy 2-core machine.
    test.setTimeout(150_000);
    const name = `Platform ${randomUUID().slice(0, 6)}`;
    const slug = await createTeam(page, name);
    expect(slug).toBe(name.toLowerCase().replace(" ", "-"));
    await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
    await expect(row(page, user.email)).toContainText("Owner");

    const admin = await personIn(browser, "team-admin");
    const viewer = await personIn(browser, "team-viewer");
    for (const [who, role] of [
      [admin.user, "Admin"],
      [viewer.user, "Viewer"],
    ] as const) {
      await page.getByLabel("Email").fill(who.email);
      await page.getByLabel("Role", { exact: true }).selectOption({ label: role });
      await page.getByRole("button", { name: "Add member" }).click();
      await expect(page.getByRole("status").filter({ hasText: `${who.email} is now a member` })).toBeVisible();
      await expect(row(page, who.email)).toBeVisible();
    }
    // An address with no account: refused, with what to do instead.
    await page.getByLabel("Email").fill(`nobody-${randomUUID()}@example.test`);
    await page.getByRole("button", { name: "Add member" }).click();
    await expect(page.getByText(/must sign up, or be invited by an instance administrator/)).toBeVisible();
    // Already a member: refused.
    await page.getByLabel("Email").fill(viewer.user.email);
    await page.getByRole("button", { name: "Add member" }).click();
    await expect(page.getByText("This person is already a member of the team.")).toBeVisible();

    // The viewer sees the team in the switcher and the list, read-only.
    await viewer.page.goto(`/t/${slug}/settings/members`);
    await expect(viewer.page.getByRole("heading", { level: 1, name })).toBeVisible();
    await expect(row(viewer.page, user.email)).toContainText("Owner");
    await expect(viewer.page.getByRole("combobox")).toHaveCount(0);
    await expect(viewer.page.getByRole("button", { name: /^Remove / })).toHaveCount(0);
    await expect(viewer.page.getByRole("button", { name: "Add member" })).toHaveCount(0);

    // Change the viewer to developer.
    await row(page, viewer.user.email).getByLabel(/Role of/).selectOption({ label: "Developer" });
    await row(page, viewer.user.email).getByRole("button", { name: /Save role/ }).click();
    await expect(page.getByText(`${viewer.user.email} is now developer.`)).toBeVisible();
    await page.reload();
    await expect(row(page, viewer.user.email).getByLabel(/Role of/)).toHaveValue("developer");

    // The admin may not touch the owner (no controls on the owner's row).
    await admin.page.goto(`/t/${slug}/settings/members`);
    await expect(row(admin.page, user.email).getByRole("button", { name: /Remove/ })).toHaveCount(0);
    await expect(row(admin.page, user.email).getByRole("combobox")).toHaveCount(0);

    // Remove the developer (confirmed); they get a 404 afterwards.
    await row(page, viewer.user.email).getByRole("button", { name: `Remove ${viewer.user.email}` }).click();
    await page.getByRole("alertdialog").getByRole("button", { name: "Remove member" }).click();
    await expect(page.getByText(`${viewer.user.email} was removed from the team.`)).toBeVisible();
    await expect(row(page, viewer.user.email)).toHaveCount(0);
    const gone = await viewer.page.goto(`/t/${slug}/settings/members`);
    expect(gone?.status()).toBe(404);

    // The only owner cannot leave.
    await page.getByRole("button", { name: "Leave team" }).click();
    await page.getByRole("alertdialog").getByRole("button", { name: "Leave team" }).click();
    await expect(page.getByText("A team always keeps at least one owner. Make another member an owner first.")).toBeVisible();
    await page.getByRole("alertdialog").getByRole("button", { name: "Cancel" }).click();

    // Hand ownership to the admin, stepping down; then leave.
    await page.getByRole("button", { name: "Transfer ownership" }).click();
    const dialog = page.getByRole("alertdialog");
    await dialog.getByLabel("New owner").selectOption({ label: `${admin.user.name} (${admin.user.email})` });
    await expect(dialog.getByLabel(/Step down to admin/)).toBeChecked();
    await dialog.getByRole("button", { name: "Transfer ownership" }).click();
    await expect(page.getByText(`${admin.user.email} is now an owner; you are an admin.`)).toBeVisible();
    await page.reload();
    await expect(row(page, admin.user.email)).toContainText("Owner");
    await expect(page.getByText("Team · your role: Admin")).toBeVisible();
    await page.getByRole("button", { name: "Leave team" }).click();
    await page.getByRole("alertdialog").getByRole("button", { name: "Leave team" }).click();
    await expect(page).toHaveURL(/\/settings\/api-keys$/);
    expect((await page.goto(`/t/${slug}/settings/members`))?.status()).toBe(404);

    // The new owner deletes the team, typing its address.
    await admin.page.reload();
    await admin.page.getByRole("button", { name: "Delete team" }).click();
    const del = admin.page.getByRole("alertdialog");
    await del.getByLabel(`Type ${slug} to confirm`).fill("wrong");
    await del.getByRole("button", { name: "Delete team" }).click();
    await expect(del.getByText(`Type ${slug} to confirm.`)).toBeVisible();
    await del.getByLabel(`Type ${slug} to confirm`).fill(slug);
    await del.getByRole("button", { name: "Delete team" }).click();
    await expect(admin.page).toHaveURL(/\/settings\/api-keys$/);
    expect((await admin.page.goto(`/t/${slug}/settings/members`))?.status()).toBe(404);
  });

  test("a taken address is refused with what to do", async ({ page, user, browser }) => {
    void user; // signed in
    const slug = await createTeam(page, `Taken ${randomUUID().slice(0, 6)}`);
    const second = await personIn(browser, "second");
    await second.page.goto("/t/new");
    await second.page.getByLabel("Team name").fill("Anything");
    await second.page.getByLabel("Address").fill(slug);
    await second.page.getByRole("button", { name: "Create team" }).click();
    await expect(second.page.getByText("Another team already has this address. Choose another one.")).toBeVisible();
    await expect(second.page.getByLabel("Address")).toHaveValue(slug);
  });

  test("the context switcher: personal, each team, create team, by keyboard", async ({ page, user }) => {
    void user; // signed in
    const a = await createTeam(page, `Alpha ${randomUUID().slice(0, 6)}`);
    const b = await createTeam(page, `Beta ${randomUUID().slice(0, 6)}`);
    await page.goto("/settings/api-keys");
    const trigger = page.getByRole("button", { name: /^Context: Personal/ });
    await expect(trigger).toBeVisible();
    await trigger.focus();
    await page.keyboard.press("Enter");
    const menu = page.getByRole("menu");
    await expect(menu.getByRole("menuitem", { name: "Personal" })).toBeFocused();
    // Down to the first team (Alpha sorts first), Enter opens it.
    await page.keyboard.press("ArrowDown");
    await expect(menu.getByRole("menuitem", { name: new RegExp(`^Alpha`) })).toBeFocused();
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(new RegExp(`/t/${a}/settings/api-keys$`));
    await expect(page.getByRole("button", { name: /^Context: Alpha/ })).toBeVisible();
    // The other team, then back to personal, then Create team.
    await page.getByRole("button", { name: /^Context: Alpha/ }).focus();
    await page.keyboard.press("Enter");
    await page.getByRole("menuitem", { name: /^Beta/ }).focus();
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(new RegExp(`/t/${b}/settings/api-keys$`));
    await page.getByRole("button", { name: /^Context: Beta/ }).focus();
    await page.keyboard.press("Enter");
    await page.keyboard.press("End");
    await expect(page.getByRole("menuitem", { name: "Create team" })).toBeFocused();
    await page.keyboard.press("Escape");
    await expect(page.getByRole("menu")).toHaveCount(0);
    await expect(page.getByRole("button", { name: /^Context: Beta/ })).toBeFocused();
    await page.keyboard.press("Enter");
    await page.getByRole("menuitem", { name: "Personal" }).focus();
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(/\/settings\/api-keys$/);
  });

  test("no serious or critical axe finding on the team pages and dialogs, light or dark", { tag: "@driver-independent" }, async ({ page, user, browser }) => {
    void user;
    test.setTimeout(180_000);
    const findings: string[] = [];
    await page.goto("/t/new");
    findings.push(...(await audit(page, "/t/new")));
    const slug = await createTeam(page, `Axe ${randomUUID().slice(0, 6)}`);
    const member = await personIn(browser, "axe-member");
    await page.getByLabel("Email").fill(member.user.email);
    await page.getByRole("button", { name: "Add member" }).click();
    await expect(row(page, member.user.email)).toBeVisible();
    findings.push(...(await audit(page, "members, as owner")));
    for (const button of ["Transfer ownership", "Leave team", "Delete team", `Remove ${member.user.email}`]) {
      await page.getByRole("button", { name: button }).click();
      await expect(page.getByRole("alertdialog")).toBeVisible();
      findings.push(...(await audit(page, `${button} dialog`)));
      await page.keyboard.press("Escape");
      await expect(page.getByRole("alertdialog")).toBeHidden();
    }
    await page.getByRole("button", { name: /^Context:/ }).click();
    findings.push(...(await audit(page, "context switcher open")));
    await page.keyboard.press("Escape");
    await member.page.goto(`/t/${slug}/settings/members`);
    findings.push(...(await audit(member.page, "members, as developer")));
    expect(findings, findings.join("\n")).toEqual([]);
  });
});
