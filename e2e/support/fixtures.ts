import { randomUUID } from "node:crypto";
import { type Page } from "@playwright/test";
import { test as base, expect } from "./base";
import { ApiKeysPage } from "./api-keys-page";

export const PASSWORD = "correct horse battery staple";

export type TestUser = { name: string; email: string; password: string };

export function newUser(label = "dev"): TestUser {
  return { name: `Dev ${label}`, email: `${label}-${randomUUID()}@example.test`, password: PASSWORD };
}

/** The deployment's admin, signed up first by e2e/global.setup.ts. */
export const ADMIN: TestUser = { name: "Ada Admin", email: "admin@keysmith.test", password: PASSWORD };

/** Signs up through the form; `base` reaches a second server of the suite (default: the main one). */
export async function signUp(page: Page, user: TestUser, base = "") {
  await page.goto(`${base}/signup`);
  await page.getByLabel("Name").fill(user.name);
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/settings\/api-keys$/);
}

export async function signIn(page: Page, user: TestUser) {
  await page.goto("/login");
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page).toHaveURL(/\/settings\/api-keys$/);
}

/** Each test gets a freshly signed-up user on the API Keys page. */
export const test = base.extend<{ user: TestUser; keys: ApiKeysPage }>({
  user: async ({ page }, provide) => {
    const user = newUser();
    await signUp(page, user);
    await provide(user);
  },
  keys: async ({ page, user }, provide) => {
    void user;
    await provide(new ApiKeysPage(page));
  },
});

export { expect };
