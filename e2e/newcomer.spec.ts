// Small things a first-time user meets: told they become the admin, one sentence per field error,
// a 404 inside the dashboard that is part of the page (not a second <main>), an icon in the tab.
import fs from "node:fs";
import { expect, newUser, signUp, test } from "./support/fixtures";
import { startServer, type RunningServer } from "./support/server";
import { serverEnv } from "./support/server-env";

const FIRST_PORT = Number(process.env.E2E_PORT ?? 3210) + 65;
const FIRST_DIR = ".data-e2e-first";

test.describe("a deployment with no account yet", () => {
  let server: RunningServer | undefined;
  test.beforeAll(async () => {
    fs.rmSync(FIRST_DIR, { recursive: true, force: true });
    server = await startServer(FIRST_PORT, serverEnv(FIRST_DIR));
  });
  test.afterAll(async () => {
    await server?.stop();
    fs.rmSync(FIRST_DIR, { recursive: true, force: true });
  });

  test("the sign-up page tells the first person they become the administrator, and nobody after", async ({ page }) => {
    const base = `http://localhost:${FIRST_PORT}`;
    await page.goto(`${base}/signup`);
    await expect(page.getByText("You are the first person here")).toBeVisible();
    await signUp(page, newUser("first"), base);
    await page.context().clearCookies();
    await page.goto(`${base}/signup`);
    await expect(page.getByRole("heading", { name: "Create your account" })).toBeVisible();
    await expect(page.getByText("You are the first person here")).toHaveCount(0);
  });
});

test("a field error takes the place of its hint instead of repeating it", async ({ page }) => {
  await page.goto("/signup");
  const hint = page.getByText(/At least \d+ characters\. A passphrase/);
  await expect(hint).toBeVisible();
  await page.getByLabel("Name").fill("Short Password");
  await page.getByLabel("Email").fill(newUser("short").email);
  await page.getByLabel("Password").fill("short");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.locator("#password-error")).toBeVisible();
  await expect(hint).toHaveCount(0);
  await expect(page.getByLabel("Password")).toHaveAttribute("aria-describedby", "password-error");
});

test("a missing page inside the dashboard is part of the page: one <main>, no second full-height frame", async ({ page }) => {
  const user = newUser("lost");
  await signUp(page, user);
  const response = await page.goto("/settings/api-keys/00000000-0000-4000-8000-000000000000");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
  await expect(page.locator("main")).toHaveCount(1);
  await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible(); // the frame is still there
});

test("every page names an icon, and it is served", async ({ page, request }) => {
  await page.goto("/login");
  const href = await page.locator('link[rel="icon"]').first().getAttribute("href");
  expect(href).toBeTruthy();
  const icon = await request.get(href!);
  expect(icon.status()).toBe(200);
  expect(icon.headers()["content-type"]).toContain("image/svg+xml");
});

test("search engines are asked to stay out (public/robots.txt), and no page answers in its place", async ({ request }) => {
  const robots = await request.get("/robots.txt");
  expect(robots.status()).toBe(200);
  expect(robots.headers()["content-type"]).toContain("text/plain");
  expect(await robots.text()).toMatch(/^User-agent: \*\nDisallow: \/$/m);
});
