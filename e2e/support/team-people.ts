import type { Browser, BrowserContext, Page } from "@playwright/test";
import { expect, newUser, signUp, type TestUser } from "./fixtures";

/**
 * Another person in a team test: a fresh account signed up in a browser context of its own. The
 * context goes into `opened`, for the spec to close after the test (the hygiene check waits for open ones).
 */
export async function personIn(browser: Browser, label: string, opened: BrowserContext[]): Promise<{ page: Page; user: TestUser }> {
  const context = await browser.newContext();
  opened.push(context);
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  const page = await context.newPage();
  const user = newUser(label);
  await signUp(page, user);
  return { page, user };
}

/** The row of a member in the Members table. */
export const memberRow = (page: Page, email: string) => page.getByRole("row").filter({ hasText: email });

/** Adds a member through the Members page's form (the page must be open, as an admin or owner). */
export async function addMember(page: Page, email: string, role: "Admin" | "Developer" | "Viewer") {
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Role", { exact: true }).selectOption({ label: role });
  await page.getByRole("button", { name: "Add member" }).click();
  await expect(page.getByRole("status").filter({ hasText: `${email} is now a member` })).toBeVisible();
}
