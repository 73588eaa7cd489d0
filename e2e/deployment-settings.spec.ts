import { generateKey } from "../lib/keys/format";
import { ApiKeysPage } from "./support/api-keys-page";
import { expect, newUser, test } from "./support/fixtures";
import { withinOneMinuteWindow } from "./support/api";
import { startServer, type RunningServer } from "./support/server";
import { serverEnv } from "./support/server-env";

// A second deployment of the same build, configured differently from the main test server:
// served directly (no proxy in front) and with a maximum key lifetime of 90 days.
const PORT = Number(process.env.E2E_PORT ?? 3210) + 60;
const BASE = `http://localhost:${PORT}`;

test.describe("a deployment served directly, with a 90-day maximum key lifetime", () => {
  test.describe.configure({ mode: "serial" });
  let server: RunningServer | undefined;

  test.beforeAll(async () => {
    server = await startServer(PORT, { ...serverEnv(".data-e2e-direct"), TRUSTED_PROXY_HOPS: "0", KEY_MAX_LIFETIME_DAYS: "90", LOGIN_FAILURES_PER_IP: "5" });
  });
  test.afterAll(() => server?.stop());

  // server.mjs replaces X-Forwarded-For with the socket address when no proxy is trusted.
  test("invented X-Forwarded-For addresses do not reset the failed-authentication limit", async ({ playwright }) => {
    await withinOneMinuteWindow();
    const client = await playwright.request.newContext({ baseURL: `http://localhost:${PORT}` });
    const statuses: number[] = [];
    for (let i = 0; i < 24; i++) {
      const res = await client.get("/api/v1/me", {
        headers: { Authorization: `Bearer ${generateKey()}`, "X-Forwarded-For": `192.0.2.${i + 1}` },
        failOnStatusCode: false,
      });
      statuses.push(res.status());
    }
    expect(statuses.slice(0, 20)).toEqual(Array(20).fill(401));
    expect(statuses.slice(20)).toEqual(Array(4).fill(429));
    await client.dispose();
  });

  test("keys cannot be made to live longer than the maximum, from the dashboard", async ({ page }) => {
    const user = newUser("policy");
    await page.goto(`${BASE}/signup`);
    await page.getByLabel("Name").fill(user.name);
    await page.getByLabel("Email").fill(user.email);
    await page.getByLabel("Password").fill(user.password);
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page).toHaveURL(/\/settings\/api-keys$/);
    const keys = new ApiKeysPage(page);
    await keys.openCreate();
    const options = await keys.dialog.getByLabel("Expiration").locator("option").allTextContents();
    expect(options).toContain("90 days");
    expect(options).not.toContain("No expiration");
    await expect(keys.dialog).toContainText("at most 90 days");

    const tooFar = new Date(Date.now() + 120 * 86_400_000).toISOString().slice(0, 10);
    await keys.fillCreate({ name: "long", expiration: "custom", customDate: tooFar });
    await keys.submitCreate();
    await expect(keys.dialog.locator("#customDate-error")).toContainText("within 90 days");
    // Forcing the hidden "never" choice is refused by the server too.
    await keys.dialog.getByLabel("Expiration").evaluate((select: HTMLSelectElement) => {
      select.add(new Option("never", "never"));
      select.value = "never";
    });
    await keys.submitCreate();
    await expect(keys.dialog.locator("#expiration-error")).toContainText("Keys must expire");
    await keys.dialog.getByLabel("Expiration").selectOption("90");
    await keys.submitCreate();
    await expect(keys.dialog.getByLabel("Your new API key")).toBeVisible();
  });

  test("an address that keeps failing to sign in, across accounts, is told to wait", async ({ playwright, page }) => {
    const client = await playwright.request.newContext({ baseURL: BASE });
    for (let i = 0; i < 5; i++) {
      const csrf = await (await client.get("/api/auth/csrf")).json();
      await client.post("/api/auth/callback/credentials", {
        form: { csrfToken: csrf.csrfToken, email: `spray-${i}-${Date.now()}@example.test`, password: "password spraying" },
        maxRedirects: 0,
      });
    }
    await client.dispose();
    await page.goto(`${BASE}/login`);
    await page.getByLabel("Email").fill(`someone-${Date.now()}@example.test`);
    await page.getByLabel("Password").fill("any password at all");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByText("Too many failed sign-in attempts")).toBeVisible();
  });
});
