import { randomUUID } from "node:crypto";
import type { Page } from "@playwright/test";
import { ADMIN, expect, newUser, signIn, signUp, test } from "./support/fixtures";

async function attemptSignIn(page: Page, email: string, password: string) {
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
}

/** RFC 4180 CSV (every cell quoted, as the exports write it) -> rows of cells. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  for (const match of text.matchAll(/"((?:[^"]|"")*)"(,|\r\n)/g)) {
    row.push(match[1]!.replace(/""/g, '"'));
    if (match[2] === "\r\n") {
      rows.push(row);
      row = [];
    }
  }
  return rows;
}

test.describe("security events", () => {
  test("a wrong password, then the right one: both in the audit log and its CSV, and in the user's Activity", async ({ browser, page }) => {
    const user = newUser("signin");
    const userPage = await (await browser.newContext()).newPage();
    await signUp(userPage, user);
    await userPage.context().clearCookies();
    await attemptSignIn(userPage, user.email, "not the password at all");
    await expect(userPage.getByText("Email or password is incorrect")).toBeVisible();
    const stranger = `Nobody-${randomUUID()}@Example.test`;
    await attemptSignIn(userPage, `  ${stranger} `, "whatever password 123");
    await expect(userPage.getByText("Email or password is incorrect")).toBeVisible();
    await signIn(userPage, user);

    await signIn(page, ADMIN);
    await page.goto("/admin/audit");
    const filters = page.getByRole("search", { name: "Filter events" });
    const today = new Date().toISOString().slice(0, 10);
    await filters.getByLabel("Actor", { exact: true }).fill(user.email);
    await filters.getByLabel("Action").selectOption("user.signed_up");
    await filters.getByLabel("From", { exact: true }).fill(today);
    await filters.getByLabel("To", { exact: true }).fill(today);
    await filters.getByRole("button", { name: "Apply filters" }).click();
    const events = page.getByRole("table", { name: "Audit events" });
    await expect(events.getByRole("row")).toHaveCount(2);
    await expect(events.getByRole("row").nth(1)).toContainText(`${user.email} signed up`);
    // The account's id, from the export, filters the log to everything that happened to it.
    const signUps = parseCsv(await (await page.request.get(`/admin/audit/export?actor=${encodeURIComponent(user.email)}&action=user.signed_up`)).text());
    const userId = signUps[1]![signUps[0]!.indexOf("target_id")]!;
    expect(userId).toMatch(/^[0-9a-f-]{36}$/);
    await page.goto(`/admin/audit?target=${userId}`);
    await expect(events.getByRole("row", { name: /A sign-in failed: wrong password/ })).toBeVisible();
    await expect(events.getByRole("row", { name: new RegExp(`${user.email.replace(/[.+]/g, "\\$&")} signed in`) }).first()).toBeVisible();

    const csv = parseCsv(await (await page.request.get(`/admin/audit/export?target=${userId}`)).text());
    const [header, ...rows] = csv;
    const col = (row: string[], name: string) => row[header!.indexOf(name)]!;
    const failed = rows.filter((r) => col(r, "action") === "user.sign_in_failed");
    expect(failed).toHaveLength(1);
    // Nobody was signed in: no actor. The account is the target; the attempted email is kept.
    expect(col(failed[0]!, "actor_email")).toBe("");
    expect(JSON.parse(col(failed[0]!, "metadata"))).toEqual({ reason: "wrong_password", email: user.email });
    expect(col(failed[0]!, "ip")).not.toBe("");
    const signedIn = rows.filter((r) => col(r, "action") === "user.signed_in");
    expect(signedIn.length).toBeGreaterThanOrEqual(2); // at sign-up and just now
    expect(col(signedIn[0]!, "actor_email")).toBe(user.email);
    expect(Date.parse(col(failed[0]!, "created_at"))).toBeLessThan(Date.parse(col(signedIn[0]!, "created_at")));

    // An unknown address has no account to target, but the attempt and the address are recorded.
    const unknown = parseCsv(await (await page.request.get(`/admin/audit/export?action=user.sign_in_failed&from=${today}`)).text());
    const attempt = unknown.find((r) => r.some((cell) => cell.includes(stranger.toLowerCase())));
    expect(attempt, "failed sign-in with an unknown email").toBeTruthy();
    expect(JSON.parse(col(attempt!, "metadata"))).toEqual({ reason: "unknown_email", email: stranger.toLowerCase() });
    expect(col(attempt!, "target_id")).toBe("");

    // The actor link filters by the exact email.
    await page.goto(`/admin/audit?target=${userId}&action=user.signed_in`);
    await events.getByRole("link", { name: user.email, exact: true }).first().click();
    await expect(page).toHaveURL(new RegExp(`actor=${encodeURIComponent(user.email).replace(/\./g, "\\.")}$`));
    await expect(events.getByRole("row").nth(1)).toContainText(user.email);

    // The user sees the failed attempt on their account in their own Activity.
    await userPage.goto("/settings/activity");
    const activity = userPage.getByRole("table", { name: "Audit events" });
    await expect(activity.getByRole("row", { name: /A sign-in failed: wrong password/ })).toBeVisible();
    await expect(activity).not.toContainText(stranger.toLowerCase());
  });

  test("each user sees their own activity", async ({ page, keys }) => {
    await page.context().grantPermissions(["clipboard-read", "clipboard-write"]);
    await keys.create({ name: "activity key" });
    await keys.copyAndClose();
    await page.getByRole("link", { name: "Activity", exact: true }).click();
    const table = page.getByRole("table", { name: "Audit events" });
    await expect(table).toContainText("You created activity key with full access");
    await expect(table).toContainText("You signed up");
    await expect(table).not.toContainText("api_key.");
    // The key's name links to its page; the browser is named in a few words.
    const created = table.getByRole("row", { name: /You created activity key/ });
    await expect(created.getByRole("link", { name: "activity key" })).toHaveAttribute("href", /^\/settings\/api-keys\/[0-9a-f-]{36}$/);
    await expect(created).toContainText("Chrome on Linux");
    await expect(table).not.toContainText(ADMIN.email);
  });
});
