// Second factor in Chromium. A member turns on an authenticator app on the Profile page (the code
// is computed here with otplib from the setup key the page shows, as a phone would), signs in with
// a code, sees a replayed code refused, signs in once with a recovery code, is locked after wrong
// codes, and turns the app off. The server runs with KEYSMITH_TEST_CLOCK=1: each step moves the
// browser's clock forward (X-Test-Clock-Offset) so each code comes from a later 30-second step.
// The policy ("required for everyone") and an admin's reset run on a deployment of their own, so
// the shared server's policy never changes under other specs. Data-layer cases:
// lib/commands/second-factor.test.ts. Checklist; S-07.
import fs from "node:fs";
import type { APIRequestContext, BrowserContext, Page } from "@playwright/test";
import { generate } from "otplib";
import { ADMIN, expect, newUser, signUp, test, type TestUser } from "./support/fixtures";
import { ownDatabase } from "./support/own-database";
import { rememberSecret } from "./support/secrets";
import { startServer, type RunningServer } from "./support/server";
import { actionIds, postAction } from "./security/authz-walker";

const PORT = Number(process.env.E2E_PORT ?? 3210) + 74;
const DIR = ".data-e2e-mfa";
const STEP = 30_000;

/** The browser's clock, `offset` ms ahead (the server reads it on every request). */
async function clockAt(context: BrowserContext, offset: number) {
  await context.setExtraHTTPHeaders({ "x-test-clock-offset": String(offset) });
}
const codeAt = (secret: string, offset: number) => generate({ secret, epoch: Math.floor((Date.now() + offset) / 1000) });

async function passwordStep(page: Page, user: TestUser, base = "") {
  await page.goto(`${base}/login`);
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/login\/verify$/);
  await expect(page.getByRole("heading", { name: "Two-factor authentication" })).toBeVisible();
}

/** Types a code and waits for the server's answer (and the form's reset), so attempts never overlap. */
async function typeCode(page: Page, code: string, label = "Code from your authenticator app") {
  const field = page.getByLabel(label);
  await field.fill(code);
  const answered = page.waitForResponse((r) => r.request().method() === "POST" && new URL(r.url()).pathname === "/login/verify");
  await page.getByRole("button", { name: "Verify" }).click();
  await answered;
  const verify = page.getByRole("button", { name: "Verify" });
  const stillAsking = page.getByRole("heading", { name: "Two-factor authentication", level: 1 });
  await expect
    .poll(async () => !(await stillAsking.isVisible()) || (await page.getByRole("link", { name: "Sign in again" }).isVisible()) || (await verify.isEnabled({ timeout: 200 }).catch(() => false)))
    .toBe(true);
}

/**
 * Turns on the app from the Profile page, which ends every session (this one too), then signs in
 * again with a code of the next step. Returns the seed the page showed and the recovery codes.
 */
async function turnOn(page: Page, context: BrowserContext, user: TestUser, base = "", at = 0) {
  await clockAt(context, at);
  await page.goto(`${base}/settings/profile`);
  const section = page.getByRole("region", { name: "Two-factor authentication" });
  await section.getByRole("button", { name: "Set up authenticator app" }).click();
  await expect(section.getByRole("img", { name: /QR code/ })).toBeVisible();
  const secret = (await section.getByLabel("Setup key").textContent())!.trim();
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);
  rememberSecret(secret);
  const form = section.getByRole("form", { name: "Turn on two-factor authentication" });
  // A wrong password is refused, with the field named.
  await form.getByLabel("Code from the app").fill(await codeAt(secret, at));
  await form.getByLabel("Current password").fill("not my password");
  await form.getByRole("button", { name: "Turn on" }).click();
  await expect(form.getByText("This is not your current password")).toBeVisible();
  await expect(form.getByLabel("Current password")).toBeFocused();
  await form.getByLabel("Code from the app").fill(await codeAt(secret, at));
  await form.getByLabel("Current password").fill(user.password);
  await form.getByRole("button", { name: "Turn on" }).click();
  const dialog = page.getByRole("dialog", { name: "Save your recovery codes" });
  await expect(dialog.getByRole("listitem")).toHaveCount(10);
  const codes = (await dialog.getByRole("list", { name: "Recovery codes" }).getByRole("listitem").allTextContents()).map((c) => c.trim());
  expect(codes).toHaveLength(10);
  for (const c of codes) rememberSecret(c);
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  await dialog.getByRole("button", { name: "Copy recovery codes" }).click();
  await expect(dialog.getByRole("button", { name: "Copy recovery codes: copied" })).toBeVisible();
  await dialog.getByRole("button", { name: "Done" }).click();
  await expect(page).toHaveURL(/\/login/);
  await clockAt(context, at + STEP);
  await passwordStep(page, user, base);
  await typeCode(page, await codeAt(secret, at + STEP));
  await expect(page).toHaveURL(/\/settings\/(api-keys|profile)/);
  await page.goto(`${base}/settings/profile`);
  await expect(section.getByText(/^On: .*10 of 10 recovery codes left/)).toBeVisible();
  return { secret, codes };
}

async function sessionOf(request: APIRequestContext, base: string): Promise<unknown> {
  const response = await request.get(`${base}/api/auth/session`);
  return (await response.json()) as unknown;
}

test.describe("an authenticator app on the shared server", () => {
  test.describe.configure({ mode: "serial" });

  test("turn on, sign in with a code, a replayed code refused, a recovery code once, wrong codes lock, turn off", async ({ page, context, browser, baseURL }) => {
    test.setTimeout(180_000);
    const user = newUser("totp");
    await signUp(page, user);
    // Another device's session (or a stolen cookie): it must end when the factor changes.
    const copy = await browser.newContext({ baseURL });
    await copy.addCookies(await context.cookies());
    const other = await copy.newPage();
    await other.goto("/settings/profile");
    await expect(other.getByRole("heading", { name: "Profile" })).toBeVisible();

    // Wrong codes are counted per 15-minute window: start 30 s into a window (the clock moved
    // forward), so the whole lockout below falls in one, whenever the test runs.
    const WINDOW = 15 * 60_000;
    const B = WINDOW - (Date.now() % WINDOW) + 30_000;
    const { secret, codes } = await turnOn(page, context, user, "", B);
    // The copied session is dead (this browser signed in again with a code, in turnOn).
    await other.goto("/settings/profile");
    await expect(other).toHaveURL(/\/login/);
    await copy.close();

    // The seed is never shown again.
    await page.goto("/settings/profile");
    await expect(page.getByText(secret)).toHaveCount(0);

    // Sign in: the password alone makes no session; the verify page asks for a code.
    await context.clearCookies();
    await clockAt(context, B + 2 * STEP);
    await passwordStep(page, user);
    expect(await sessionOf(page.request, "")).toBeNull();
    const code = await codeAt(secret, B + 2 * STEP);
    await typeCode(page, code);
    await expect(page).toHaveURL(/\/settings\/api-keys$/);

    // The same code again, in a new sign-in: refused (each code works once).
    await context.clearCookies();
    await passwordStep(page, user);
    await typeCode(page, code);
    await expect(page.getByText("That code is not right. Codes change every 30 seconds")).toBeVisible();
    await expect(page).toHaveURL(/\/login\/verify$/);

    // A recovery code works, once.
    await page.getByRole("button", { name: "Lost your phone? Use a recovery code" }).click();
    await typeCode(page, codes[0]!.toLowerCase(), "Recovery code");
    await expect(page).toHaveURL(/\/settings\/api-keys$/);
    await context.clearCookies();
    await passwordStep(page, user);
    await page.getByRole("button", { name: "Lost your phone? Use a recovery code" }).click();
    await typeCode(page, codes[0]!, "Recovery code");
    await expect(page.getByText("That code is not right.").first()).toBeVisible();

    // Five wrong codes end the sign-in (this one has had one).
    for (let i = 0; i < 4; i++) await typeCode(page, "AAAAA-AAAAA", "Recovery code");
    await expect(page.getByText("Too many wrong codes: this sign-in has ended.")).toBeVisible();
    await page.getByRole("link", { name: "Sign in again" }).click();
    await expect(page).toHaveURL(/\/login$/);

    // Ten wrong codes in the window lock the account's codes, even the right one, until the window ends.
    // (So far 7 wrong in this window: the wrong password at set-up, the replayed code, the reused
    // recovery code and four more; 3 below make 10.)
    await passwordStep(page, user);
    for (let i = 0; i < 3; i++) {
      await typeCode(page, "000000");
      await expect(page.getByLabel("Code from your authenticator app")).toHaveAttribute("aria-invalid", "true");
    }
    await typeCode(page, await codeAt(secret, B + 3 * STEP));
    await expect(page.getByText("Too many wrong codes. Wait 15 minutes")).toBeVisible();
    await expect(page).toHaveURL(/\/login\/verify$/);

    // A later window (the clock 16 minutes on): the code from the app works again.
    const later = B + WINDOW + 60_000;
    await clockAt(context, later);
    await context.clearCookies();
    await passwordStep(page, user);
    await typeCode(page, await codeAt(secret, later));
    await expect(page).toHaveURL(/\/settings\/api-keys$/);

    // Turn it off: the password and a (new) code; then the password alone signs in.
    await clockAt(context, later + STEP);
    await page.goto("/settings/profile");
    const section = page.getByRole("region", { name: "Two-factor authentication" });
    await section.getByRole("button", { name: "Turn off" }).click();
    const off = section.getByRole("form", { name: "Turn off two-factor authentication" });
    await off.getByLabel("Code from the app").fill(await codeAt(secret, later + STEP));
    await off.getByLabel("Current password").fill(user.password);
    await off.getByRole("button", { name: "Turn off" }).click();
    await expect(page.getByText("Two-factor authentication is off.")).toBeVisible();
    await expect(section.getByRole("button", { name: "Set up authenticator app" })).toBeVisible();
    await context.clearCookies();
    await page.goto("/login");
    await page.getByLabel("Email").fill(user.email);
    await page.getByLabel("Password").fill(user.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/\/settings\/api-keys$/);
  });

  test("the challenge cannot be skipped: the password posted to the session endpoint, or a code without the cookie, makes no session", async ({ page, context, playwright, baseURL }) => {
    test.setTimeout(90_000);
    const user = newUser("bypass");
    await signUp(page, user);
    const { secret } = await turnOn(page, context, user);
    const client = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { "x-test-clock-offset": String(2 * STEP) } });
    const csrf = async (c: APIRequestContext) => ((await (await c.get("/api/auth/csrf")).json()) as { csrfToken: string }).csrfToken;
    // The credentials callback, posted directly with the right password: no session.
    await client.post("/api/auth/callback/credentials", { form: { email: user.email, password: user.password, csrfToken: await csrf(client) }, maxRedirects: 0 });
    expect(await sessionOf(client, "")).toBeNull();
    // Another client, with the right code but no challenge of its own: no session.
    const thief = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { "x-test-clock-offset": String(2 * STEP) } });
    await thief.post("/api/auth/callback/second-factor", { form: { code: await codeAt(secret, 2 * STEP), csrfToken: await csrf(thief) }, maxRedirects: 0 });
    expect(await sessionOf(thief, "")).toBeNull();
    // A made-up "renewal" token is not a pre-verified challenge.
    await thief.post("/api/auth/callback/second-factor", { form: { renewal: `ksc_${"A".repeat(43)}`, csrfToken: await csrf(thief) }, maxRedirects: 0 });
    expect(await sessionOf(thief, "")).toBeNull();
    // The verify page without a challenge says only that the sign-in ended.
    const fresh = await (await thief.get("/login/verify")).text();
    expect(fresh).toContain("This sign-in has expired or ended");
    expect(fresh).not.toContain(user.email);
    await thief.dispose();
    await client.dispose();
  });
});

test.describe("the policy and an admin's reset, on a deployment of their own", () => {
  test.describe.configure({ mode: "serial" });
  let server: RunningServer | undefined;
  let database: Awaited<ReturnType<typeof ownDatabase>> | undefined;
  const base = `http://localhost:${PORT}`;
  test.beforeAll(async () => {
    database = await ownDatabase(DIR, "mfa_policy");
    server = await startServer(PORT, { ...database.env, ADMIN_EMAILS: "" });
  });
  test.afterAll(async () => {
    await server?.stop();
    await database?.drop();
  });

  test("'required for everyone' sends a member without a factor to set-up from every page and refuses their actions; an admin resets a lost factor", async ({ page, context, browser }) => {
    test.setTimeout(180_000);
    const admin = { ...newUser("mfaadmin"), name: ADMIN.name };
    await signUp(page, admin, base);
    const member = newUser("mfamember");
    const memberContext = await browser.newContext({ baseURL: base });
    const memberPage = await memberContext.newPage();
    await signUp(memberPage, member, base);

    // An admin without a factor cannot require one (it would lock them out).
    await page.goto(`${base}/admin/settings`);
    const policy = page.getByRole("form", { name: "Two-factor policy" });
    await policy.getByRole("radio", { name: "Required for everyone" }).check();
    await policy.getByRole("button", { name: "Save two-factor policy" }).click();
    await expect(page.getByText("Set up your own second factor first")).toBeVisible();

    await turnOn(page, context, admin, base);
    await page.goto(`${base}/admin/settings`);
    await policy.getByRole("radio", { name: "Required for everyone" }).check();
    await policy.getByRole("button", { name: "Save two-factor policy" }).click();
    await expect(page.getByText("Saved. People it covers")).toBeVisible();

    // The member, already signed in, is sent to set-up from any page.
    for (const path of ["/settings/api-keys", "/settings/activity", "/settings"]) {
      await memberPage.goto(`${base}${path}`);
      await expect(memberPage).toHaveURL(/\/settings\/profile\?setup=two-factor$/);
    }
    await expect(memberPage.getByText("This Keysmith requires two-factor authentication for your account")).toBeVisible();
    await expect(memberPage.getByRole("form", { name: "Display name" })).toHaveCount(0);
    // A server action posted directly is refused too (the wrapper checks, not only the pages).
    const ids = actionIds();
    const create = ids.get("app/(dashboard)/settings/api-keys/actions.ts#createApiKeyAction")!;
    const refused = await postAction(memberPage.request, base, create, "/settings/api-keys", [{ ok: false }, { $form: { name: "blocked", description: "", access: "full", expiration: "30" } }]);
    expect(await refused.text()).toContain("This Keysmith requires a second factor for your account");
    const rename = ids.get("app/(dashboard)/settings/profile/actions.ts#updateProfileAction")!;
    expect(await (await postAction(memberPage.request, base, rename, "/settings/profile", [{ ok: false }, { $form: { name: "Renamed" } }])).text()).toContain("requires a second factor");

    // Set-up is allowed, and then everything opens.
    await turnOn(memberPage, memberContext, member, base);
    await memberPage.goto(`${base}/settings/api-keys`);
    await expect(memberPage).toHaveURL(/\/settings\/api-keys$/);

    // The member lost their phone and codes: the admin resets the factor; the member's session ends.
    await page.goto(`${base}/admin/users`);
    const table = page.getByRole("table", { name: "Users" });
    await expect(table.getByRole("row", { name: new RegExp(member.email) })).toContainText("Two-factor on");
    await table.getByRole("button", { name: `Reset two-factor: ${member.email}` }).click();
    await page.getByRole("alertdialog").getByRole("button", { name: "Reset two-factor" }).click();
    await expect(page.getByText(`${member.email}'s two-factor authentication is reset`)).toBeVisible();
    await memberPage.goto(`${base}/settings/api-keys`);
    await expect(memberPage).toHaveURL(/\/login/);
    // Signing in with the password alone is back, straight to set-up (the policy still applies).
    await memberPage.getByLabel("Email").fill(member.email);
    await memberPage.getByLabel("Password").fill(member.password);
    await memberPage.getByRole("button", { name: "Sign in" }).click();
    // Wait for the sign-in to land before going anywhere: a navigation right after the click used to
    // abort its POST on a busy machine, leaving the member signed out.
    await expect(memberPage).not.toHaveURL(/\/login/);
    await memberPage.goto(`${base}/settings/api-keys`);
    await expect(memberPage).toHaveURL(/\/settings\/profile\?setup=two-factor$/);

    // The audit log says it in words.
    await page.goto(`${base}/admin/audit`);
    await expect(page.getByText(`reset the two-factor authentication of ${member.email}`).first()).toBeVisible();
    await expect(page.getByText("changed who must use two-factor authentication to: everyone").first()).toBeVisible();
    await memberContext.close();
    expect(fs.existsSync(DIR) || !!database?.url).toBe(true);
  });
});
