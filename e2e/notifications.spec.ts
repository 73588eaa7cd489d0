// Expiry warnings end to end (issue 17): a deployment of its own that mails (a real SMTP server on
// loopback) and runs its background jobs every 300 ms. A key with 30 days to live; the test clock
// moved 23 days on; the job runner's hourly scan finds it, records one notice and mails it once,
// however many scans follow. The bell counts it, the person marks it read, and chooses mails.
import { startInbox, type Inbox } from "../test/smtp";
import { ApiKeysPage } from "./support/api-keys-page";
import { expect, newUser, test } from "./support/fixtures";
import { ownDatabase, type OwnDatabase } from "./support/own-database";
import { startServer, type RunningServer } from "./support/server";
import { signUpByMail } from "./support/sign-up-by-mail";

const PORT = Number(process.env.E2E_PORT ?? 3210) + 86;
const base = `http://localhost:${PORT}`;
const DAY = 24 * 60 * 60 * 1000;

test.describe("on a deployment of its own that mails", () => {
  // One server for this describe, started by the one worker that runs it (a file-level hook would
  // run in every worker that takes a test of this file, and two servers would share one port).
  test.describe.configure({ mode: "serial" });
  let inbox: Inbox | undefined;
  let server: RunningServer | undefined;
  let database: OwnDatabase | undefined;
  test.beforeAll(async () => {
    database = await ownDatabase(".data-e2e-notify", "keysmith_notify");
    inbox = await startInbox();
    server = await startServer(PORT, { ...database.env, SMTP_URL: inbox.url, APP_URL: base, MAIL_FROM: "Keysmith <keysmith@example.test>", JOB_POLL_MS: "300" });
  });
  test.afterAll(async () => {
    await server?.stop();
    await inbox?.stop();
    await database?.drop();
  });

  test("a key a week from expiry: one notice in the bell and one mail, however often the scan runs; read; mail choices kept", async ({ browser }) => {
    test.setTimeout(120_000);
    const context = await browser.newContext({ baseURL: base });
    const page = await context.newPage();
    const user = newUser("notify");
    await signUpByMail(page, user, base, inbox!);
    const keys = new ApiKeysPage(page);
    const name = "Nightly billing export";
    const secret = await keys.create({ name, expiration: "30" });
    await keys.copyAndClose().catch(() => page.getByRole("button", { name: "Done" }).click());

    const main = page.getByRole("navigation", { name: "Main" });
    await page.goto("/settings/notifications");
    await expect(page.getByRole("heading", { name: "Notifications", level: 2 })).toBeVisible();
    await expect(page.getByText("No notifications yet. When a key is about to expire or is revoked by someone else, it shows here.")).toBeVisible();
    await expect(main.getByRole("link", { name: "Notifications", exact: true })).toBeVisible();

    // 23 days and 6 hours later by the test clock, the key has less than 7 days to live. Any request
    // moves the server's background clock: here, the key itself calling the API.
    const since = inbox!.to(user.email).length;
    const later = (days: number) => ({ authorization: `Bearer ${secret}`, "x-test-clock-offset": String(Math.round(days * DAY)) });
    expect((await page.request.get("/api/v1/me", { headers: later(23.25) })).status()).toBe(200);
    // The moved clock may also bring the month's review (mailed too); the expiry warning is the one awaited.
    const expiryMail = async () => {
      for (let seen = since; ; seen++) {
        const next = await inbox!.waitFor(user.email, { since: seen, timeoutMs: 30_000 });
        if (next.subject?.includes("expires in 7 days")) return next;
      }
    };
    const mail = await expiryMail();
    expect(mail.subject).toBe(`Your key “${name}” expires in 7 days`);
    expect(mail.text).toMatch(new RegExp(`${base}/settings/api-keys/[0-9a-f-]{36}`));
    expect(mail.text).toContain(`${base}/settings/notifications`);
    expect(mail.text).not.toContain(secret);
    expect(mail.text).not.toMatch(/ksk_/);

    // Later scans (the clock moved on, still inside the week) tell nobody again.
    expect((await page.request.get("/api/v1/me", { headers: later(23.5) })).status()).toBe(200);
    expect((await page.request.get("/api/v1/me", { headers: later(24) })).status()).toBe(200);
    await page.goto("/admin/jobs");
    await expect(async () => {
      await page.reload();
      const scans = page.getByRole("table", { name: "Background jobs" }).getByRole("row").filter({ hasText: "Look for keys about to expire" });
      // The scan at start, and at least two at the later times (one per hour of the clock it reaches).
      expect(await scans.filter({ hasText: "Done" }).count()).toBeGreaterThanOrEqual(3);
    }).toPass({ timeout: 30_000 });
    expect(inbox!.to(user.email).filter((m) => m.subject?.includes("expires in 7 days"))).toHaveLength(1);

    // The bell counts it (and anything else the moved clock brought, such as a new month's review);
    // the notice links to the key; marking it read takes it off the count, and "Mark all" clears it.
    await page.goto("/settings/api-keys");
    const bell = main.getByRole("link", { name: /^Notifications/ });
    await expect(bell).toHaveAccessibleName(/^Notifications \d+ unread$/);
    const unreadBefore = Number((await bell.textContent())?.match(/\d+/)?.[0]);
    await bell.click();
    await expect(page).toHaveURL(/\/settings\/notifications$/);
    const notices = page.getByRole("list", { name: "Notifications" });
    const sentence = `Your key “${name}” expires in 7 days`;
    const notice = notices.getByRole("listitem").filter({ hasText: sentence });
    await expect(notice).toHaveCount(1);
    await expect(notice).toContainText("Expires");
    await notice.getByRole("button", { name: `Mark as read: ${sentence}` }).click();
    await expect(notice.getByRole("button", { name: `Mark as read: ${sentence}` })).toHaveCount(0);
    await expect(bell).toHaveAccessibleName(unreadBefore === 1 ? "Notifications" : `Notifications ${unreadBefore - 1} unread`);
    if (unreadBefore > 1) await page.getByRole("button", { name: "Mark all as read" }).click();
    await expect(page.getByText("Nothing unread.")).toBeVisible();
    await expect(bell).toHaveAccessibleName("Notifications");
    await notice.getByRole("link", { name: sentence }).click();
    await expect(page).toHaveTitle(`${name} · API key · Keysmith`);

    // Mail choices: every kind is mailed until turned off, and what is saved stays.
    await page.goto("/settings/notifications");
    const weekBefore = page.getByRole("checkbox", { name: "A key expires in 7 days" });
    await expect(weekBefore).toBeChecked();
    await weekBefore.uncheck();
    await page.getByRole("button", { name: "Save" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Your mail choices are saved." })).toBeVisible();
    await page.reload();
    await expect(weekBefore).not.toBeChecked();
    await expect(page.getByRole("checkbox", { name: "A key expires within a day" })).toBeChecked();
    await context.close();
  });
});

test("without mail, the page says notifications are shown here only and offers no choices", async ({ page, user }) => {
  void user; // signed up on the suite's shared server, which sends no mail
  await page.goto("/settings/notifications");
  await expect(page.getByText("This deployment does not send mail (an administrator sets SMTP_URL to turn it on)")).toBeVisible();
  await expect(page.getByRole("checkbox", { name: "A key expires in 7 days" })).toBeDisabled();
  await expect(page.getByRole("button", { name: "Save" })).toBeDisabled();
});
