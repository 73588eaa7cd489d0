import { expect, newUser, signIn, signUp, test } from "./support/fixtures";
import { PLACES } from "../lib/glossary";

test.describe("accounts", () => {
  test("signed-out visitors are sent to the login page", async ({ page }) => {
    await page.goto("/settings/api-keys");
    await expect(page).toHaveURL(/\/login/);
    await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
  });

  test("sign-up shows clear field errors", async ({ page }) => {
    const taken = newUser("taken");
    await signUp(page, taken);
    await page.context().clearCookies();

    await page.goto("/signup");
    await page.getByLabel("Name").fill("Someone");
    await page.getByLabel("Email").fill("not-an-email");
    await page.getByLabel("Password").fill("short");
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page.locator("#email-error")).toContainText("valid email");
    await expect(page.locator("#password-error")).toContainText("at least 12 characters");
    await expect(page.getByLabel("Email")).toHaveValue("not-an-email");

    await page.getByLabel("Email").fill(taken.email.toUpperCase());
    await page.getByLabel("Password").fill("a long enough passphrase");
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page.locator("#email-error")).toContainText("already exists");
  });

  test("sign in, reach API Keys from the gear and the user menu, sign out", async ({ page }) => {
    const user = newUser("nav");
    await signUp(page, user);
    await page.context().clearCookies();

    await page.goto("/login");
    await page.getByLabel("Email").fill(user.email);
    await page.getByLabel("Password").fill("wrong password entirely");
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(page.getByText("Email or password is incorrect")).toBeVisible();

    await signIn(page, user);
    await page.getByRole("link", { name: "Profile" }).click();
    await expect(page).toHaveURL(/\/settings\/profile$/);
    const main = page.getByRole("navigation", { name: "Main" });
    await expect(main.getByRole("link", { name: "Settings" })).toHaveAttribute("aria-current", "page");
    await main.getByRole("link", { name: PLACES.apiKeys }).click();
    await expect(page).toHaveURL(/\/settings\/api-keys$/);
    await expect(main.getByRole("link", { name: PLACES.apiKeys })).toHaveAttribute("aria-current", "page");
    await expect(main.getByRole("link", { name: "Settings" })).not.toHaveAttribute("aria-current", "page");
    await expect(page.getByRole("navigation", { name: "Settings" }).getByRole("link", { name: PLACES.apiKeys })).toHaveAttribute("aria-current", "page");

    await page.goto("/settings/profile");
    await page.getByRole("button", { name: `Account menu for ${user.name}` }).click();
    await page.getByRole("menuitem", { name: PLACES.apiAccess }).click();
    await expect(page).toHaveURL(/\/settings\/api-keys$/);
    await expect(page.getByRole("heading", { name: PLACES.apiKeys, exact: true })).toBeVisible();

    await page.getByRole("button", { name: `Account menu for ${user.name}` }).click();
    await page.getByRole("menuitem", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/login/);
    await page.goto("/settings/api-keys");
    await expect(page).toHaveURL(/\/login/);
  });
});
