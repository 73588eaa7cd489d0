// Webhooks through the dashboard (issue 17), on the suite's shared server, whose WEBHOOK_ALLOWED_HOSTS
// lets endpoints use two loopback ports (e2e/support/server-env.ts): a real receiver listens on the
// first and checks each delivery's signature with the secret the dialog showed once; nothing listens
// on the second. Add an endpoint, see its secret once, test it, see the log, send again, change,
// disable, delete; and the URLs it refuses, with words.
import type { Page } from "@playwright/test";
import { verifyWebhook } from "../lib/webhooks/signing";
import { startReceiver } from "../test/http-receiver";
import { ApiKeysPage } from "./support/api-keys-page";
import { audit } from "./support/axe";
import { expect, test } from "./support/fixtures";

const BASE_PORT = Number(process.env.E2E_PORT ?? 3210);
const ANSWERING = BASE_PORT + 91;
const SILENT = BASE_PORT + 92;

async function addEndpoint(page: Page, url: string, options: { description?: string; events?: string[] } = {}) {
  await page.goto("/settings/webhooks");
  await page.getByRole("button", { name: "Add endpoint" }).first().click();
  // The dialog is renamed "Endpoint added" once it shows the secret: found by role alone (it is the only one).
  const dialog = page.getByRole("dialog");
  await expect(dialog).toHaveAccessibleName("Add endpoint");
  await dialog.getByLabel("Endpoint URL").fill(url);
  if (options.description) await dialog.getByLabel("Description (optional)").fill(options.description);
  for (const label of options.events ?? []) await dialog.getByRole("checkbox", { name: new RegExp(`^${label}`) }).check();
  await dialog.getByRole("button", { name: "Add endpoint" }).click();
  return dialog;
}

test.describe("webhooks, with a receiver on loopback", () => {
  // One receiver on a fixed port, started by the one worker that runs this describe.
  test.describe.configure({ mode: "serial" });
  let receiver: Awaited<ReturnType<typeof startReceiver>> | undefined;
  test.beforeAll(async () => {
    // "/huge-answer" answers too much; the rest answer 200.
    receiver = await startReceiver((_n, request) => (request.body.includes("/huge-answer") ? { status: 200, body: "x".repeat(100_000) } : { status: 200, body: "thanks" }), { port: ANSWERING });
  });
  test.afterAll(async () => {
    await receiver?.stop();
  });

  test("an endpoint's secret is shown once; a test event and a key's creation arrive signed; the log shows them; send again; edit, disable, delete", async ({ page, user }) => {
    test.setTimeout(90_000);
    void user;
    await page.context().grantPermissions(["clipboard-read", "clipboard-write"]);
    await page.goto("/settings/webhooks");
    await expect(page.getByText("No endpoints yet.")).toBeVisible();
    const findings = await audit(page, "Webhooks, empty");

    const url = `http://127.0.0.1:${ANSWERING}/hooks/${test.info().testId}`;
    const dialog = await addEndpoint(page, url, { description: "Deploy pipeline", events: ["Key created"] });
    await expect(dialog.getByRole("heading", { name: "Endpoint added" })).toBeVisible();
    findings.push(...(await audit(page, "The new endpoint's secret")));
    const secret = await dialog.getByRole("textbox", { name: "Signing secret" }).inputValue();
    expect(secret).toMatch(/^whsec_/);
    // Closing before copying asks first; after copying, Done closes.
    await dialog.getByRole("button", { name: "Done" }).click();
    await expect(page.getByRole("alertdialog", { name: "Close without copying the signing secret?" })).toBeVisible();
    await page.getByRole("button", { name: "Go back and copy" }).click();
    await dialog.getByRole("button", { name: "Copy signing secret" }).click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);
    await dialog.getByRole("button", { name: "Done" }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByRole("button", { name: "Add endpoint" })).toBeFocused();

    // The list, then the endpoint's page: the secret is nowhere on either.
    const item = page.getByRole("list", { name: "Webhook endpoints" }).getByRole("listitem").filter({ hasText: url });
    await expect(item).toContainText("Enabled");
    await expect(item).toContainText("Deploy pipeline");
    expect(await page.content()).not.toContain(secret);
    await item.getByRole("link", { name: url }).click();
    await expect(page.getByRole("heading", { name: url, level: 2 })).toBeVisible();
    expect(await page.content()).not.toContain(secret);
    await expect(page.getByText("No deliveries yet.")).toBeVisible();

    // A test event: queued, then delivered (the log refreshes itself while one is being sent).
    const mine = () => receiver!.received.filter((m) => m.headers.host === `127.0.0.1:${ANSWERING}` && m.body.includes(url));
    await page.getByRole("button", { name: "Send test event" }).click();
    const log = page.getByRole("list", { name: "Deliveries" });
    await expect(log.getByRole("listitem").filter({ hasText: "webhook.test" })).toContainText("Delivered", { timeout: 20_000 });
    await expect(log.getByRole("listitem").filter({ hasText: "webhook.test" })).toContainText("HTTP 200");
    expect(mine()).toHaveLength(1);
    await log.getByRole("listitem").filter({ hasText: "webhook.test" }).locator("summary").click();
    // The "queued" toast gone first: one caught fading out reads as low contrast.
    await expect(page.locator("[data-sonner-toast]")).toHaveCount(0, { timeout: 15_000 });
    findings.push(...(await audit(page, "An endpoint with a delivery open")));
    await page.goto("/settings/webhooks");
    findings.push(...(await audit(page, "Webhooks, one endpoint")));
    await page.getByRole("button", { name: "Add endpoint" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Add endpoint" }).click();
    await expect(page.getByRole("dialog").getByText("Enter the endpoint's URL.")).toBeVisible();
    findings.push(...(await audit(page, "Add endpoint, with errors")));
    await page.keyboard.press("Escape");
    expect(findings, findings.join("\n")).toEqual([]);

    // A key made in the dashboard: its key.created event arrives, signed, without the key's secret.
    const keys = new ApiKeysPage(page);
    await page.goto("/settings/api-keys");
    const keySecret = await keys.create({ name: "Webhook-watched key", expiration: "30" });
    await page.getByRole("dialog").getByRole("button", { name: "Copy API key" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Done" }).click();
    await expect.poll(() => receiver!.received.filter((m) => m.body.includes("Webhook-watched key")).length, { timeout: 20_000 }).toBe(1);
    const created = receiver!.received.find((m) => m.body.includes("Webhook-watched key"))!;
    const verified = verifyWebhook(secret, { id: String(created.headers["webhook-id"]), timestamp: String(created.headers["webhook-timestamp"]), signature: String(created.headers["webhook-signature"]) }, created.body);
    expect(verified).toEqual({ ok: true });
    expect(created.body).not.toContain(keySecret);
    expect(JSON.parse(created.body)).toMatchObject({ type: "key.created", data: { key: { name: "Webhook-watched key", access: "full" } } });

    // Send a delivery again: the same webhook-id, one more attempt in the log.
    await page.goto("/settings/webhooks");
    await page.getByRole("link", { name: url }).click();
    const testItem = log.getByRole("listitem").filter({ hasText: "webhook.test" });
    await testItem.locator("summary").click();
    await testItem.getByRole("button", { name: "Send again: webhook.test" }).click();
    await expect(testItem).toContainText("2 attempts", { timeout: 20_000 });
    const tests = receiver!.received.filter((m) => m.body.includes('"webhook.test"') && m.body.includes(url));
    expect(tests).toHaveLength(2);
    expect(tests[1]!.headers["webhook-id"]).toBe(tests[0]!.headers["webhook-id"]);

    // Edit: the events change; a refused URL keeps the dialog open with the field's words.
    await page.getByRole("button", { name: "Edit" }).click();
    const edit = page.getByRole("dialog", { name: "Edit endpoint" });
    await edit.getByLabel("Endpoint URL").fill("http://hooks.example.com/in");
    await edit.getByRole("button", { name: "Save" }).click();
    await expect(edit.getByText("Use an https:// URL.")).toBeVisible();
    await expect(edit.getByLabel("Endpoint URL")).toBeFocused();
    await edit.getByLabel("Endpoint URL").fill(url);
    await edit.getByRole("checkbox", { name: /^Key revoked/ }).check();
    await edit.getByRole("button", { name: "Save" }).click();
    await expect(edit).toBeHidden();
    await expect(page.getByText("Key created, Key revoked")).toBeVisible();

    // Disable (asked first), then the test button says why it is off; enable again.
    await page.getByRole("button", { name: "Disable" }).click();
    await page.getByRole("alertdialog", { name: "Disable this endpoint?" }).getByRole("button", { name: "Disable" }).click();
    await expect(page.getByRole("heading", { level: 2 }).locator("..")).toContainText("Disabled");
    await expect(page.getByRole("button", { name: "Send test event" })).toBeDisabled();
    await page.getByRole("button", { name: "Enable" }).click();
    await expect(page.getByRole("button", { name: "Send test event" })).toBeEnabled();

    // Delete, asked first: back to the list, which is empty again.
    await page.getByRole("button", { name: "Delete" }).click();
    await page.getByRole("alertdialog", { name: "Delete this endpoint?" }).getByRole("button", { name: "Delete endpoint" }).click();
    await expect(page).toHaveURL(/\/settings\/webhooks$/);
    await expect(page.getByText("No endpoints yet.")).toBeVisible();
  });

  test("an endpoint nothing answers, and one whose answer is too large: the log says what went wrong, and nothing hangs", async ({ page, user }) => {
    void user;
    await page.context().grantPermissions(["clipboard-read", "clipboard-write"]);
    const silent = `http://127.0.0.1:${SILENT}/nobody-home`;
    const dialog = await addEndpoint(page, silent);
    await dialog.getByRole("button", { name: "Copy signing secret" }).click();
    await dialog.getByRole("button", { name: "Done" }).click();
    await page.getByRole("link", { name: silent }).click();
    await page.getByRole("button", { name: "Send test event" }).click();
    const item = page.getByRole("list", { name: "Deliveries" }).getByRole("listitem").first();
    await expect(item).toContainText("Failed, will retry", { timeout: 20_000 });
    await item.locator("summary").click();
    await expect(item).toContainText("Connection refused: nothing is listening at that address and port.");
    await expect(page.getByRole("status").filter({ hasText: "Deliveries have failed since" })).toBeVisible();

    const huge = `http://127.0.0.1:${ANSWERING}/huge-answer`;
    const second = await addEndpoint(page, huge);
    await second.getByRole("button", { name: "Copy signing secret" }).click();
    await second.getByRole("button", { name: "Done" }).click();
    await page.getByRole("link", { name: huge }).click();
    await page.getByRole("button", { name: "Send test event" }).click();
    const answer = page.getByRole("list", { name: "Deliveries" }).getByRole("listitem").first();
    await expect(answer).toContainText("Failed, will retry", { timeout: 20_000 });
    await answer.locator("summary").click();
    await expect(answer).toContainText("The response was larger than 64 KB. Answer a webhook with a short body.");
  });
});

test("URLs the guard refuses get the field's words, never an error page", async ({ page, user }) => {
  void user;
  const cases: [string, string][] = [
    ["http://hooks.example.com/in", "Use an https:// URL. Plain http is only allowed for hosts the operator lists in WEBHOOK_ALLOWED_HOSTS."],
    ["https://10.0.0.7/in", "That address is private, loopback or link-local. Webhooks are only sent to public addresses."],
    ["https://169.254.169.254/latest/meta-data/", "That address is private, loopback or link-local. Webhooks are only sent to public addresses."],
    ["https://localhost:8443/in", "That address is private, loopback or link-local. Webhooks are only sent to public addresses."],
    ["https://user:secret@hooks.example.com/in", "Leave the user name and password out of the URL"],
    ["https://no-such-host.invalid/in", "The host name no-such-host.invalid does not resolve. Check the URL."],
    [`http://127.0.0.1:${BASE_PORT + 93}/in`, "Use an https:// URL."],
  ];
  for (const [url, words] of cases) {
    const dialog = await addEndpoint(page, url, { events: ["Key created"] });
    await expect(dialog.getByText(words)).toBeVisible();
    await expect(dialog.getByLabel("Endpoint URL")).toHaveAttribute("aria-invalid", "true");
  }
  // No events chosen: said on the events.
  await page.goto("/settings/webhooks");
  await page.getByRole("button", { name: "Add endpoint" }).click();
  const dialog = page.getByRole("dialog", { name: "Add endpoint" });
  await dialog.getByLabel("Endpoint URL").fill(`http://127.0.0.1:${ANSWERING}/none`);
  for (const box of await dialog.getByRole("checkbox").all()) await box.uncheck();
  await dialog.getByRole("button", { name: "Add endpoint" }).click();
  await expect(dialog.getByText("Choose at least one event.")).toBeVisible();
  await page.goto("/settings/webhooks");
  await expect(page.getByText("No endpoints yet.")).toBeVisible();
});
