// Issue 17's "done when", on a deployment of its own (its background clock is this file's alone): a key made with a 7-day expiry gets exactly one expiry mail and one
// key.expiring webhook when the test clock reaches its warning (a day before it expires), whatever
// the number of server processes and a restart in between. A deployment of its own with a real SMTP
// server and a real HTTP receiver on loopback (which checks the signature with the secret the
// dialog showed once). On Postgres two processes share the database and both run the job runner;
// the embedded database is one process's, so there it is one process, restarted.
import { startInbox, type Inbox } from "../test/smtp";
import { startReceiver } from "../test/http-receiver";
import { verifyWebhook } from "../lib/webhooks/signing";
import { ApiKeysPage } from "./support/api-keys-page";
import { expect, newUser, test } from "./support/fixtures";
import { ownDatabase, type OwnDatabase } from "./support/own-database";
import { startServer, type RunningServer } from "./support/server";
import { signUpByMail } from "./support/sign-up-by-mail";

const FIRST = Number(process.env.E2E_PORT ?? 3210) + 88;
const SECOND = FIRST + 1;
const base = `http://localhost:${FIRST}`;
const DAY = 24 * 60 * 60 * 1000;
const twoProcesses = !!process.env.E2E_DATABASE_URL;

test.describe("an expiry warning across processes and a restart", () => {
  test.describe.configure({ mode: "serial" });
  let inbox: Inbox | undefined;
  let receiver: Awaited<ReturnType<typeof startReceiver>> | undefined;
  let database: OwnDatabase | undefined;
  const servers = new Map<number, RunningServer>();
  let env: Record<string, string> = {};
  const start = async (port: number) => servers.set(port, await startServer(port, env));
  const stop = async (port: number) => {
    await servers.get(port)?.stop();
    servers.delete(port);
  };

  test.beforeAll(async () => {
    database = await ownDatabase(".data-e2e-expiry", "keysmith_expiry");
    inbox = await startInbox();
    // "/flaky" fails its first four deliveries; everything else is answered 204.
    let flaky = 0;
    receiver = await startReceiver((_n, request) => (request.body.includes("/flaky") && ++flaky <= 4 ? { status: 503, body: `down (${flaky})` } : { status: 204 }));
    env = { ...database.env, SMTP_URL: inbox.url, APP_URL: base, MAIL_FROM: "Keysmith <keysmith@example.test>", JOB_POLL_MS: "300", WEBHOOK_ALLOWED_HOSTS: receiver.hostPort };
    await start(FIRST);
    if (twoProcesses) await start(SECOND);
  });
  test.afterAll(async () => {
    for (const port of [...servers.keys()]) await stop(port);
    await receiver?.stop();
    await inbox?.stop();
    await database?.drop();
  });

  test("one mail and one signed webhook, however many processes scan and after a restart", async ({ browser }) => {
    test.setTimeout(150_000);
    const context = await browser.newContext({ baseURL: base, permissions: ["clipboard-read", "clipboard-write"] });
    const page = await context.newPage();
    const user = newUser("expiry");
    await signUpByMail(page, user, base, inbox!);

    // An endpoint for key.expiring, its secret kept from the dialog that shows it once.
    await page.goto("/settings/webhooks");
    await page.getByRole("button", { name: "Add endpoint" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("Endpoint URL").fill(`http://${receiver!.hostPort}/expiry`);
    for (const box of await dialog.getByRole("checkbox").all()) await box.uncheck();
    await dialog.getByRole("checkbox", { name: /^Key expiring/ }).check();
    await dialog.getByRole("button", { name: "Add endpoint" }).click();
    const secret = await dialog.getByRole("textbox", { name: "Signing secret" }).inputValue();
    await dialog.getByRole("button", { name: "Copy signing secret" }).click();
    await dialog.getByRole("button", { name: "Done" }).click();

    // A key made with a 7-day expiry: no 7-day warning (it was made inside that window); the 1-day one comes.
    const keys = new ApiKeysPage(page);
    await page.goto("/settings/api-keys");
    const name = "Seven-day deploy key";
    const keySecret = await keys.create({ name, expiration: "7" });
    await keys.copyAndClose();

    // 6 days and 4 hours on, through every process: each moves its background clock, and every
    // process's runner may take the hourly scans.
    const ports = [...servers.keys()];
    const at = (days: number) => ({ authorization: `Bearer ${keySecret}`, "x-test-clock-offset": String(Math.round(days * DAY)) });
    const move = async (days: number) => {
      for (const port of [...servers.keys()]) expect((await page.request.get(`http://localhost:${port}/api/v1/me`, { headers: at(days) })).status()).toBe(200);
    };
    await move(6.17);
    await move(6.25);
    const subject = `Your key “${name}” expires within a day`;
    const mails = () => inbox!.to(user.email).filter((m) => m.subject === subject);
    const deliveries = () => receiver!.received.filter((m) => m.body.includes('"key.expiring"'));
    await expect.poll(() => mails().length, { timeout: 30_000 }).toBe(1);
    await expect.poll(() => deliveries().length, { timeout: 30_000 }).toBe(1);

    // The scans done so far, as Admin -> Jobs lists them (the first account is this deployment's admin).
    const scansDone = async () => {
      await page.goto("/admin/jobs");
      return page.getByRole("table", { name: "Background jobs" }).getByRole("row").filter({ hasText: "Look for keys about to expire" }).filter({ hasText: "Done" }).count();
    };
    const before = await scansDone();

    // A restart (the first process; the second, if any, keeps running), then later hours, through every process.
    await stop(FIRST);
    await start(FIRST);
    // Each later hour's scan done before the next move (a runner queues the hour its clock is at when it polls).
    await move(6.5);
    await expect.poll(scansDone, { timeout: 30_000 }).toBeGreaterThanOrEqual(before + 1);
    await move(6.6);
    await expect.poll(scansDone, { timeout: 30_000 }).toBeGreaterThanOrEqual(before + 2);

    expect(mails()).toHaveLength(1);
    expect(deliveries()).toHaveLength(1);
    const [delivery] = deliveries();
    const headers = { id: String(delivery!.headers["webhook-id"]), timestamp: String(delivery!.headers["webhook-timestamp"]), signature: String(delivery!.headers["webhook-signature"]) };
    expect(verifyWebhook(secret, headers, delivery!.body)).toEqual({ ok: true });
    expect(JSON.parse(delivery!.body)).toMatchObject({ type: "key.expiring", data: { key: { name }, warning: "1 day" } });
    expect(delivery!.body).not.toContain(keySecret);
    expect(ports.length).toBe(twoProcesses ? 2 : 1);
    await context.close();
  });

  test("a receiver that fails four times, then answers, gets the event once: five attempts, one webhook-id, each signature valid", async ({ browser }) => {
    test.setTimeout(120_000);
    const context = await browser.newContext({ baseURL: base, permissions: ["clipboard-read", "clipboard-write"] });
    const page = await context.newPage();
    await signUpByMail(page, newUser("flaky"), base, inbox!);
    // A key, to move every process's background clock (the test clock) past each wait; beyond the first test's 6.6 days.
    const keys = new ApiKeysPage(page);
    await page.goto("/settings/api-keys");
    const keySecret = await keys.create({ name: "Clock mover", expiration: "30" });
    await keys.copyAndClose();
    const url = `http://${receiver!.hostPort}/flaky`;
    await page.goto("/settings/webhooks");
    await page.getByRole("button", { name: "Add endpoint" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("Endpoint URL").fill(url);
    await dialog.getByRole("button", { name: "Add endpoint" }).click();
    const secret = await dialog.getByRole("textbox", { name: "Signing secret" }).inputValue();
    await dialog.getByRole("button", { name: "Copy signing secret" }).click();
    await dialog.getByRole("button", { name: "Done" }).click();
    await page.getByRole("link", { name: url }).click();
    await page.getByRole("button", { name: "Send test event" }).click();
    // The waits after failures are 5 s, 30 s, 2 min and 10 min: each step moves the clock a quarter of an hour further.
    const hits = () => receiver!.received.filter((m) => m.body.includes(url));
    await expect.poll(() => hits().length, { timeout: 15_000 }).toBe(1);
    for (let step = 1; step <= 4; step++) {
      const offset = String(7 * DAY + step * 15 * 60_000);
      for (const port of [...servers.keys()]) {
        expect((await page.request.get(`http://localhost:${port}/api/v1/me`, { headers: { authorization: `Bearer ${keySecret}`, "x-test-clock-offset": offset } })).status()).toBe(200);
      }
      await expect.poll(() => hits().length, { timeout: 15_000 }).toBe(step + 1);
    }
    const item = page.getByRole("list", { name: "Deliveries" }).getByRole("listitem").first();
    await expect(async () => {
      await page.reload();
      await expect(item).toContainText("Delivered", { timeout: 1_000 });
    }).toPass({ timeout: 15_000 });
    await expect(item).toContainText("5 attempts");
    expect(hits()).toHaveLength(5);
    expect(new Set(hits().map((m) => m.headers["webhook-id"])).size).toBe(1);
    for (const m of hits()) {
      const headers = { id: String(m.headers["webhook-id"]), timestamp: String(m.headers["webhook-timestamp"]), signature: String(m.headers["webhook-signature"]) };
      expect(verifyWebhook(secret, headers, m.body)).toEqual({ ok: true });
    }
    await context.close();
  });
});
