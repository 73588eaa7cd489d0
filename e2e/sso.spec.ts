// Single sign-on end to end in Chromium, through the full browser redirect flow against a real
// OpenID Connect provider on loopback (e2e/support/oidc-provider.ts). It changes the sign-up mode
// and makes SSO the only way in, so it runs on a deployment of its own (its own process, database
// and port, E2E_PORT+76); a second one (+77) is configured with a wrong issuer.
import AxeBuilder from "@axe-core/playwright";
import type { BrowserContext, Page } from "@playwright/test";
import pg from "pg";
import { expect, newUser, signUp, test } from "./support/fixtures";
import { startIdp, type TestIdp } from "./support/oidc-provider";
import { ownDatabase, type OwnDatabase } from "./support/own-database";
import { rememberOpaqueSecret, rememberSecret } from "./support/secrets";
import { startServer, type RunningServer } from "./support/server";
import { ApiKeysPage } from "./support/api-keys-page";
import { later } from "./support/clock";
import { STEP_UP_MINUTES } from "../lib/accounts/step-up";
import { ACTIONS } from "../lib/glossary";

const PORT = Number(process.env.E2E_PORT ?? 3210) + 76;
const MISCONFIGURED_PORT = PORT + 1;
const base = `http://localhost:${PORT}`;
const CALLBACK = `${base}/api/auth/callback/oidc`;
const IDP_NAME = "Test IdP";
const BREAK_GLASS = { name: "Root Breakglass", email: "root@sso.example.test", password: "a long break-glass passphrase 1" };

const UNVERIFIED = "Your identity provider has not verified your email address";
// Auth.js names none of a failed state check, a used code or a foreign issuer's answer to the browser (one "Configuration" code).
const NOT_CHECKED = "your identity provider's answer could not be checked";
const SUSPENDED = "This account is suspended. Ask an administrator to reinstate it.";

/** Clicks "Sign in with Test IdP" on /login and signs in at the provider as `subject` (its login form, then consent). */
async function ssoSignIn(page: Page, subject: string, idp: TestIdp) {
  await page.goto(`${base}/login`);
  await page.getByRole("button", { name: `Sign in with ${IDP_NAME}` }).click();
  await atProvider(page, subject, idp);
}

/** At the provider (after a "Sign in with Test IdP" button): its login form as `subject`, then consent. */
async function atProvider(page: Page, subject: string, idp: TestIdp) {
  await expect(page).toHaveURL(new RegExp(`^${new URL(idp.issuer).origin.replace(/[.]/g, "\\.")}/`));
  await page.getByPlaceholder("Enter any login").fill(subject);
  await page.getByPlaceholder("and password").fill("anything");
  await page.getByRole("button", { name: "Sign-in" }).click();
  await page.getByRole("button", { name: "Continue" }).click();
}

async function expectSignedInAs(page: Page, email: string) {
  await expect(page).toHaveURL(`${base}/settings/api-keys`);
  await page.goto(`${base}/settings/profile`);
  await expect(page.getByText(email, { exact: true })).toBeVisible();
}

async function expectRefused(page: Page, sentence: string | RegExp) {
  await expect(page).toHaveURL(new RegExp(`^${base}/login\\?error=`));
  await expect(page.getByRole("alert").filter({ hasText: sentence })).toBeVisible();
  // Not signed in: a dashboard page sends the browser back to sign in.
  await page.goto(`${base}/settings/api-keys`);
  await expect(page).toHaveURL(/\/login/);
}

test.describe("single sign-on on a deployment of its own", () => {
  test.describe.configure({ mode: "serial" });
  let idp: TestIdp | undefined;
  let foreign: TestIdp | undefined;
  let server: RunningServer | undefined;
  let database: OwnDatabase | undefined;
  const contexts: BrowserContext[] = [];
  const fresh = async (browser: import("@playwright/test").Browser) => {
    const context = await browser.newContext();
    contexts.push(context);
    return context.newPage();
  };

  test.beforeAll(async () => {
    idp = await startIdp(CALLBACK);
    // A second provider that knows the same client (id, secret and redirect URI): a mix-up attacker's.
    foreign = await startIdp(CALLBACK, { clientId: idp.clientId, clientSecret: idp.clientSecret });
    rememberOpaqueSecret(idp.clientSecret);
    database = await ownDatabase(".data-e2e-sso", "keysmith_sso");
    server = await startServer(PORT, {
      ...database.env,
      OIDC_ISSUER: idp.issuer,
      OIDC_CLIENT_ID: idp.clientId,
      OIDC_CLIENT_SECRET: idp.clientSecret,
      OIDC_NAME: IDP_NAME,
      ADMIN_EMAILS: BREAK_GLASS.email,
      BREAK_GLASS_EMAILS: BREAK_GLASS.email,
    });
  });
  test.afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await server?.stop();
    // The client secret and every authorization code: in no server log and no database row
    // (scripts/secret-hygiene.ts reads the embedded database; a Postgres one is read here before it goes).
    const opaque = [idp?.clientSecret, ...(idp?.codes ?? []), ...(foreign?.codes ?? [])].filter((s): s is string => !!s);
    for (const secret of opaque) rememberOpaqueSecret(secret);
    if (database?.url) {
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      const tables = await client.query<{ t: string }>("select table_name as t from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'");
      for (const { t } of tables.rows) {
        const text = (await client.query<{ row: string }>(`select x::text as row from "${t}" x`)).rows.map((r) => r.row).join("\n");
        for (const secret of opaque) expect(text.includes(secret), `${t} holds an OIDC secret or code`).toBe(false);
      }
      await client.end();
    }
    await idp?.stop();
    await foreign?.stop();
    await database?.drop();
  });

  test("the first SSO sign-in creates the account; the next matches by subject, whatever the email says now", async ({ browser }) => {
    idp!.accounts.set("ann", { email: "ann@sso.example.test", email_verified: true, name: "Ann Okafor" });
    const page = await fresh(browser);
    await ssoSignIn(page, "ann", idp!);
    await expectSignedInAs(page, "ann@sso.example.test");
    // The deployment's first account: its admin.
    await expect(page.getByText("admin", { exact: true })).toBeVisible();

    // The IdP now says another address (verified): the same subject is the same account.
    idp!.accounts.set("ann", { email: "ann.okafor@sso.example.test", email_verified: true, name: "Ann Okafor" });
    const again = await fresh(browser);
    await ssoSignIn(again, "ann", idp!);
    await expectSignedInAs(again, "ann@sso.example.test");

    await again.goto(`${base}/admin/audit`);
    const log = again.getByRole("table");
    await expect(log).toContainText("signed up with single sign-on");
    await expect(log).toContainText("signed in with single sign-on");
  });

  test("a password account is linked by a verified email; an unverified or missing verification is refused and links nothing", async ({ browser }) => {
    const bob = { ...newUser("bob"), email: "bob@sso.example.test" };
    await signUp(await fresh(browser), bob, base);
    // The break-glass admin signs up with a password while sign-up is open (used at the end).
    await signUp(await fresh(browser), BREAK_GLASS, base);

    // An identity claiming Bob's address without the IdP having verified it: no takeover.
    idp!.accounts.set("mallory", { email: bob.email, email_verified: false, name: "Mallory" });
    const mallory = await fresh(browser);
    await ssoSignIn(mallory, "mallory", idp!);
    await expectRefused(mallory, UNVERIFIED);
    idp!.accounts.set("eve", { email: bob.email, name: "Eve" });
    const eve = await fresh(browser);
    await ssoSignIn(eve, "eve", idp!);
    await expectRefused(eve, UNVERIFIED);

    // Bob's own identity, verified: linked to his password account.
    idp!.accounts.set("bob", { email: bob.email, email_verified: true, name: "Robert" });
    const page = await fresh(browser);
    await ssoSignIn(page, "bob", idp!);
    await expectSignedInAs(page, bob.email);
    await expect(page.getByRole("textbox", { name: "Name" })).toHaveValue(bob.name);

    // Mallory's identity was not linked: still refused (a link would have signed her in as Bob).
    const retry = await fresh(browser);
    await ssoSignIn(retry, "mallory", idp!);
    await expectRefused(retry, UNVERIFIED);
  });

  test("a tampered state and a replayed authorization code are refused", async ({ browser }) => {
    idp!.accounts.set("carl", { email: "carl@sso.example.test", email_verified: true, name: "Carl" });
    // The state in the answer is not the one this browser's sign-in started with.
    idp!.tamper = (answer) => {
      answer.searchParams.set("state", `${answer.searchParams.get("state")}x`);
      return answer;
    };
    const tampered = await fresh(browser);
    await ssoSignIn(tampered, "carl", idp!).finally(() => (idp!.tamper = null));
    await expectRefused(tampered, NOT_CHECKED);

    // A real sign-in; the browser's sign-in cookies (state, PKCE, nonce) and the answer are kept...
    const page = await fresh(browser);
    await page.goto(`${base}/login`);
    await page.getByRole("button", { name: `Sign in with ${IDP_NAME}` }).click();
    await expect(page).toHaveURL(new RegExp(`^${idp!.issuer.replace(/[.]/g, "\\.")}/`));
    const cookies = (await page.context().cookies(base)).filter((c) => !c.name.includes("session-token"));
    await page.getByPlaceholder("Enter any login").fill("carl");
    await page.getByPlaceholder("and password").fill("anything");
    await page.getByRole("button", { name: "Sign-in" }).click();
    await page.getByRole("button", { name: "Continue" }).click();
    await expectSignedInAs(page, "carl@sso.example.test");
    const answer = idp!.lastRedirect!;
    expect(answer).toContain("code=");
    // ...and replayed in another browser with the same cookies: the code was used, so it is refused.
    const replay = await browser.newContext();
    contexts.push(replay);
    await replay.addCookies(cookies);
    const replayed = await replay.newPage();
    await replayed.goto(answer);
    await expectRefused(replayed, NOT_CHECKED);
  });

  test("an answer from another issuer (a mix-up) is refused", async ({ browser }) => {
    foreign!.accounts.set("ann", { email: "ann@sso.example.test", email_verified: true, name: "Ann Okafor" });
    const page = await fresh(browser);
    // The browser is sent to the other provider with this sign-in's own request (state, PKCE, nonce).
    idp!.forwardAuthorizationTo = foreign!.issuer;
    try {
      await page.goto(`${base}/login`);
      await page.getByRole("button", { name: `Sign in with ${IDP_NAME}` }).click();
      await expect(page).toHaveURL(new RegExp(`^${foreign!.issuer.replace(/[.]/g, "\\.")}/`));
    } finally {
      idp!.forwardAuthorizationTo = null;
    }
    await page.getByPlaceholder("Enter any login").fill("ann");
    await page.getByPlaceholder("and password").fill("anything");
    await page.getByRole("button", { name: "Sign-in" }).click();
    await page.getByRole("button", { name: "Continue" }).click();
    expect(foreign!.lastRedirect).toContain("code=");
    await expectRefused(page, NOT_CHECKED);
  });

  test("invite-only: a new identity is refused unless invited, and the invitation is consumed; closed: nobody new", async ({ browser }) => {
    const admin = await fresh(browser);
    await ssoSignIn(admin, "ann", idp!);
    await expect(admin).toHaveURL(`${base}/settings/api-keys`);
    await admin.goto(`${base}/admin/settings`);
    await admin.getByLabel("Invited people only").check();
    await admin.getByRole("button", { name: "Save sign-up" }).click();
    await expect(admin.getByRole("status").filter({ hasText: "Saved. The sign-up page says" })).toBeVisible();

    idp!.accounts.set("dora", { email: "dora@sso.example.test", email_verified: true, name: "Dora" });
    const dora = await fresh(browser);
    await ssoSignIn(dora, "dora", idp!);
    await expectRefused(dora, "You have no account here yet, and sign-up here is by invitation only.");

    // Invited (a link shown to the admin, since this deployment does not mail): SSO creates the account and spends the invitation.
    await admin.goto(`${base}/admin/users`);
    await admin.getByRole("button", { name: "Invite someone" }).click();
    const dialog = admin.getByRole("dialog");
    await dialog.getByLabel("Email").fill("dora@sso.example.test");
    await dialog.getByLabel("Role").selectOption({ label: "Member" });
    await dialog.getByRole("button", { name: "Create link" }).click();
    rememberSecret((await dialog.getByRole("textbox", { name: "Invitation link" }).inputValue()).split("#token=")[1]!);
    await dialog.getByRole("button", { name: "Done" }).click();
    const invited = await fresh(browser);
    await ssoSignIn(invited, "dora", idp!);
    await expectSignedInAs(invited, "dora@sso.example.test");
    await expect(invited.getByText("member", { exact: true })).toBeVisible();
    await admin.goto(`${base}/admin/users`);
    await expect(admin.getByText("No pending invitations.")).toBeVisible();

    await admin.goto(`${base}/admin/settings`);
    await admin.getByLabel("Nobody: sign-up closed").check();
    await admin.getByRole("button", { name: "Save sign-up" }).click();
    await expect(admin.getByRole("status").filter({ hasText: "Saved. The sign-up page says" })).toBeVisible();
    idp!.accounts.set("ed", { email: "ed@sso.example.test", email_verified: true, name: "Ed" });
    const ed = await fresh(browser);
    await ssoSignIn(ed, "ed", idp!);
    await expectRefused(ed, "You have no account here yet, and sign-up here is closed.");
  });

  test("SSO only: passwords are refused but for the break-glass admin; a suspended account is refused with the password's words", async ({ browser }) => {
    test.setTimeout(120_000); // five browsers, three trips through the provider
    const admin = await fresh(browser);
    await ssoSignIn(admin, "ann", idp!);
    await admin.goto(`${base}/admin/settings`);
    await admin.getByLabel("Only single sign-on").check();
    await admin.getByRole("button", { name: "Update single sign-on" }).click();
    await expect(admin.getByRole("status").filter({ hasText: "Single sign-on is now the only way in" })).toBeVisible();
    // Sign-up open again (the test before closed it), so the sign-up page has someone to let in.
    await admin.getByLabel("Anyone").check();
    await admin.getByRole("button", { name: "Save sign-up" }).click();
    await expect(admin.getByRole("status").filter({ hasText: "Saved. The sign-up page says" })).toBeVisible();

    // The sign-in page leads with SSO and says why there is no password form.
    const bob = await fresh(browser);
    await bob.goto(`${base}/login`);
    await expect(bob.getByText(`Password sign-in is turned off here: everyone signs in with ${IDP_NAME}.`)).toBeVisible();
    await expect(bob.getByLabel("Password", { exact: true })).toBeHidden();
    await expect(bob.getByRole("link", { name: "Forgot your password?" })).toHaveCount(0);
    // Nor does the sign-up page offer a password: people join through the provider.
    await bob.goto(`${base}/signup`);
    await expect(bob.getByText(`This Keysmith signs people in through ${IDP_NAME} only`)).toBeVisible();
    await expect(bob.getByLabel("Password")).toHaveCount(0);
    await expect(bob.getByRole("button", { name: `Sign in with ${IDP_NAME}` })).toBeVisible();
    await bob.goto(`${base}/login`);
    // Bob's password (a member, not break-glass) is refused even through the emergency form.
    await bob.getByText("Emergency sign-in for administrators").click();
    await bob.getByLabel("Email").fill("bob@sso.example.test");
    await bob.getByLabel("Password").fill(newUser().password);
    await bob.getByRole("button", { name: "Sign in with password" }).click();
    await expect(bob.getByRole("alert").filter({ hasText: "Password sign-in is turned off here" })).toBeVisible();
    await bob.goto(`${base}/settings/api-keys`);
    await expect(bob).toHaveURL(/\/login/);

    // The break-glass admin's password works, loudly audited.
    const root = await fresh(browser);
    await root.goto(`${base}/login`);
    await root.getByText("Emergency sign-in for administrators").click();
    await root.getByLabel("Email").fill(BREAK_GLASS.email);
    await root.getByLabel("Password").fill(BREAK_GLASS.password);
    await root.getByRole("button", { name: "Sign in with password" }).click();
    await expectSignedInAs(root, BREAK_GLASS.email);

    // Suspended: the SSO sign-in says what the password sign-in says.
    await admin.goto(`${base}/admin/users`);
    const table = admin.getByRole("table", { name: "Users" });
    await table.getByRole("button", { name: "Suspend: bob@sso.example.test" }).click();
    await admin.getByRole("alertdialog").getByRole("button", { name: "Suspend" }).click();
    await expect(table.getByRole("button", { name: "Reinstate: bob@sso.example.test" })).toBeVisible();
    const suspended = await fresh(browser);
    await ssoSignIn(suspended, "bob", idp!);
    await expectRefused(suspended, SUSPENDED);

    // No reset link for an account whose password no longer counts; the break-glass admin keeps one.
    await expect(table.getByRole("button", { name: "Reset link: bob@sso.example.test" })).toHaveCount(0);
    await expect(table.getByRole("button", { name: `Reset link: ${BREAK_GLASS.email}` })).toBeVisible();

    // An invitation while SSO is the only way in: no password to choose; the provider's sign-in with
    // the invited address creates the account with the invitation's role and spends it.
    await admin.goto(`${base}/admin/settings`);
    await admin.getByLabel("Invited people only").check();
    await admin.getByRole("button", { name: "Save sign-up" }).click();
    await expect(admin.getByRole("status").filter({ hasText: "Saved. The sign-up page says" })).toBeVisible();
    await admin.goto(`${base}/admin/users`);
    await admin.getByRole("button", { name: "Invite someone" }).click();
    const dialog = admin.getByRole("dialog");
    await dialog.getByLabel("Email").fill("fay@sso.example.test");
    await dialog.getByLabel("Role").selectOption({ label: "Admin" });
    await dialog.getByRole("button", { name: "Create link" }).click();
    const link = await dialog.getByRole("textbox", { name: "Invitation link" }).inputValue();
    rememberSecret(link.split("#token=")[1]!);
    await dialog.getByRole("button", { name: "Done" }).click();
    idp!.accounts.set("fay", { email: "fay@sso.example.test", email_verified: true, name: "Fay" });
    const fay = await fresh(browser);
    await fay.goto(`${base}/login`);
    await fay.goto(link);
    await expect(fay.getByText(`This Keysmith signs people in through ${IDP_NAME} only`)).toBeVisible();
    await expect(fay.getByLabel("Password")).toHaveCount(0);
    await fay.getByRole("button", { name: `Sign in with ${IDP_NAME}` }).click();
    await atProvider(fay, "fay", idp!);
    await expectSignedInAs(fay, "fay@sso.example.test");
    await fay.goto(`${base}/admin/users`);
    await expect(fay.getByRole("heading", { name: "Users" })).toBeVisible();
    await admin.goto(`${base}/admin/users`);
    await expect(admin.getByText("No pending invitations.")).toBeVisible();

    await admin.goto(`${base}/admin/audit?action=settings.sso_only_changed`);
    await expect(admin.getByRole("table")).toContainText("made single sign-on the only way in");
    await admin.goto(`${base}/admin/audit?action=user.break_glass_sign_in`);
    await expect(admin.getByRole("table")).toContainText("as a break-glass administrator");
    await admin.goto(`${base}/admin/audit?action=user.sign_in_failed`);
    const refusals = admin.getByRole("table");
    await expect(refusals).toContainText("A password sign-in as bob@sso.example.test was refused: single sign-on is the only way in");
    await expect(refusals).toContainText("A single sign-on as bob@sso.example.test was refused: the account is suspended");
    await expect(refusals).toContainText("A single sign-on as bob@sso.example.test was refused: the email was not verified by the identity provider");
    // The tampered, replayed and mixed-up answers, refused by Auth.js before any identity was read.
    await expect(refusals).toContainText("A single sign-on was refused: the identity provider's answer failed its checks");
  });

  test("an account made by single sign-on confirms a sensitive change at the provider (no password to type)", async ({ browser }) => {
    // Ann's account was made by single sign-on in the first test (sign-up is closed by now).
    const page = await fresh(browser);
    await ssoSignIn(page, "ann", idp!);
    await expectSignedInAs(page, "ann@sso.example.test");
    // Sixteen minutes on (test clock): a Full-access key asks who it is, and offers the provider.
    await page.setExtraHTTPHeaders(later((STEP_UP_MINUTES + 1) * 60_000));
    await page.goto(`${base}/settings/api-keys`);
    const keys = new ApiKeysPage(page);
    await keys.openCreate();
    await keys.fillCreate({ name: "sso-stepup", access: "Full access" });
    await keys.submitCreate();
    const confirm = page.getByRole("dialog", { name: ACTIONS.confirmIdentity });
    await confirm.getByRole("button", { name: `Continue with ${IDP_NAME}` }).click();
    // The provider asks again (prompt=login), then the browser comes back to the page, freshly signed in.
    await expect(page).toHaveURL(new RegExp(`^${new URL(idp!.issuer).origin.replace(/[.]/g, "\\.")}/`));
    await page.getByPlaceholder("Enter any login").fill("ann");
    await page.getByPlaceholder("and password").fill("anything");
    await page.getByRole("button", { name: "Sign-in" }).click();
    const consent = page.getByRole("button", { name: "Continue" });
    if (await consent.isVisible().catch(() => false)) await consent.click();
    await expect(page).toHaveURL(`${base}/settings/api-keys`);
    const secret = await keys.create({ name: "sso-stepup", access: "Full access" });
    rememberSecret(secret);
    await keys.copyAndClose();
    await expect(keys.row("sso-stepup")).toContainText("Full access");
  });

  test("the sign-in page and Admin -> Settings with single sign-on: axe clean and laid out at 375 and 1280 px, light and dark", async ({ browser }) => {
    test.setTimeout(240_000);
    const findings: string[] = [];
    const look = async (page: Page, name: string) => {
      for (const width of [375, 1280]) {
        await page.setViewportSize({ width, height: 900 });
        for (const scheme of ["light", "dark"] as const) {
          await page.emulateMedia({ colorScheme: scheme });
          await page.waitForTimeout(150);
          const { violations } = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
          for (const v of violations.filter((v) => v.impact === "serious" || v.impact === "critical")) findings.push(`${name} ${width} ${scheme}: ${v.id} ${v.help}`);
          // Nothing wider than the screen.
          expect(await page.evaluate(() => document.documentElement.scrollWidth), `${name} at ${width}`).toBeLessThanOrEqual(width);
          if (process.env.SCREENSHOTS_DIR) await page.screenshot({ path: `${process.env.SCREENSHOTS_DIR}/sso-${name}-${width}-${scheme}.png`, fullPage: true });
        }
      }
    };
    // SSO only (from the test before): the emergency form folded, then opened by keyboard.
    const visitor = await fresh(browser);
    await visitor.goto(`${base}/login`);
    await look(visitor, "login-sso-only");
    const summary = visitor.getByText("Emergency sign-in for administrators");
    await summary.focus();
    await visitor.keyboard.press("Enter");
    await expect(visitor.getByLabel("Email")).toBeVisible();
    await look(visitor, "login-sso-only-open");
    await visitor.goto(`${base}/login?error=sso_email_unverified`);
    await look(visitor, "login-error");

    const admin = await fresh(browser);
    await ssoSignIn(admin, "ann", idp!);
    await admin.goto(`${base}/admin/settings`);
    await admin.getByLabel("Only single sign-on").uncheck();
    await admin.getByRole("button", { name: "Update single sign-on" }).click();
    await expect(admin.getByRole("status").filter({ hasText: "People may sign in with a password again." })).toBeVisible();
    await look(admin, "admin-settings");
    await visitor.goto(`${base}/login`);
    await expect(visitor.getByLabel("Password", { exact: true })).toBeVisible();
    await expect(visitor.getByRole("button", { name: "Sign in with password" })).toBeVisible();
    await look(visitor, "login-sso-and-password");
    expect(findings).toEqual([]);
  });
});

test.describe("single sign-on with a misconfigured issuer", () => {
  test.describe.configure({ mode: "serial" });
  let idp: TestIdp | undefined;
  let server: RunningServer | undefined;
  let database: OwnDatabase | undefined;
  const wrongBase = `http://localhost:${MISCONFIGURED_PORT}`;
  test.beforeAll(async () => {
    idp = await startIdp(`${wrongBase}/api/auth/callback/oidc`);
    database = await ownDatabase(".data-e2e-sso-wrong", "keysmith_ssow");
    // The provider's discovery document names http://127.0.0.1:<port>, not this: Auth.js refuses it.
    const wrong = idp.issuer.replace("127.0.0.1", "localhost");
    server = await startServer(MISCONFIGURED_PORT, { ...database.env, OIDC_ISSUER: wrong, OIDC_CLIENT_ID: idp.clientId, OIDC_CLIENT_SECRET: idp.clientSecret, OIDC_NAME: IDP_NAME });
  });
  test.afterAll(async () => {
    await server?.stop();
    await idp?.stop();
    await database?.drop();
  });

  test("an issuer that does not match the provider's is refused with a sentence, not an error page", async ({ page }) => {
    await page.goto(`${wrongBase}/login`);
    await page.getByRole("button", { name: `Sign in with ${IDP_NAME}` }).click();
    await expect(page.getByRole("alert").filter({ hasText: /Single sign-on (could not start|did not complete)/ })).toBeVisible();
    await expect(page).toHaveURL(new RegExp(`^${wrongBase}/login`));
  });
});
