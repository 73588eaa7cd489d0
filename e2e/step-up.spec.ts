import type { Page } from "@playwright/test";
import { ApiKeysPage } from "./support/api-keys-page";
import { apiTest as test, expect } from "./support/api";
import { later } from "./support/clock";
import { ADMIN, PASSWORD, newUser, signIn, signUp } from "./support/fixtures";
import { rememberSecret } from "./support/secrets";
import { actionIds, postAction } from "./security/authz-walker";
import { STEP_UP_MINUTES } from "../lib/accounts/step-up";
import { ACTIONS } from "../lib/glossary";

// Step-up: sensitive changes from a session whose last authentication is older than
// STEP_UP_MINUTES are refused on the server; the page turns the refusal into "Confirm it's you",
// and the change goes through once the password is confirmed. Time moves with the test clock
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
