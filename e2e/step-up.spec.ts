import type { BrowserContext, Page } from "@playwright/test";
import { generate } from "otplib";
import { ApiKeysPage } from "./support/api-keys-page";
import { apiTest as test, expect } from "./support/api";
import { audit } from "./support/axe";
import { later } from "./support/clock";
import { ADMIN, PASSWORD, newUser, signIn, signUp, type TestUser } from "./support/fixtures";
import { ownDatabase, type OwnDatabase } from "./support/own-database";
import { rememberSecret } from "./support/secrets";
import { startServer, type RunningServer } from "./support/server";
import { actionIds, postAction } from "./security/authz-walker";
import { STEP_UP_MINUTES } from "../lib/accounts/step-up";
import { ACTIONS } from "../lib/glossary";

// Step-up: sensitive changes from a session whose last authentication is older than
// STEP_UP_MINUTES are refused on the server; the page turns the refusal into "Confirm it's you",
// and the change goes through once the password (or, below, a passkey or an authenticator code) is confirmed. Time moves with the test clock
// (X-Test-Clock-Offset), so nothing sleeps. The command-level cases are in lib/commands/step-up.test.ts.

const STALE = later((STEP_UP_MINUTES + 1) * 60_000);
const LATER_STILL = later(2 * (STEP_UP_MINUTES + 1) * 60_000);

function stepUpDialog(page: Page) {
  return page.getByRole("dialog", { name: ACTIONS.confirmIdentity });
}

test("rotating from a stale session asks for the password first, then rotates; a recent confirmation is not asked again", async ({ page, api }) => {
  const user = newUser("stepup");
  await signUp(page, user);
  const keys = new ApiKeysPage(page);
  await keys.goto();
  // Just signed in: a Full-access key is made without a question.
  const oldSecret = await keys.create({ name: "stepup-rotate", access: "Full access" });
  await keys.copyAndClose();

  // Sixteen minutes on: rotating asks who it is.
  await page.setExtraHTTPHeaders(STALE);
  await keys.goto();
  await keys.menu("stepup-rotate", "Rotate key");
  const rotate = page.getByRole("dialog", { name: /Rotate/ });
  await rotate.getByRole("button", { name: "Rotate key" }).click();
  const confirm = stepUpDialog(page);
  await expect(confirm).toBeVisible();
  await expect(confirm.getByLabel("Password")).toBeFocused();
  // A wrong password: said beside the field, and the key is not rotated.
  await confirm.getByLabel("Password").fill("not my password");
  await confirm.getByRole("button", { name: "Continue" }).click();
  await expect(confirm.getByText("This is not your password")).toBeVisible();
  expect((await api.call("GET", "/me", { key: oldSecret })).status).toBe(200);
  await confirm.getByLabel("Password").fill(user.password);
  await confirm.getByRole("button", { name: "Continue" }).click();
  await expect(confirm).toBeHidden();
  const newSecret = keys.dialog.getByLabel("Your new API key");
  await expect(newSecret).toBeVisible();
  rememberSecret(await newSecret.inputValue());
  await keys.copyAndClose();

  // Confirmed a moment ago (by the same shifted clock): a Full-access key is made without a question.
  await keys.create({ name: "stepup-after", access: "Full access" });
  await keys.copyAndClose();

  // Later still: cancelling the question leaves the form as it was, says what to do, and creates nothing.
  await page.setExtraHTTPHeaders(LATER_STILL);
  await keys.goto();
  await keys.openCreate();
  await keys.fillCreate({ name: "stepup-cancelled", access: "Full access" });
  await keys.submitCreate();
  await expect(stepUpDialog(page)).toBeVisible();
  await stepUpDialog(page).getByRole("button", { name: "Cancel" }).click();
  await expect(stepUpDialog(page)).toBeHidden();
  const create = page.getByRole("dialog", { name: ACTIONS.createKey });
  // Focus goes back where it came from: the button that asked.
  await expect(create.getByRole("button", { name: ACTIONS.generate })).toBeFocused();
  // The refusal is said in the page's notice (a toast), with what to do next.
  await expect(page.getByText(/Confirm it's you: sensitive changes need a sign-in/)).toBeVisible();
  await expect(create.getByLabel("Key name")).toHaveValue("stepup-cancelled");
  // A Read-only key is not sensitive: no question.
  await create.getByRole("radio", { name: "Read only" }).check();
  await keys.submitCreate();
  await expect(keys.dialog.getByLabel("Your new API key")).toBeVisible();
  rememberSecret(await keys.dialog.getByLabel("Your new API key").inputValue());
  await keys.copyAndClose();
  await expect(keys.row("stepup-cancelled")).toContainText("Read only");
});

test("the server refuses a stale session's sensitive action called directly, and a forged session update does not make it fresh", async ({ page, context, baseURL, api }) => {
  const user = newUser("stepup-direct");
  await signUp(page, user);
  const keys = new ApiKeysPage(page);
  await keys.goto();
  const secret = await keys.create({ name: "stepup-direct", access: "Read only" });
  await keys.copyAndClose();
  const me = await api.call("GET", "/me", { key: secret });
  const keyId = me.body.key.id as string;

  const rotateId = actionIds().get("app/(dashboard)/settings/api-keys/actions.ts#rotateApiKeyAction")!;
  const rotate = () => postAction(context.request, baseURL!, rotateId, "/settings/api-keys", [keyId, "none"], STALE);
  const refused = await rotate();
  expect(await refused.text()).toContain("Confirm it's you");
  expect((await api.call("GET", "/me", { key: secret })).status).toBe(200);

  // Auth.js lets the browser post a session "update"; without a proof this server signed, it changes nothing.
  const { csrfToken } = (await (await context.request.get("/api/auth/csrf")).json()) as { csrfToken: string };
  const forged = await context.request.post("/api/auth/session", {
    headers: { "Content-Type": "application/json", ...STALE },
    data: { csrfToken, data: { stepUp: `${Math.floor(Date.now() / 1000) + 16 * 60}.${"A".repeat(43)}`, user: { authenticatedAt: Date.now() } } },
  });
  expect(forged.status()).toBeLessThan(500);
  expect(await (await rotate()).text()).toContain("Confirm it's you");
  expect((await api.call("GET", "/me", { key: secret })).status).toBe(200);

  // Confirming the password through the action refreshes this session (and only by the server's proof).
  const confirmId = actionIds().get("app/(dashboard)/actions.ts#confirmIdentityAction")!;
  const confirmed = await postAction(context.request, baseURL!, confirmId, "/settings/api-keys", [{ ok: false }, { $form: { password: user.password } }], STALE);
  expect(await confirmed.text()).toContain("Confirmed");
  const rotated = await (await rotate()).text();
  expect(rotated).not.toContain("Confirm it's you");
  // Rotated without grace at the shifted clock's "now": the old secret is dead from then on.
  expect((await api.call("GET", "/me", { key: secret, headers: STALE })).status).toBe(401);
  const fresh = /ksk_[A-Za-z0-9_-]{20,}/.exec(rotated)?.[0];
  if (fresh) rememberSecret(fresh);
});

test("an admin changing the sign-up mode from a stale session confirms first; the change is audited after the confirmation", async ({ page }) => {
  await signIn(page, ADMIN);
  await page.setExtraHTTPHeaders(STALE);
  await page.goto("/admin/settings");
  await page.getByRole("button", { name: "Save sign-up" }).click();
  const confirm = stepUpDialog(page);
  await expect(confirm).toBeVisible();
  await confirm.getByLabel("Password").fill(PASSWORD);
  await confirm.getByRole("button", { name: "Continue" }).click();
  await expect(confirm).toBeHidden();
  await expect(page.getByText("Saved. The sign-up page says what applies now.")).toBeVisible();
  await page.goto("/admin/audit");
  await expect(page.getByText("confirmed their password to continue with a sensitive change").first()).toBeVisible();
});

// Confirming with a passkey or an authenticator code, on a deployment of its own with APP_URL (WebAuthn
// needs a relying party; the shared server has passkeys off) and the test clock. Chromium's virtual
// authenticator (CDP) answers the passkey prompt; otplib computes the codes from the setup key the
// page shows, as a phone would. Keyboard only in the dialog; focus goes back to the button that asked.
const OWN_PORT = Number(process.env.E2E_PORT ?? 3210) + 82;
const OWN_BASE = `http://localhost:${OWN_PORT}`;
const OWN_DIR = ".data-e2e-stepup";
const PASSKEY_COOKIE = "ks_passkey_challenge";
const STEP = 30_000;
const codeAt = (secret: string, offset: number) => generate({ secret, epoch: Math.floor((Date.now() + offset) / 1000) });

async function addAuthenticator(page: Page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("WebAuthn.enable");
  await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: { protocol: "ctap2", transport: "internal", hasResidentKey: true, hasUserVerification: true, isUserVerified: true },
  });
}

/** Every passkey challenge token the server sets, for the secret-hygiene check (never in a body, a log or a row). */
function rememberChallengeTokens(context: BrowserContext) {
  context.on("response", async (response) => {
    const header = (await response.headerValue("set-cookie").catch(() => null)) ?? "";
    for (const token of header.match(/kspc_[A-Za-z0-9_-]{43}/g) ?? []) rememberSecret(token);
  });
}

async function addPasskey(page: Page, user: TestUser, name: string) {
  await page.goto("/settings/profile");
  const section = page.getByRole("region", { name: "Passkeys" });
  await section.getByLabel("Passkey name").fill(name);
  await section.getByLabel("Current password").fill(user.password);
  await section.getByRole("button", { name: ACTIONS.addPasskey }).click();
  await expect(page).toHaveURL(/\/settings\/profile\?passkey=added/);
  await expect(section.getByRole("group", { name })).toBeVisible();
}

/** Turns on an authenticator app (set up at the clock's 0), which ends the session; signs in again with a code of the next step. */
async function turnOnAuthenticator(page: Page, context: BrowserContext, user: TestUser): Promise<{ secret: string; codes: string[] }> {
  await page.goto("/settings/profile");
  const section = page.getByRole("region", { name: "Two-factor authentication" });
  await section.getByRole("button", { name: "Set up authenticator app" }).click();
  const secret = (await section.getByLabel("Setup key").textContent())!.trim();
  rememberSecret(secret);
  const form = section.getByRole("form", { name: "Turn on two-factor authentication" });
  await form.getByLabel("Code from the app").fill(await codeAt(secret, 0));
  await form.getByLabel("Current password").fill(user.password);
  await form.getByRole("button", { name: "Turn on" }).click();
  const dialog = page.getByRole("dialog", { name: "Save your recovery codes" });
  await expect(dialog.getByRole("listitem")).toHaveCount(10);
  const codes = (await dialog.getByRole("list", { name: "Recovery codes" }).getByRole("listitem").allTextContents()).map((c) => c.trim());
  for (const c of codes) rememberSecret(c);
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  await dialog.getByRole("button", { name: "Copy recovery codes" }).click();
  await dialog.getByRole("button", { name: "Done" }).click();
  await expect(page).toHaveURL(/\/login/);
  await context.setExtraHTTPHeaders(later(STEP));
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page).toHaveURL(/\/login\/verify$/);
  await page.getByLabel("Code from your authenticator app").fill(await codeAt(secret, STEP));
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page).toHaveURL(/\/settings\/api-keys$/);
  return { secret, codes };
}

/** Screenshots for a person to look at (SCREENSHOTS_DIR set): 1280 and 375 px, light and dark. */
async function shoot(page: Page, name: string) {
  const dir = process.env.SCREENSHOTS_DIR;
  if (!dir) return;
  for (const width of [1280, 375]) {
    await page.setViewportSize({ width, height: 900 });
    for (const scheme of ["light", "dark"] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.screenshot({ path: `${dir}/step-up-${name}-${width}-${scheme}.png` });
    }
  }
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.emulateMedia({ colorScheme: null });
}

test.describe("confirming with a passkey or an authenticator code", () => {
  test.describe.configure({ mode: "serial" });
  let server: RunningServer | undefined;
  let database: OwnDatabase | undefined;
  test.beforeAll(async () => {
    database = await ownDatabase(OWN_DIR, "stepup");
    server = await startServer(OWN_PORT, { ...database.env, APP_URL: OWN_BASE });
  });
  test.afterAll(async () => {
    await server?.stop();
    await database?.drop();
  });

  test("an admin's stale change asks; the passkey is offered first and confirms by keyboard; the change goes through and focus returns", async ({ browser }) => {
    test.setTimeout(120_000);
    const context = await browser.newContext({ baseURL: OWN_BASE });
    rememberChallengeTokens(context);
    const page = await context.newPage();
    // The deployment's first account: its admin.
    const admin = newUser("su-admin");
    await signUp(page, admin);
    await addAuthenticator(page);
    await addPasskey(page, admin, "Desk key");

    await context.setExtraHTTPHeaders(STALE);
    await page.goto("/admin/settings");
    const save = page.getByRole("button", { name: "Save sign-up" });
    await save.focus();
    await page.keyboard.press("Enter");
    const confirm = stepUpDialog(page);
    await expect(confirm).toBeVisible();
    const usePasskey = confirm.getByRole("button", { name: ACTIONS.usePasskey, exact: true });
    await expect(usePasskey).toBeFocused();
    // The other ways this account has: its password (it has no authenticator app).
    await expect(confirm.getByRole("button", { name: "Use your password instead" })).toBeVisible();
    await expect(confirm.getByRole("button", { name: "Use an authenticator code instead" })).toHaveCount(0);
    expect(await audit(page, "Confirm it's you, passkey")).toEqual([]);
    await shoot(page, "passkey");
    await page.keyboard.press("Enter");
    await expect(confirm).toBeHidden();
    await expect(page.getByText("Saved. The sign-up page says what applies now.")).toBeVisible();
    await expect(save).toBeFocused();
    // The challenge was spent and its cookie cleared.
    expect((await context.cookies(OWN_BASE)).filter((c) => c.name === PASSKEY_COOKIE)).toEqual([]);
    // Confirmed: the next sensitive change is not asked.
    await page.keyboard.press("Enter");
    await expect(page.getByText("Saved. The sign-up page says what applies now.")).toBeVisible();
    await expect(confirm).toHaveCount(0);

    await page.goto("/admin/audit");
    await expect(page.getByText("confirmed it's them with the passkey “Desk key” to continue with a sensitive change").first()).toBeVisible();
    await context.close();
  });

  test("a member's stale rotation asks; an authenticator code confirms by keyboard (a recovery code and a wrong code do not); the key rotates", async ({ browser }) => {
    test.setTimeout(120_000);
    const context = await browser.newContext({ baseURL: OWN_BASE });
    const page = await context.newPage();
    const user = newUser("su-totp");
    await signUp(page, user);
    const { secret, codes } = await turnOnAuthenticator(page, context, user);
    const keys = new ApiKeysPage(page);
    await keys.goto();
    await keys.create({ name: "su-rotate", access: "Full access" });
    await keys.copyAndClose();

    const T = STEP + (STEP_UP_MINUTES + 1) * 60_000;
    await context.setExtraHTTPHeaders(later(T));
    await keys.goto();
    await keys.menu("su-rotate", "Rotate key");
    const rotate = page.getByRole("dialog", { name: /Rotate/ }).getByRole("button", { name: "Rotate key" });
    await rotate.focus();
    await page.keyboard.press("Enter");
    const confirm = stepUpDialog(page);
    // No passkey on this account: the password first, the code one Tab away.
    await expect(confirm.getByLabel("Password")).toBeFocused();
    await expect(confirm.getByRole("button", { name: /passkey/ })).toHaveCount(0);
    await page.keyboard.press("Tab");
    await expect(confirm.getByRole("button", { name: "Use an authenticator code instead" })).toBeFocused();
    await page.keyboard.press("Enter");
    const code = confirm.getByLabel("Authenticator code");
    await expect(code).toBeFocused();

    // A recovery code is for a lost device: refused here, and nothing is spent.
    await page.keyboard.type(codes[0]!);
    await page.keyboard.press("Enter");
    await expect(confirm.getByText("Recovery codes are for a lost device")).toBeVisible();
    await expect(code).toBeFocused();
    const right = await codeAt(secret, T);
    await code.fill("");
    await page.keyboard.type(right === "000000" ? "111111" : "000000");
    await page.keyboard.press("Enter");
    await expect(confirm.getByText("That code is not right.")).toBeVisible();
    await expect(code).toBeFocused();
    expect(await audit(page, "Confirm it's you, authenticator code")).toEqual([]);
    await shoot(page, "code");
    await code.fill("");
    await page.keyboard.type(right);
    await page.keyboard.press("Enter");
    await expect(confirm).toBeHidden();
    const newSecret = keys.dialog.getByLabel("Your new API key");
    await expect(newSecret).toBeVisible();
    rememberSecret(await newSecret.inputValue());
    await keys.copyAndClose();
    await context.close();
  });
});
