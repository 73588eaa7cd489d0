// An access review end to end (issue 17), on a deployment of its own (the due date is reached by
// moving its background clock, which on the shared server other specs move too): the administrator
// starts a review of one member's keys; the member is told, confirms one key, revokes another and leaves the
// third; the administrator follows the progress and downloads the report; at the due date (the test
// clock moved past it) the key nobody confirmed is revoked and the report says so.
import fs from "node:fs";
import { ApiKeysPage } from "./support/api-keys-page";
import { audit } from "./support/axe";
import { ADMIN, expect, newUser, signUp, test } from "./support/fixtures";
import { ownDatabase, type OwnDatabase } from "./support/own-database";
import { startServer, type RunningServer } from "./support/server";

const DAY = 24 * 60 * 60 * 1000;
const PORT = Number(process.env.E2E_PORT ?? 3210) + 87;
const base = `http://localhost:${PORT}`;

test.describe("on a deployment of its own", () => {
  test.describe.configure({ mode: "serial" });
  let server: RunningServer | undefined;
  let database: OwnDatabase | undefined;
  test.beforeAll(async () => {
    database = await ownDatabase(".data-e2e-reviews", "keysmith_reviews");
    server = await startServer(PORT, { ...database.env, JOB_POLL_MS: "300" });
  });
  test.afterAll(async () => {
    await server?.stop();
    await database?.drop();
  });

  test("started by an admin, answered by the owner, ended at the due date: revoked, reported and audited", async ({ browser }) => {
    test.setTimeout(120_000);
    // The deployment's first account: its administrator.
    const adminPage = await (await browser.newContext({ baseURL: base })).newPage();
    await signUp(adminPage, ADMIN);
    const member = newUser("reviewed");
    const memberPage = await (await browser.newContext({ baseURL: base })).newPage();
    await signUp(memberPage, member);
    const keys = new ApiKeysPage(memberPage);
    const secrets: Record<string, string> = {};
    for (const name of ["Billing export", "Old CI runner", "Forgotten script"]) {
      secrets[name] = await keys.create({ name, expiration: "30" });
      await keys.copyAndClose();
    }

    // The administrator starts it: the member's keys, revoke what nobody confirms, due tomorrow.
    await adminPage.goto("/admin/reviews");
    const reviewName = `Quarterly review ${member.email}`;
    const form = adminPage.getByRole("form", { name: "Start a review" });
    // Refused with the field's words first: no name.
    await form.getByRole("button", { name: "Start review" }).click();
    await expect(form.getByText("Name the review, e.g. “Q4 production keys”.")).toBeVisible();
    await form.getByLabel("Name").fill(reviewName);
    const tomorrow = new Date(Date.now() + DAY).toISOString().slice(0, 10);
    await form.getByLabel("Due date").fill(tomorrow);
    await form.getByRole("radio", { name: "Revoke the keys nobody confirmed" }).check();
    await form.getByLabel("Owner's email").fill(member.email);
    await form.getByRole("button", { name: "Start review" }).click();
    await expect(form.getByRole("status").filter({ hasText: "Started" })).toContainText(`Started “${reviewName}”: 3 keys to review.`);
    const review = adminPage.getByRole("list", { name: "Reviews" }).getByRole("listitem").filter({ hasText: reviewName });
    await expect(review.getByRole("progressbar")).toHaveAttribute("aria-valuetext", "0 of 3 keys answered");

    // The member is told (the API Keys page and a notice), and answers.
    await memberPage.goto("/settings/api-keys");
    await expect(memberPage.getByRole("status").filter({ hasText: "An access review asks about 3 of your keys." })).toBeVisible();
    await memberPage.getByRole("link", { name: "Review your keys" }).first().click();
    await expect(memberPage).toHaveURL(/\/settings\/reviews$/);
    const list = memberPage.getByRole("list", { name: `Keys to review in ${reviewName}` });
    await expect(list.getByRole("listitem")).toHaveCount(3);
    expect(await audit(memberPage, "Review your keys")).toEqual([]);
    await list.getByRole("button", { name: "Still needed: Billing export" }).click();
    await expect(list.getByRole("listitem")).toHaveCount(2);
    // The answered key leaves the list; focus moves to the next key's answers, not to the page's start.
    await expect(list.getByRole("button", { name: "Still needed: Forgotten script" })).toBeFocused();
    await list.getByRole("button", { name: "Revoke: Old CI runner" }).click();
    await memberPage.getByRole("alertdialog", { name: "Revoke “Old CI runner”?" }).getByRole("button", { name: "Revoke key" }).click();
    await expect(list.getByRole("listitem")).toHaveCount(1);
    expect((await memberPage.request.get("/api/v1/me", { headers: { authorization: `Bearer ${secrets["Old CI runner"]}` } })).status()).toBe(401);
    await memberPage.goto("/settings/notifications");
    await expect(memberPage.getByText(`Review your keys: 3 keys in the access review “${reviewName}”`)).toBeVisible();

    // The administrator follows it: 2 of 3, and the report.
    await adminPage.reload();
    await expect(review.getByRole("progressbar")).toHaveAttribute("aria-valuetext", "2 of 3 keys answered");
    await review.getByRole("link", { name: reviewName }).click();
    await expect(adminPage.getByRole("heading", { name: reviewName })).toBeVisible();
    expect(await audit(adminPage, "An access review")).toEqual([]);
    const download = adminPage.waitForEvent("download");
    await adminPage.getByRole("link", { name: "Download the report (CSV)" }).click();
    const report = fs.readFileSync((await (await download).path())!, "utf8");
    expect(report).toContain('"Billing export"');
    expect(report).toMatch(/"Billing export".*"Confirmed still needed","[^"]*reviewed[^"]*@example\.test"/);
    expect(report).toMatch(/"Old CI runner".*"Revoked by its owner"/);
    expect(report).toMatch(/"Forgotten script".*"Waiting for its owner"/);

    // Two days on by the test clock (a request moves the server's background clock): the hourly scan ends it.
    expect((await memberPage.request.get("/api/v1/me", { headers: { authorization: `Bearer ${secrets["Billing export"]}`, "x-test-clock-offset": String(2 * DAY) } })).status()).toBe(200);
    await expect(async () => {
      await adminPage.reload();
      await expect(adminPage.getByRole("heading", { name: reviewName }).locator("..")).toContainText("Ended", { timeout: 1_000 });
    }).toPass({ timeout: 30_000 });
    await expect(adminPage.getByRole("row").filter({ hasText: "Forgotten script" })).toContainText("Revoked at the due date");
    expect((await memberPage.request.get("/api/v1/me", { headers: { authorization: `Bearer ${secrets["Forgotten script"]}` } })).status()).toBe(401);
    expect((await memberPage.request.get("/api/v1/me", { headers: { authorization: `Bearer ${secrets["Billing export"]}` } })).status()).toBe(200);
    await memberPage.goto("/settings/reviews");
    await expect(memberPage.getByText("Nothing to review.")).toBeVisible();

    // Audited: the start and the end.
    await adminPage.goto("/admin/audit");
    await expect(adminPage.getByText(`started the access review “${reviewName}” of 3 keys`).first()).toBeVisible();
  });
});
