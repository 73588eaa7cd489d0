// Who may join, end to end in Chromium. Changing the sign-up mode would break every spec that signs
// people up on the shared server, so that flow runs on a deployment of its own (its own process,
// database and port), which also mails through a real SMTP server on loopback. Inviting without
// mail (a link shown once to the admin) runs on the shared server, whose mode it never changes.
import type { Page } from "@playwright/test";
import pg from "pg";
import { startInbox, type Inbox } from "../test/smtp";
import { ADMIN, expect, newUser, signIn, signUp, test } from "./support/fixtures";
import { rememberSecret } from "./support/secrets";
import { startServer, type RunningServer } from "./support/server";
import { ownDatabase } from "./support/own-database";

const PORT = Number(process.env.E2E_PORT ?? 3210) + 68;
const DIR = ".data-e2e-join";
const INVITE_LINK = /https?:\/\/\S+\/invite#token=ksi_[A-Za-z0-9_-]{43}/;

async function inviteByDialog(page: Page, email: string, role: "Member" | "Admin", submit: string) {
  const opener = page.getByRole("button", { name: "Invite someone" });
  await opener.click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Email").fill(email);
  await dialog.getByLabel("Role").selectOption({ label: role });
  await dialog.getByRole("button", { name: submit }).click();
  return { dialog, opener };
}

async function openInvitation(page: Page, link: string, email: string) {
  await page.goto(link);
  await expect(page.getByRole("heading", { name: "Accept your invitation" })).toBeVisible();
  // The token leaves the address bar (and so history) as soon as the page has read it.
  await expect.poll(() => new URL(page.url()).hash).toBe("");
  // The invited address, shown and not editable.
  await expect(page.getByLabel("Email")).toHaveValue(email);
  await expect(page.getByLabel("Email")).not.toBeEditable();
}

async function accept(page: Page, name: string, password: string) {
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Accept and create account" }).click();
  await expect(page).toHaveURL(/\/settings\/api-keys$/);
}

test.describe("on a deployment of its own, with mail", () => {
  test.describe.configure({ mode: "serial" });
  let server: RunningServer | undefined;
  let inbox: Inbox | undefined;
  let database: Awaited<ReturnType<typeof ownDatabase>> | undefined;
  const base = `http://localhost:${PORT}`;
  const tokens: string[] = [];
  test.beforeAll(async () => {
    database = await ownDatabase(DIR, "keysmith_join");
    inbox = await startInbox();
    server = await startServer(PORT, { ...database.env, SMTP_URL: inbox.url, APP_URL: base, MAIL_FROM: "Keysmith <keysmith@example.test>" });
  });
  test.afterAll(async () => {
    await server?.stop();
    await inbox?.stop();
    if (database?.url) {
      // No row of any table holds an invitation's token (checklist A-01); then the scratch database goes.
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      const tables = await client.query<{ t: string }>("select table_name as t from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'");
      for (const { t } of tables.rows) {
        const text = (await client.query<{ row: string }>(`select x::text as row from "${t}" x`)).rows.map((r) => r.row).join("\n");
        for (const token of tokens) expect(text.includes(token.slice(4, 20)), `${t} holds an invitation token`).toBe(false);
      }
      await client.end();
      await database.drop();
    }
  });

  test("invitation only: a visitor's sign-up is refused, a mailed invitation creates the account with its role once, a revoked one is refused", async ({ browser }) => {
    const admin = await (await browser.newContext()).newPage();
    await signUp(admin, { ...ADMIN, email: "owner@join.example.test" }, base);

    // A visitor has the sign-up form open while the admin closes sign-up to invitations.
    const visitor = await (await browser.newContext()).newPage();
    const stranger = newUser("stranger");
    await visitor.goto(`${base}/signup`);
    await visitor.getByLabel("Name").fill(stranger.name);
    await visitor.getByLabel("Email").fill(stranger.email);
    await visitor.getByLabel("Password").fill(stranger.password);

    await admin.goto(`${base}/admin/settings`);
    // A domain list that is not one is refused with what to fix.
    await admin.getByLabel("Listed email domains only").check();
    await admin.getByLabel("Email domains that may sign up").fill("example.com\nnot a domain");
    await admin.getByRole("button", { name: "Save sign-up" }).click();
    await expect(admin.getByText("“not” is not a domain name").or(admin.getByText(/These are not domain names: “not”/))).toBeVisible();
    await expect(admin.getByLabel("Email domains that may sign up")).toBeFocused();
    await admin.getByLabel("Email domains that may sign up").fill("example.com");
    await admin.getByLabel("Invited people only").check();
    await admin.getByRole("button", { name: "Save sign-up" }).click();
    await expect(admin.getByRole("status").filter({ hasText: "Saved." })).toBeVisible();

    await visitor.getByRole("button", { name: "Create account" }).click();
    await expect(visitor.getByRole("alert").filter({ hasText: "Sign-up here is by invitation only. Ask an administrator for an invitation." })).toBeVisible();
    await visitor.reload();
    await expect(visitor.getByRole("note")).toHaveText("Sign-up here is by invitation only. Ask an administrator for an invitation.");
    await expect(visitor.getByRole("button", { name: "Create account" })).toHaveCount(0);

    // The admin invites a colleague as an administrator: it goes by mail.
    const colleague = newUser("colleague");
    await admin.goto(`${base}/admin/users`);
    await expect(admin.getByText("No pending invitations.")).toBeVisible();
    const { dialog, opener } = await inviteByDialog(admin, colleague.email, "Admin", "Send invitation");
    await expect(dialog.getByRole("heading", { name: `Invitation mailed to ${colleague.email}` })).toBeVisible();
    await dialog.getByRole("button", { name: "Done" }).click();
    await expect(opener).toBeFocused();
    const pending = admin.getByRole("table", { name: "Pending invitations" });
    await expect(pending).toContainText(colleague.email);

    // Already delivered: the invitation is mailed before the admin is answered.
    const mail = await inbox!.waitFor(colleague.email, { since: 0 });
    expect(mail.subject).toBe("You are invited to Keysmith");
    const link = INVITE_LINK.exec(mail.text ?? "")?.[0] ?? "";
    expect(link.startsWith(`${base}/invite#token=ksi_`)).toBe(true);
    const token = link.split("#token=")[1]!;
    tokens.push(token);
    rememberSecret(token);

    const invitee = await (await browser.newContext()).newPage();
    await openInvitation(invitee, link, colleague.email);
    await expect(invitee.getByText("as an administrator")).toBeVisible();
    await accept(invitee, colleague.name, colleague.password);
    // Signed in, as an admin.
    await invitee.goto(`${base}/admin/users`);
    await expect(invitee.getByRole("heading", { name: "Users" })).toBeVisible();
    await expect(invitee.getByRole("table", { name: "Users" })).toContainText(colleague.email);

    // The same link a second time.
    const again = await (await browser.newContext()).newPage();
    await again.goto(link);
    await expect(again.getByRole("heading", { name: "This invitation cannot be used" })).toBeVisible();
    await expect(again.getByText("This invitation is invalid, already used, revoked or expired.")).toBeVisible();

    // A revoked invitation's link is refused.
    const revoked = newUser("revoked");
    await admin.reload();
    await expect(admin.getByText("No pending invitations.")).toBeVisible();
    const second = await inviteByDialog(admin, revoked.email, "Member", "Send invitation");
    await second.dialog.getByRole("button", { name: "Done" }).click();
    const revokedLink = INVITE_LINK.exec((await inbox!.waitFor(revoked.email, { since: 0 })).text ?? "")?.[0] ?? "";
    tokens.push(revokedLink.split("#token=")[1]!);
    rememberSecret(revokedLink.split("#token=")[1]!);
    const revokeButton = pending.getByRole("button", { name: `Revoke invitation: ${revoked.email}` });
    await revokeButton.click();
    await admin.getByRole("alertdialog").getByRole("button", { name: "Revoke invitation" }).click();
    await expect(admin.getByText(`The invitation of ${revoked.email} is revoked`)).toBeVisible();
    await expect(admin.getByText("No pending invitations.")).toBeVisible();
    await again.goto(revokedLink);
    await expect(again.getByRole("heading", { name: "This invitation cannot be used" })).toBeVisible();

    // The audit log tells it in sentences.
    await admin.goto(`${base}/admin/audit`);
    const events = admin.getByRole("table", { name: "Audit events" });
    await expect(events).toContainText("changed who may sign up to: invited people only");
    await expect(events).toContainText(`invited ${colleague.email} to join as an administrator`);
    await expect(events).toContainText("accepted an invitation and joined as an administrator");
    await expect(events).toContainText(`revoked the invitation of ${revoked.email}`);
    await expect(events).not.toContainText("ksi_");
  });
});

test("without mail, the admin copies a link shown once; it creates a member's account and works once", async ({ browser }) => {
  const adminPage = await (await browser.newContext({ permissions: ["clipboard-read", "clipboard-write"] })).newPage();
  await signIn(adminPage, ADMIN);
  await adminPage.goto("/admin/users");
  const member = newUser("invited-member");
  const { dialog, opener } = await inviteByDialog(adminPage, member.email, "Member", "Create link");
  const field = dialog.getByRole("textbox", { name: "Invitation link" });
  await expect(field).toHaveValue(/\/invite#token=ksi_[A-Za-z0-9_-]{43}$/);
  const link = await field.inputValue();
  await dialog.getByRole("button", { name: "Copy invitation link" }).click();
  expect(await adminPage.evaluate(() => navigator.clipboard.readText())).toBe(link);
  await dialog.getByRole("button", { name: "Done" }).click();
  await expect(dialog).toBeHidden();
  await expect(opener).toBeFocused();
  // Shown once: opening the dialog again starts over, without the link.
  await opener.click();
  await expect(dialog.getByRole("textbox", { name: "Invitation link" })).toHaveCount(0);
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(adminPage.getByRole("table", { name: "Pending invitations" })).toContainText(member.email);

  const invitee = await (await browser.newContext()).newPage();
  await openInvitation(invitee, link, member.email);
  await accept(invitee, member.name, member.password);
  // A member: the admin pages are not theirs.
  const admin = await invitee.goto("/admin");
  expect(admin?.status()).toBe(404);
  const again = await (await browser.newContext()).newPage();
  await again.goto(link);
  await expect(again.getByRole("heading", { name: "This invitation cannot be used" })).toBeVisible();
});
