// A forgotten password, end to end in Chromium: by a mailed link (a real SMTP server on loopback
// receives what the app sends; checklist ), and, where mail is not set up, by a one-time
// link an administrator makes.
import fs from "node:fs";
import type { APIRequestContext } from "@playwright/test";
import { request as playwrightRequest } from "@playwright/test";
import { resetLinkIn, startInbox, type Inbox } from "../test/smtp";
import { actionIds, postAction } from "./security/authz-walker";
import { ADMIN, expect, newUser, signIn, signUp, test } from "./support/fixtures";
import { rememberSecret } from "./support/secrets";
import { startServer, type RunningServer } from "./support/server";
import { serverEnv } from "./support/server-env";
import { signUpByMail } from "./support/sign-up-by-mail";

const PORT = Number(process.env.E2E_PORT ?? 3210) + 67;
const DIR = ".data-e2e-mail";
const NEW_PASSWORD = "a fresh passphrase for spring";

test.describe("with mail", () => {
  // One server and one inbox for both tests: they run in one worker, one after the other.
  test.describe.configure({ mode: "serial" });
  let server: RunningServer | undefined;
  let inbox: Inbox | undefined;
  const base = `http://localhost:${PORT}`;
  test.beforeAll(async () => {
    fs.rmSync(DIR, { recursive: true, force: true });
    inbox = await startInbox();
    server = await startServer(PORT, { ...serverEnv(DIR), SMTP_URL: inbox.url, APP_URL: base, MAIL_FROM: "Keysmith <keysmith@example.test>" });
  });
  test.afterAll(async () => {
    await server?.stop();
    await inbox?.stop();
    // DIR is kept: the secret-hygiene check reads its database after the run (scripts/test.mjs).
  });

  test("a forgotten password is reset from the mailed link, once; the old password and every old session stop working", async ({ browser }) => {
    const user = newUser("reset");
    const signedIn = await browser.newContext();
    const before = await signedIn.newPage();
    await signUpByMail(before, user, base, inbox!);

    const visitor = await browser.newContext();
    const page = await visitor.newPage();
    await page.goto(`${base}/login`);
    await page.getByRole("link", { name: "Forgot your password?" }).click();
    await expect(page.getByRole("heading", { name: "Forgot your password?" })).toBeVisible();
    await page.getByLabel("Email").fill(user.email);
    // Counted before asking: the mail can arrive before the page shows its answer.
    const since = inbox!.to(user.email).length;
    await page.getByRole("button", { name: "Email me a link" }).click();
    await expect(page.getByRole("status")).toContainText(`If an account uses ${user.email}, a link to choose a new password is on its way`);

    const mail = await inbox!.waitFor(user.email, { since });
    expect(mail.from?.text).toContain("keysmith@example.test");
    const link = resetLinkIn(mail);
    expect(link.startsWith(`${base}/reset-password#token=ksr_`)).toBe(true);
    // Mailed: scripts/secret-hygiene.ts checks it is in no response, log, storage or row.
    rememberSecret(link.split("#token=")[1]!);

    await page.goto(link);
    await expect(page.getByRole("heading", { name: "Choose a new password" })).toBeVisible();
    // The token leaves the address bar (and so history) as soon as the page has read it.
    await expect.poll(() => page.url()).toBe(`${base}/reset-password`);
    await page.getByLabel("New password").fill("short");
    await page.getByRole("button", { name: "Set new password" }).click();
    await expect(page.getByText("Use at least 12 characters for your password.")).toBeVisible();
    await page.getByLabel("New password").fill(NEW_PASSWORD);
    await page.getByRole("button", { name: "Set new password" }).click();
    await expect(page).toHaveURL(`${base}/login?reset=done`);
    await expect(page.getByRole("status").filter({ hasText: "Your password is changed" })).toBeVisible();

    // The session from before the reset is over; the old password no longer signs in; the new one does.
    await before.goto(`${base}/settings/api-keys`);
    await expect(before).toHaveURL(/\/login/);
    await page.getByLabel("Email").fill(user.email);
    await page.getByLabel("Password", { exact: true }).fill(user.password);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(page.getByRole("alert").filter({ hasText: "Email or password is incorrect" })).toBeVisible();
    await page.getByLabel("Password", { exact: true }).fill(NEW_PASSWORD);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(page).toHaveURL(`${base}/settings/api-keys`);

    // The same link a second time.
    const again = await (await browser.newContext()).newPage();
    await again.goto(link);
    await again.getByLabel("New password").fill("yet another passphrase");
    await again.getByRole("button", { name: "Set new password" }).click();
    await expect(again.getByRole("alert").filter({ hasText: "This reset link is invalid, already used or expired" })).toBeVisible();
    await expect(again.getByRole("link", { name: "Ask for a new link" })).toBeVisible();
    await Promise.all([signedIn.close(), visitor.close(), again.context().close()]);
  });

  test("an email change is confirmed from the new address; the old one is told; then only the new one signs in", async ({ browser }) => {
    const user = newUser("move");
    const page = await (await browser.newContext()).newPage();
    await signUpByMail(page, user, base, inbox!);
    // Mail to the address so far (its sign-up link, where sign-up is confirmed by mail).
    const mailedBefore = inbox!.to(user.email).length;
    await page.goto(`${base}/settings/profile`);
    const form = page.getByRole("form", { name: "Email" });
    const to = `moved-${user.email}`;
    await form.getByLabel("New email").fill(to);
    await form.getByLabel("Current password").fill("not my password at all");
    await form.getByRole("button", { name: "Send confirmation link" }).click();
    await expect(form.getByText("This is not your current password.")).toBeVisible();
    await expect(form.getByLabel("Current password")).toBeFocused();
    await form.getByLabel("Current password").fill(user.password);
    await form.getByRole("button", { name: "Send confirmation link" }).click();
    await expect(form.getByRole("status").filter({ hasText: "A confirmation link" })).toContainText(`A confirmation link is on its way to ${to}`);

    // Both mails went before the answer: the first mail to the new address, the next one to the old.
    const notice = await inbox!.waitFor(user.email, { since: mailedBefore });
    expect(notice.text).toContain(to);
    const link = /https?:\/\/\S+\/confirm-email#token=kse_[A-Za-z0-9_-]{43}/.exec((await inbox!.waitFor(to, { since: 0 })).text ?? "")![0];
    rememberSecret(link.split("#token=")[1]!);
    const visitor = await (await browser.newContext()).newPage();
    await visitor.goto(link);
    await expect.poll(() => visitor.url()).toBe(`${base}/confirm-email`);
    await visitor.getByRole("button", { name: "Confirm new email" }).click();
    await expect(visitor.getByRole("status")).toContainText(`Your account's email is now ${to}`);

    await page.reload();
    await expect(page.getByRole("form", { name: "Email" })).toContainText(`You sign in with ${to}`);
    // The same link again.
    const again = await (await browser.newContext()).newPage();
    await again.goto(link);
    await again.getByRole("button", { name: "Confirm new email" }).click();
    await expect(again.getByRole("alert").filter({ hasText: "This confirmation link is invalid, already used or expired" })).toBeVisible();

    // Sign-in now takes the new address, and no longer the old one.
    for (const [email, works] of [[user.email, false], [to, true]] as const) {
      await again.goto(`${base}/login`);
      await again.getByLabel("Email").fill(email);
      await again.getByLabel("Password", { exact: true }).fill(user.password);
      await again.getByRole("button", { name: "Sign in", exact: true }).click();
      if (works) await expect(again).toHaveURL(`${base}/settings/api-keys`);
      else await expect(again.getByRole("alert").filter({ hasText: "Email or password is incorrect" })).toBeVisible();
    }
    await Promise.all([page.context().close(), visitor.context().close(), again.context().close()]);
  });

  test("known and unknown addresses get the same answer, byte for byte, in the same time", async ({ browser }) => {
    const user = newUser("enum");
    const page = await browser.newPage();
    await signUpByMail(page, user, base, inbox!);
    await page.context().close();
    const id = actionIds().get("app/(auth)/actions.ts#requestPasswordResetAction")!;
    const request: APIRequestContext = await playwrightRequest.newContext({ baseURL: base });
    const ask = async (email: string, i: number) => {
      const started = performance.now();
      // A distinct client address each time (one trusted proxy hop): the per-address limit is not what is measured.
      const response = await postAction(request, base, id, "/forgot-password", [{ ok: false }, { $form: { email } }], { "X-Forwarded-For": `198.51.100.${i % 250}` });
      const body = await response.text();
      return { status: response.status(), body, ms: performance.now() - started };
    };
    const known: number[] = [];
    const unknown: number[] = [];
    const bodies = new Set<string>();
    for (let i = 0; i < 50; i++) {
      // Interleaved, so drift in the machine's load touches both alike.
      const a = await ask(user.email, i);
      const b = await ask(`nobody-${i}-${user.email}`, i);
      expect([a.status, b.status]).toEqual([200, 200]);
      bodies.add(a.body).add(b.body);
      known.push(a.ms);
      unknown.push(b.ms);
    }
    expect(bodies.size, "the answers differ").toBe(1);
    const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
    const [k, u] = [median(known), median(unknown)];
    // The lookup and the mail run after the answer, so the medians differ by noise only.
    expect(Math.abs(k - u), `medians: known ${k.toFixed(1)} ms, unknown ${u.toFixed(1)} ms`).toBeLessThan(Math.max(15, 0.5 * Math.min(k, u)));
    await request.dispose();
  });
});

test("without mail, the page says to ask an administrator, whose one-time link sets the password once", async ({ browser, page }) => {
  const user = newUser("adminreset");
  await signUp(page, user);
  const visitor = await (await browser.newContext()).newPage();
  await visitor.goto("/forgot-password");
  await expect(visitor.getByText("This Keysmith does not send mail")).toBeVisible();
  await expect(visitor.getByText("in Admin → Users they can make you a one-time reset link")).toBeVisible();

  const adminPage = await (await browser.newContext({ permissions: ["clipboard-read", "clipboard-write"] })).newPage();
  await signIn(adminPage, ADMIN);
  await adminPage.goto(`/admin/users?${new URLSearchParams({ q: user.email })}`);
  const opener = adminPage.getByRole("button", { name: `Reset link: ${user.email}` });
  await opener.click();
  const dialog = adminPage.getByRole("alertdialog");
  await expect(dialog).toContainText(`Make a password reset link for ${user.email}?`);
  await dialog.getByRole("button", { name: "Make link" }).click();
  const field = dialog.getByRole("textbox", { name: "Reset link" });
  await expect(field).toHaveValue(/\/reset-password#token=ksr_[A-Za-z0-9_-]{43}$/);
  const link = await field.inputValue();
  await dialog.getByRole("button", { name: "Copy reset link" }).click();
  expect(await adminPage.evaluate(() => navigator.clipboard.readText())).toBe(link);
  await dialog.getByRole("button", { name: "Done" }).click();
  await expect(dialog).toBeHidden();
  await expect(opener).toBeFocused();
  // Shown once: opening the dialog again starts over, without the link.
  await opener.click();
  await expect(dialog.getByRole("textbox", { name: "Reset link" })).toHaveCount(0);
  await dialog.getByRole("button", { name: "Cancel" }).click();

  await visitor.goto(link);
  await visitor.getByLabel("New password").fill(NEW_PASSWORD);
  await visitor.getByRole("button", { name: "Set new password" }).click();
  await expect(visitor).toHaveURL(/\/login\?reset=done$/);
  await visitor.getByLabel("Email").fill(user.email);
  await visitor.getByLabel("Password", { exact: true }).fill(NEW_PASSWORD);
  await visitor.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(visitor).toHaveURL(/\/settings\/api-keys$/);

  // The audit log says who made the link and who used it, and never shows it.
  await adminPage.goto(`/admin/audit?${new URLSearchParams({ actor: ADMIN.email })}`);
  const events = adminPage.getByRole("table", { name: "Audit events" });
  await expect(events).toContainText(`${ADMIN.email} created a password reset link for ${user.email}`);
  await adminPage.goto(`/admin/audit?${new URLSearchParams({ actor: user.email })}`);
  await expect(events).toContainText(`${user.email} set a new password with a reset link`);
  await expect(events).not.toContainText("ksr_");
});
