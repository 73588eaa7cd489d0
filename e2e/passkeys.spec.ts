// Passkeys in Chromium with its virtual WebAuthn authenticator (CDP), on a deployment of its own
// with APP_URL=http://localhost:<port> (WebAuthn refuses IP addresses as relying party ids, and
// the shared server has no APP_URL, so passkeys are off there). Adding one in Profile, signing in
// with it, a replayed assertion, an assertion made for another origin, renaming and removing, a
// suspended account. The rules behind them are tested against a software authenticator in
// lib/commands/passkeys.test.ts; here the browser, the cookie and next-auth's provider are real.
import fs from "node:fs";
import { createHash, createPrivateKey, sign } from "node:crypto";
import type { BrowserContext, CDPSession, Page, Request } from "@playwright/test";
import { expect, newUser, signUp, test, type TestUser } from "./support/fixtures";
import { audit } from "./support/axe";
import { ownDatabase, type OwnDatabase } from "./support/own-database";
import { rememberSecret } from "./support/secrets";
import { startServer, type RunningServer } from "./support/server";
import { ACTIONS } from "../lib/glossary";

const PORT = Number(process.env.E2E_PORT ?? 3210) + 78;
const BASE = `http://localhost:${PORT}`;
const DIR = ".data-e2e-passkeys";
const COOKIE = "ks_passkey_challenge";

/** The id of a server action in this build, by its exported name. */
function actionId(name: string): string {
  const manifest = JSON.parse(fs.readFileSync(".next/server/server-reference-manifest.json", "utf8")) as { node: Record<string, { exportedName?: string }> };
  const entry = Object.entries(manifest.node).find(([, v]) => v.exportedName === name);
  if (!entry) throw new Error(`no server action named ${name} in this build`);
  return entry[0];
}

/** Chromium's virtual authenticator on this page: a platform authenticator with user verification. */
async function addAuthenticator(page: Page): Promise<{ cdp: CDPSession; authenticatorId: string }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("WebAuthn.enable");
  const { authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: { protocol: "ctap2", transport: "internal", hasResidentKey: true, hasUserVerification: true, isUserVerified: true },
  });
  return { cdp, authenticatorId };
}

/**
 * Every challenge token the server sets (Set-Cookie only: never in a body), remembered for the
 * secret-hygiene check, which proves it is in no response body, log or database row.
 */
function rememberChallengeTokens(context: BrowserContext) {
  context.on("response", async (response) => {
    const header = (await response.headerValue("set-cookie").catch(() => null)) ?? "";
    for (const token of header.match(/kspc_[A-Za-z0-9_-]{43}/g) ?? []) rememberSecret(token);
  });
}

async function expectNoChallengeCookie(context: BrowserContext) {
  expect((await context.cookies(BASE)).filter((c) => c.name === COOKIE)).toEqual([]);
}

const passkeys = (page: Page) => page.getByRole("region", { name: "Passkeys" });

async function addPasskey(page: Page, user: TestUser, name: string) {
  await page.goto(`${BASE}/settings/profile`);
  const section = passkeys(page);
  await section.getByLabel("Passkey name").fill(name);
  await section.getByLabel("Current password").fill(user.password);
  await section.getByRole("button", { name: ACTIONS.addPasskey }).click();
  await expect(page).toHaveURL(/\/settings\/profile\?passkey=added/);
  await expect(section.getByRole("status").filter({ hasText: "Your passkey is added" })).toBeVisible();
  await expect(section.getByRole("group", { name })).toBeVisible();
}

async function signOutHere(page: Page) {
  await page.context().clearCookies();
  await page.goto(`${BASE}/login`);
}

async function sessionOf(page: Page) {
  return (await page.request.get(`${BASE}/api/auth/session`)).json() as Promise<{ user?: { email: string; signInMethod: string } } | null>;
}

/** Captures the body of the next passkeySignInAction call (the assertion, as the browser sends it). */
function captureAssertion(page: Page): Promise<Request> {
  const id = actionId("passkeySignInAction");
  return page.waitForRequest((r) => r.method() === "POST" && r.headers()["next-action"] === id);
}

test.describe("passkeys", () => {
  test.describe.configure({ mode: "serial" });
  let server: RunningServer | undefined;
  let database: OwnDatabase | undefined;
  const admin = newUser("pkadmin");

  test.beforeAll(async ({ browser }) => {
    database = await ownDatabase(DIR, "pk");
    server = await startServer(PORT, { ...database.env, APP_URL: BASE });
    // The deployment's first account, so its admin (for the suspension case).
    const page = await browser.newPage();
    await signUp(page, admin, BASE);
    await page.close();
  });
  test.afterAll(async () => {
    await server?.stop();
    await database?.drop();
  });

  test("adds a passkey in Profile (current password; other sessions end), then signs in with it alone", async ({ page, browser }) => {
    rememberChallengeTokens(page.context());
    const user = newUser("pk");
    await signUp(page, user, BASE);
    await addAuthenticator(page);
    // A copy of this session, elsewhere: adding a factor must end it.
    const elsewhere = await browser.newContext();
    await elsewhere.addCookies(await page.context().cookies(BASE));
    expect((await elsewhere.request.get(`${BASE}/settings/profile`, { maxRedirects: 0 })).status()).toBe(200);

    await page.goto(`${BASE}/settings/profile`);
    const section = passkeys(page);
    await expect(section.getByText("You have no passkeys yet.")).toBeVisible();
    await section.getByLabel("Passkey name").fill("Work laptop");
    await section.getByLabel("Current password").fill("not my password");
    await section.getByRole("button", { name: ACTIONS.addPasskey }).click();
    await expect(section.getByText("This is not your current password. Type the password you sign in with.")).toBeVisible();
    await expect(section.getByLabel("Current password")).toBeFocused();

    await addPasskey(page, user, "Work laptop");
    await expect(section.getByRole("group", { name: "Work laptop" })).toContainText(/Added .+ · never used/);
    await expectNoChallengeCookie(page.context());
    // This browser stays signed in; the copied session is dead.
    expect((await elsewhere.request.get(`${BASE}/settings/profile`, { maxRedirects: 0 })).status()).toBe(307);
    await elsewhere.close();

    await signOutHere(page);
    await page.getByRole("button", { name: ACTIONS.signInWithPasskey }).click();
    await expect(page).toHaveURL(/\/settings\/api-keys$/);
    // The same session as a password sign-in's, saying how it was proven.
    expect((await sessionOf(page))?.user).toMatchObject({ email: user.email, signInMethod: "passkey" });
    await expectNoChallengeCookie(page.context());
    await page.goto(`${BASE}/settings/profile`);
    await expect(passkeys(page).getByRole("group", { name: "Work laptop" })).toContainText(/last used/);
    await page.goto(`${BASE}/settings/activity`);
    await expect(page.getByText("signed in with the passkey “Work laptop”").first()).toBeVisible();
  });

  test("refuses a replayed assertion, with the spent challenge's cookie or a fresh one", async ({ page }) => {
    rememberChallengeTokens(page.context());
    const user = newUser("pkreplay");
    await signUp(page, user, BASE);
    await addAuthenticator(page);
    await addPasskey(page, user, "Replay target");
    await signOutHere(page);

    const captured = captureAssertion(page);
    await page.getByRole("button", { name: ACTIONS.signInWithPasskey }).click();
    await expect(page).toHaveURL(/\/settings\/api-keys$/);
    const request = await captured;
    const replay = async () =>
      page.request.post(`${BASE}/login`, {
        headers: { "next-action": request.headers()["next-action"]!, "content-type": request.headers()["content-type"]!, accept: "text/x-component", origin: BASE },
        data: request.postData()!,
      });
    await page.context().clearCookies();

    // No challenge cookie at all (the spent one was cleared).
    expect(await (await replay()).text()).toContain("That passkey was not accepted.");
    expect(await sessionOf(page)).toBeNull();
    // A fresh challenge for this browser: the old answer signed another one.
    await page.request.post(`${BASE}/login`, {
      headers: { "next-action": actionId("beginPasskeySignInAction"), "content-type": "text/plain;charset=UTF-8", accept: "text/x-component", origin: BASE },
      data: "[]",
    });
    expect((await page.context().cookies(BASE)).some((c) => c.name === COOKIE && c.httpOnly && c.sameSite === "Strict")).toBe(true);
    expect(await (await replay()).text()).toContain("That passkey was not accepted.");
    expect(await sessionOf(page)).toBeNull();
    await expectNoChallengeCookie(page.context());
  });

  test("refuses an assertion made for another origin, though signed by the real passkey", async ({ page }) => {
    rememberChallengeTokens(page.context());
    const user = newUser("pkorigin");
    await signUp(page, user, BASE);
    const { cdp, authenticatorId } = await addAuthenticator(page);
    await addPasskey(page, user, "Origin target");
    const { credentials } = await cdp.send("WebAuthn.getCredentials", { authenticatorId });
    const key = createPrivateKey({ key: Buffer.from(credentials[0]!.privateKey, "base64"), format: "der", type: "pkcs8" });
    let counter = credentials[0]!.signCount + 100;

    // The browser's own answer, re-made by the test with the passkey's key for `origin`: the
    // same challenge, RP ID and flags, a valid signature; only the origin in the client data differs.
    const reMake = (origin: string) => async (route: import("@playwright/test").Route) => {
      const args = JSON.parse(route.request().postData()!) as [string, ...unknown[]];
      const answer = JSON.parse(args[0]) as { response: { clientDataJSON: string; authenticatorData: string; signature: string } };
      const clientData = JSON.parse(Buffer.from(answer.response.clientDataJSON, "base64url").toString()) as { origin: string };
      clientData.origin = origin;
      const clientDataJSON = Buffer.from(JSON.stringify(clientData));
      const authData = Buffer.from(answer.response.authenticatorData, "base64url");
      authData.writeUInt32BE(++counter, 33);
      // ES256 hashes inside the signing; Ed25519 (which Chromium picks first when offered) takes no digest name.
      const signature = sign(key.asymmetricKeyType === "ec" ? "sha256" : null, Buffer.concat([authData, createHash("sha256").update(clientDataJSON).digest()]), key);
      answer.response = { ...answer.response, clientDataJSON: clientDataJSON.toString("base64url"), authenticatorData: authData.toString("base64url"), signature: signature.toString("base64url") };
      args[0] = JSON.stringify(answer);
      await route.continue({ postData: JSON.stringify(args) });
    };
    const signInAction = actionId("passkeySignInAction");
    const onSignIn = (r: Request) => r.method() === "POST" && r.headers()["next-action"] === signInAction;

    await signOutHere(page);
    await page.route(`${BASE}/login`, async (route) => (onSignIn(route.request()) ? reMake("https://evil.example")(route) : route.continue()));
    await page.getByRole("button", { name: ACTIONS.signInWithPasskey }).click();
    await expect(page.getByRole("alert").filter({ hasText: "That passkey was not accepted." })).toBeVisible();
    expect(await sessionOf(page)).toBeNull();
    expect(fs.readFileSync(`e2e/.artifacts/server-${PORT}.log`, "utf8")).toContain('Unexpected response origin \\"https://evil.example\\"');

    // The control: the same re-making with this deployment's origin signs in, so the refusal above was the origin's.
    await page.unroute(`${BASE}/login`);
    await page.route(`${BASE}/login`, async (route) => (onSignIn(route.request()) ? reMake(BASE)(route) : route.continue()));
    await page.getByRole("button", { name: ACTIONS.signInWithPasskey }).click();
    await expect(page).toHaveURL(/\/settings\/api-keys$/);
    expect((await sessionOf(page))?.user?.email).toBe(user.email);
  });

  test("renames a passkey, removes it with the current password, and it no longer signs in", async ({ page }) => {
    rememberChallengeTokens(page.context());
    const user = newUser("pkremove");
    await signUp(page, user, BASE);
    await addAuthenticator(page);
    await addPasskey(page, user, "Old name");
    const section = passkeys(page);

    await section.getByRole("button", { name: "Rename passkey: Old name" }).click();
    const rename = page.getByRole("dialog", { name: "Rename passkey" });
    await rename.getByLabel("Passkey name").fill("Phone");
    await rename.getByRole("button", { name: "Save name" }).click();
    await expect(rename).toBeHidden();
    await expect(section.getByRole("group", { name: "Phone" })).toBeVisible();
    await expect(section.getByRole("button", { name: "Rename passkey: Phone" })).toBeFocused();

    await section.getByRole("button", { name: "Remove passkey: Phone" }).click();
    const confirm = page.getByRole("alertdialog", { name: "Remove the passkey “Phone”?" });
    await confirm.getByLabel("Current password").fill("wrong password");
    await confirm.getByRole("button", { name: "Remove passkey" }).click();
    await expect(confirm.getByText("This is not your current password.")).toBeVisible();
    await confirm.getByLabel("Current password").fill(user.password);
    await confirm.getByRole("button", { name: "Remove passkey" }).click();
    await expect(page).toHaveURL(/\/settings\/profile\?passkey=removed/);
    await expect(passkeys(page).getByText("You have no passkeys yet.")).toBeVisible();

    // The authenticator still holds the credential; the server no longer knows it.
    await signOutHere(page);
    await page.getByRole("button", { name: ACTIONS.signInWithPasskey }).click();
    await expect(page.getByRole("alert").filter({ hasText: "That passkey was not accepted." })).toBeVisible();
    expect(await sessionOf(page)).toBeNull();
  });

  test("refuses a suspended account's passkey with the password form's words", async ({ page, browser }) => {
    rememberChallengeTokens(page.context());
    const user = newUser("pksuspended");
    await signUp(page, user, BASE);
    await addAuthenticator(page);
    await addPasskey(page, user, "Suspended key");

    const adminPage = await browser.newPage();
    await adminPage.goto(`${BASE}/login`);
    await adminPage.getByLabel("Email").fill(admin.email);
    await adminPage.getByLabel("Password").fill(admin.password);
    await adminPage.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(adminPage).toHaveURL(/\/settings\/api-keys$/);
    await adminPage.goto(`${BASE}/admin/users`);
    await adminPage.getByRole("button", { name: `Suspend: ${user.email}` }).click();
    await adminPage.getByRole("alertdialog").getByRole("button", { name: "Suspend" }).click();
    await expect(adminPage.getByRole("button", { name: `Reinstate: ${user.email}` })).toBeVisible();
    await adminPage.close();

    await signOutHere(page);
    await page.getByRole("button", { name: ACTIONS.signInWithPasskey }).click();
    await expect(page.getByRole("alert").filter({ hasText: "This account is suspended. Ask an administrator to reinstate it." })).toBeVisible();
    expect(await sessionOf(page)).toBeNull();
  });

  test("the passkey pages and dialogs have no serious axe finding, light or dark; keyboard focus returns", async ({ page }) => {
    test.setTimeout(180_000);
    rememberChallengeTokens(page.context());
    const findings: string[] = [];
    const shots = process.env.SCREENSHOTS_DIR;
    const shoot = async (name: string) => {
      if (!shots) return;
      for (const width of [1280, 375]) {
        await page.setViewportSize({ width, height: 900 });
        for (const scheme of ["light", "dark"] as const) {
          await page.emulateMedia({ colorScheme: scheme });
          await page.screenshot({ path: `${shots}/passkeys-${name}-${width}-${scheme}.png`, fullPage: true });
        }
      }
      await page.setViewportSize({ width: 1280, height: 900 });
      await page.emulateMedia({ colorScheme: null });
    };
    await page.goto(`${BASE}/login`);
    findings.push(...(await audit(page, "/login with passkeys")));
    await shoot("login");
    const user = newUser("pkaxe");
    await signUp(page, user, BASE);
    await addAuthenticator(page);
    await page.goto(`${BASE}/settings/profile`);
    findings.push(...(await audit(page, "Profile, no passkeys")));
    await addPasskey(page, user, "A passkey with a rather long name for a small phone screen");
    findings.push(...(await audit(page, "Profile, a passkey")));
    await shoot("profile");
    const section = passkeys(page);
    for (const [button, role] of [
      ["Rename passkey: A passkey with a rather long name for a small phone screen", "dialog"],
      ["Remove passkey: A passkey with a rather long name for a small phone screen", "alertdialog"],
    ] as const) {
      // By keyboard: focus the button, open with Enter, close with Escape; focus comes back.
      await section.getByRole("button", { name: button }).focus();
      await page.keyboard.press("Enter");
      await expect(page.getByRole(role)).toBeVisible();
      findings.push(...(await audit(page, `${button.split(":")[0]} dialog`)));
      await shoot(role);
      await page.keyboard.press("Escape");
      await expect(page.getByRole(role)).toBeHidden();
      await expect(section.getByRole("button", { name: button })).toBeFocused();
    }
    expect(findings).toEqual([]);
  });
});
