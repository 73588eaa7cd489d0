// A passkey as the second factor, in Chromium with its virtual WebAuthn authenticator (CDP), on a
// deployment of its own with APP_URL=http://localhost:<port> (WebAuthn refuses IP addresses, and the
// shared server has no APP_URL) whose second-factor policy the specs change. A password sign-in of an
// account with a passkey stops at /login/verify and finishes with "Use your passkey"; another
// account's passkey is refused at that step though the browser's authenticator signed the server's
// challenge with it; "required for everyone" is satisfied by a passkey alone, set up from the page
// the policy sends people to; the last factor cannot be removed under the policy; an admin's reset
// removes passkeys. The rules behind them: lib/commands/passkey-second-factor.test.ts.
import fs from "node:fs";
import type { BrowserContext, CDPSession, Page } from "@playwright/test";
import { generate } from "otplib";
import { audit } from "./support/axe";
import { expect, newUser, signUp, test, type TestUser } from "./support/fixtures";
import { ownDatabase, type OwnDatabase } from "./support/own-database";
import { rememberSecret } from "./support/secrets";
import { startServer, type RunningServer } from "./support/server";
import { ACTIONS } from "../lib/glossary";

const PORT = Number(process.env.E2E_PORT ?? 3210) + 84;
const BASE = `http://localhost:${PORT}`;
const DIR = ".data-e2e-pk2fa";

/** The id of a server action in this build, by its exported name. */
function actionId(name: string): string {
  const manifest = JSON.parse(fs.readFileSync(".next/server/server-reference-manifest.json", "utf8")) as { node: Record<string, { exportedName?: string }> };
  const entry = Object.entries(manifest.node).find(([, v]) => v.exportedName === name);
  if (!entry) throw new Error(`no server action named ${name} in this build`);
  return entry[0];
}

/** A passkey as Chromium's virtual authenticator holds it (private key included). */
type Credential = Awaited<ReturnType<typeof getCredentials>>[number];
const getCredentials = async (cdp: CDPSession, authenticatorId: string) => (await cdp.send("WebAuthn.getCredentials", { authenticatorId })).credentials;

/** Chromium's virtual authenticator on this page: a platform authenticator with user verification. */
async function addAuthenticator(page: Page): Promise<{ cdp: CDPSession; authenticatorId: string }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("WebAuthn.enable");
  const { authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: { protocol: "ctap2", transport: "internal", hasResidentKey: true, hasUserVerification: true, isUserVerified: true },
  });
  return { cdp, authenticatorId };
}

/** Every token the server sets in a cookie (kspc_, ksc_), for the secret-hygiene check. */
function rememberChallengeTokens(context: BrowserContext) {
  context.on("response", async (response) => {
    const header = (await response.headerValue("set-cookie").catch(() => null)) ?? "";
    for (const token of header.match(/ksp?c_[A-Za-z0-9_-]{43}/g) ?? []) rememberSecret(token);
  });
}

async function addPasskey(page: Page, user: TestUser, name: string) {
  await page.goto(`${BASE}/settings/profile`);
  const section = page.getByRole("region", { name: "Passkeys" });
  await section.getByLabel("Passkey name").fill(name);
  await section.getByLabel("Current password").fill(user.password);
  await section.getByRole("button", { name: ACTIONS.addPasskey }).click();
  await expect(page).toHaveURL(/\/settings\/profile\?passkey=added/);
  await expect(section.getByRole("group", { name })).toBeVisible();
}

/** Email and password, then the verify page (the password alone makes no session). */
async function passwordStep(page: Page, user: TestUser) {
  await page.context().clearCookies();
  await page.goto(`${BASE}/login`);
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page).toHaveURL(/\/login\/verify$/);
  await expect(page.getByRole("heading", { name: "Two-factor authentication" })).toBeVisible();
  expect(await sessionOf(page)).toBeNull();
}

async function sessionOf(page: Page) {
  return (await page.request.get(`${BASE}/api/auth/session`)).json() as Promise<{ user?: { email: string; signInMethod: string } } | null>;
}

/** With SCREENSHOTS_DIR set, the page at 1280 and 375 px, light and dark (to look at, not to compare). */
async function shoot(page: Page, name: string) {
  const dir = process.env.SCREENSHOTS_DIR;
  if (!dir) return;
  for (const width of [1280, 375]) {
    await page.setViewportSize({ width, height: 900 });
    for (const scheme of ["light", "dark"] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.waitForTimeout(300); // past the buttons' colour transition
      await page.screenshot({ path: `${dir}/pk2fa-${name}-${width}-${scheme}.png`, fullPage: true });
    }
  }
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.emulateMedia({ colorScheme: null });
}

const b64url = (standard: string) => Buffer.from(standard, "base64").toString("base64url");

test.describe("a passkey as the second factor", () => {
  test.describe.configure({ mode: "serial" });
  let server: RunningServer | undefined;
  let database: OwnDatabase | undefined;
  const admin = newUser("pk2fa-admin");
  const member = newUser("pk2fa-member");
  // The admin's passkey (its private key too), carried from the first test's authenticator to the third's.
  let adminCredentials: Credential[] = [];

  test.beforeAll(async () => {
    database = await ownDatabase(DIR, "pk2fa");
    server = await startServer(PORT, { ...database.env, APP_URL: BASE, ADMIN_EMAILS: "" });
  });
  test.afterAll(async () => {
    await server?.stop();
    await database?.drop();
  });

  test("a password sign-in of an account with a passkey asks for it at /login/verify, and the passkey finishes it", async ({ page }) => {
    rememberChallengeTokens(page.context());
    // The deployment's first account: its admin, for the policy below.
    await signUp(page, admin, BASE);
    const { cdp, authenticatorId } = await addAuthenticator(page);
    await addPasskey(page, admin, "Admin laptop");

    await passwordStep(page, admin);
    // Only the passkey is offered: this account has no authenticator app.
    await expect(page.getByText("One more step: confirm it's you with your passkey.")).toBeVisible();
    await expect(page.getByLabel("Code from your authenticator app")).toHaveCount(0);
    const button = page.getByRole("button", { name: ACTIONS.useYourPasskey });
    await expect(button).toBeFocused();
    expect(await audit(page, "/login/verify with a passkey")).toEqual([]);
    await shoot(page, "verify");
    await button.click();
    await expect(page).toHaveURL(/\/settings\/api-keys$/);
    // A password sign-in confirmed by a passkey: the session says password (the first factor).
    expect((await sessionOf(page))?.user).toMatchObject({ email: admin.email, signInMethod: "password" });
    expect((await page.context().cookies(BASE)).filter((c) => c.name === "ks_passkey_challenge" || c.name === "keysmith-2fa")).toEqual([]);
    await page.goto(`${BASE}/settings/activity`);
    await expect(page.getByText("confirmed a sign-in with the passkey “Admin laptop”").first()).toBeVisible();

    // A passkey sign-in is two factors in itself: no second step.
    await page.context().clearCookies();
    await page.goto(`${BASE}/login`);
    await page.getByRole("button", { name: ACTIONS.signInWithPasskey }).click();
    await expect(page).toHaveURL(/\/settings\/api-keys$/);
    expect((await sessionOf(page))?.user).toMatchObject({ email: admin.email, signInMethod: "passkey" });
    // Taken after its last use here, so its signature counter is current (an older copy is refused as a clone).
    adminCredentials = await getCredentials(cdp, authenticatorId);

    // Without the challenge's cookie the page says nothing about the account or its factors.
    const stranger = await page.context().browser()!.newContext();
    const text = await (await stranger.request.get(`${BASE}/login/verify`)).text();
    expect(text).toContain("This sign-in has expired or ended");
    expect(text).not.toContain(ACTIONS.useYourPasskey);
    await stranger.close();
  });

  test("refuses another account's passkey at that step, though the browser's authenticator signed the server's challenge with it", async ({ page }) => {
    rememberChallengeTokens(page.context());
    const a = newUser("pk2fa-a");
    const b = newUser("pk2fa-b");
    const { cdp, authenticatorId } = await addAuthenticator(page);
    // One authenticator holds a passkey of each account.
    await signUp(page, a, BASE);
    await addPasskey(page, a, "A's key");
    await page.context().clearCookies();
    await signUp(page, b, BASE);
    await addPasskey(page, b, "B's key");
    const credentials = await getCredentials(cdp, authenticatorId);
    expect(credentials).toHaveLength(2);
    const ids = credentials.map((c) => b64url(c.credentialId));

    // A's sign-in: the server names A's passkey only; the test swaps in B's, so the browser answers with B's.
    await passwordStep(page, a);
    const begin = actionId("beginSecondFactorPasskeyAction");
    await page.route(`${BASE}/login/verify`, async (route) => {
      if (route.request().headers()["next-action"] !== begin) return route.continue();
      const response = await route.fetch();
      const body = await response.text();
      const named = ids.filter((id) => body.includes(id));
      expect(named).toHaveLength(1);
      await route.fulfill({ response, body: body.replaceAll(named[0]!, ids.find((id) => id !== named[0])!) });
    });
    await page.getByRole("button", { name: ACTIONS.useYourPasskey }).click();
    await expect(page.getByRole("alert").filter({ hasText: "That passkey was not accepted." })).toBeVisible();
    expect(await sessionOf(page)).toBeNull();
    await expect(page).toHaveURL(/\/login\/verify$/);
    expect(fs.readFileSync(`e2e/.artifacts/server-${PORT}.log`, "utf8")).toMatch(/"why":"(credential_of_another_user|unknown_credential)"/);

    // The control: A's own passkey finishes the same sign-in.
    await page.unroute(`${BASE}/login/verify`);
    await page.getByRole("button", { name: ACTIONS.useYourPasskey }).click();
    await expect(page).toHaveURL(/\/settings\/api-keys$/);
    expect((await sessionOf(page))?.user?.email).toBe(a.email);

    // With an authenticator app as well, the step offers both; the app's code still finishes it.
    await page.goto(`${BASE}/settings/profile`);
    const app = page.getByRole("region", { name: "Two-factor authentication" });
    await app.getByRole("button", { name: "Set up authenticator app" }).click();
    const secret = (await app.getByLabel("Setup key").textContent())!.trim();
    rememberSecret(secret);
    const turnOn = app.getByRole("form", { name: "Turn on two-factor authentication" });
    await turnOn.getByLabel("Code from the app").fill(await generate({ secret }));
    await turnOn.getByLabel("Current password").fill(a.password);
    await turnOn.getByRole("button", { name: "Turn on" }).click();
    const codes = page.getByRole("dialog", { name: "Save your recovery codes" });
    await expect(codes.getByRole("listitem")).toHaveCount(10);
    for (const c of await codes.getByRole("listitem").allTextContents()) rememberSecret(c.trim());
    await codes.getByRole("button", { name: "Done" }).click();
    await page.getByRole("alertdialog", { name: "Close without saving the recovery codes?" }).getByRole("button", { name: "Close anyway" }).click();
    await expect(page).toHaveURL(/\/login/);
    // The next 30-second step (the server's test clock follows this header), so the code is a new one.
    await page.context().setExtraHTTPHeaders({ "x-test-clock-offset": "30000" });
    await passwordStep(page, a);
    await expect(page.getByText("One more step: your passkey, or a code from your authenticator app.")).toBeVisible();
    await expect(page.getByRole("button", { name: ACTIONS.useYourPasskey })).toBeVisible();
    expect(await audit(page, "/login/verify with a passkey and an app")).toEqual([]);
    await shoot(page, "verify-both");
    await page.getByLabel("Code from your authenticator app").fill(await generate({ secret, epoch: Math.floor((Date.now() + 30_000) / 1000) }));
    await page.getByRole("button", { name: "Verify" }).click();
    await expect(page).toHaveURL(/\/settings\/api-keys$/);
    await page.context().setExtraHTTPHeaders({});
  });

  test("'required for everyone' is satisfied by a passkey alone; the last factor cannot be removed; an admin's reset removes passkeys", async ({ page, browser }) => {
    test.setTimeout(120_000);
    rememberChallengeTokens(page.context());
    const memberContext = await browser.newContext();
    rememberChallengeTokens(memberContext);
    const memberPage = await memberContext.newPage();
    await signUp(memberPage, member, BASE);

    // The admin's only factor is a passkey: enough to require one of everyone.
    const { cdp, authenticatorId } = await addAuthenticator(page);
    for (const credential of adminCredentials) await cdp.send("WebAuthn.addCredential", { authenticatorId, credential });
    await page.goto(`${BASE}/login`);
    await page.getByRole("button", { name: ACTIONS.signInWithPasskey }).click();
    await expect(page).toHaveURL(/\/settings\/api-keys$/);
    await page.goto(`${BASE}/admin/settings`);
    const policy = page.getByRole("form", { name: "Two-factor policy" });
    await policy.getByRole("radio", { name: "Required for everyone" }).check();
    await policy.getByRole("button", { name: "Save two-factor policy" }).click();
    await expect(page.getByText("Saved. People it covers")).toBeVisible();

    // The member is sent to set-up, which offers both a passkey and an app.
    await memberPage.goto(`${BASE}/settings/api-keys`);
    await expect(memberPage).toHaveURL(/\/settings\/profile\?setup=two-factor$/);
    await expect(memberPage.getByText("Add a passkey or set up an authenticator app here to continue")).toBeVisible();
    await expect(memberPage.getByRole("region", { name: "Two-factor authentication" }).getByRole("button", { name: "Set up authenticator app" })).toBeVisible();
    expect(await audit(memberPage, "set-up with passkeys and an app")).toEqual([]);
    await shoot(memberPage, "setup");
    await addAuthenticator(memberPage);
    await addPasskey(memberPage, member, "Member phone");
    await memberPage.goto(`${BASE}/settings/api-keys`);
    await expect(memberPage).toHaveURL(/\/settings\/api-keys$/);

    // Its only factor cannot be removed while the policy requires one: the message says what to do.
    await memberPage.goto(`${BASE}/settings/profile`);
    const section = memberPage.getByRole("region", { name: "Passkeys" });
    await expect(section.getByText("this passkey is your only one")).toBeVisible();
    await section.getByRole("button", { name: "Remove passkey: Member phone" }).click();
    const confirm = memberPage.getByRole("alertdialog", { name: "Remove the passkey “Member phone”?" });
    await confirm.getByLabel("Current password").fill(member.password);
    await confirm.getByRole("button", { name: "Remove passkey" }).click();
    await expect(confirm.getByText("Add another passkey or set up an authenticator app first, then remove this one.")).toBeVisible();
    await confirm.getByRole("button", { name: "Cancel" }).click();
    await memberPage.reload();
    await expect(section.getByRole("group", { name: "Member phone" })).toBeVisible();

    // The member's password sign-in asks for the passkey.
    await passwordStep(memberPage, member);
    await memberPage.getByRole("button", { name: ACTIONS.useYourPasskey }).click();
    await expect(memberPage).toHaveURL(/\/settings\/api-keys$/);

    // The member lost the device: the admin's reset removes the passkey and ends their sessions.
    await page.goto(`${BASE}/admin/users`);
    const table = page.getByRole("table", { name: "Users" });
    await expect(table.getByRole("row", { name: new RegExp(member.email) })).toContainText("Two-factor on");
    await table.getByRole("button", { name: `Reset two-factor: ${member.email}` }).click();
    await page.getByRole("alertdialog").getByRole("button", { name: "Reset two-factor" }).click();
    await expect(page.getByText(`${member.email}'s two-factor authentication is reset (passkey removed)`)).toBeVisible();
    await memberPage.goto(`${BASE}/settings/api-keys`);
    await expect(memberPage).toHaveURL(/\/login/);
    // The password alone signs in now, straight to set-up (the policy still applies); the passkey is gone.
    await memberPage.getByLabel("Email").fill(member.email);
    await memberPage.getByLabel("Password").fill(member.password);
    await memberPage.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(memberPage).toHaveURL(/\/settings\/(api-keys|profile)/);
    await memberPage.goto(`${BASE}/settings/api-keys`);
    await expect(memberPage).toHaveURL(/\/settings\/profile\?setup=two-factor$/);
    await expect(memberPage.getByRole("region", { name: "Passkeys" }).getByText("You have no passkeys yet.")).toBeVisible();
    await page.goto(`${BASE}/admin/audit`);
    await expect(page.getByText(`reset the two-factor authentication of ${member.email} (a passkey removed)`).first()).toBeVisible();
    await memberContext.close();
  });
});
