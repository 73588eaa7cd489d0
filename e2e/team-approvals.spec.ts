// A team's key policy and approvals in the browser: a team of an owner, a developer and a viewer;
// the owner puts Full-access keys behind approval on the Key policy page; the developer's create
// dialog says so before submit and sends a request instead; the owner denies it with a reason; the
// developer reads the reason and asks again; the owner approves; the developer creates the key
// from the Requests page, sees its secret once, and the key works as the team; no later page shows
// it. The viewer sees the policy read-only and no request or decision controls, and the decision
// actions called directly as the viewer are refused. The rules themselves are in
// lib/teams/policy.test.ts and lib/commands/key-requests.test.ts.
import { randomInt, randomUUID } from "node:crypto";
import type { Browser, BrowserContext, Page } from "@playwright/test";
import { ApiKeysPage } from "./support/api-keys-page";
import { audit } from "./support/axe";
import { expect, newUser, signUp, test, type TestUser } from "./support/fixtures";
import { rememberSecret } from "./support/secrets";
import { actionIds, postAction } from "./security/authz-walker";

const REQUESTS = "app/(dashboard)/t/[slug]/settings/requests/actions.ts";
const POLICY = "app/(dashboard)/t/[slug]/settings/policy/actions.ts";

const opened: BrowserContext[] = [];

async function personIn(browser: Browser, label: string): Promise<{ page: Page; user: TestUser }> {
  const context = await browser.newContext();
  opened.push(context);
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  const page = await context.newPage();
  const user = newUser(label);
  await signUp(page, user);
  return { page, user };
}

async function addMember(page: Page, email: string, role: "Admin" | "Developer" | "Viewer") {
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Role", { exact: true }).selectOption({ label: role });
  await page.getByRole("button", { name: "Add member" }).click();
  await expect(page.getByRole("status").filter({ hasText: `${email} is now a member` })).toBeVisible();
}

/** The developer asks for a Full-access key through the create dialog. */
async function requestFullKey(page: Page, keysUrl: string, name: string, why: string) {
  await page.goto(keysUrl);
  const keys = new ApiKeysPage(page);
  await keys.openCreate();
  await keys.fillCreate({ name, access: "Full access", expiration: "30" });
  // Said before submit: the dialog names the approval and its button asks for it.
  await expect(keys.dialog.getByRole("note")).toContainText("needs an admin's approval for Full access keys");
  await expect(keys.dialog.getByRole("button", { name: "Generate" })).toHaveCount(0);
  // Read only needs none: the button says Generate again.
  await keys.dialog.getByRole("radio", { name: "Read only" }).check();
  await expect(keys.dialog.getByRole("button", { name: "Generate" })).toBeVisible();
  await keys.dialog.getByRole("radio", { name: "Full access" }).check();
  await keys.dialog.getByLabel("Why do you need it?").fill(why);
  await keys.dialog.getByRole("button", { name: "Request approval" }).click();
  await expect(keys.dialog.getByRole("heading", { name: "Request sent" })).toBeVisible();
  await expect(keys.dialog.getByRole("link", { name: "Go to Requests" })).toBeVisible();
  // No secret was shown: Escape closes it at once, focus back on the button that opened it.
  await page.keyboard.press("Escape");
  await expect(keys.dialog).toBeHidden();
  await expect(page.getByRole("button", { name: "Create API Key" }).first()).toBeFocused();
}

const request = (page: Page, name: string) => page.getByRole("group", { name: `Request for “${name}”` });

test.describe("team key approvals", () => {
  test.describe.configure({ timeout: 480_000 });
  test.afterEach(async () => {
    for (const context of opened.splice(0)) await context.close();
  });

  test("requested, denied with a reason, requested again, approved; the secret shown once to the requester", async ({ page, user, browser }) => {
    void user; // the owner
    const teamName = `Approvals ${randomUUID().slice(0, 6)}`;
    await page.goto("/t/new");
    await page.getByLabel("Team name").fill(teamName);
    const slug = await page.getByLabel("Address").inputValue();
    await page.getByRole("button", { name: "Create team" }).click();
    await expect(page).toHaveURL(new RegExp(`/t/${slug}/settings/members$`));
    const keysUrl = `/t/${slug}/settings/api-keys`;
    const requestsUrl = `/t/${slug}/settings/requests`;
    const policyUrl = `/t/${slug}/settings/policy`;

    const developer = await personIn(browser, "approvals-developer");
    const viewer = await personIn(browser, "approvals-viewer");
    await addMember(page, developer.user.email, "Developer");
    await addMember(page, viewer.user.email, "Viewer");

    // The owner puts Full-access keys behind approval.
    await page.getByRole("navigation", { name: "Team settings" }).getByRole("link", { name: "Key policy" }).click();
    await expect(page).toHaveURL(new RegExp(`${policyUrl}$`));
    await page.getByLabel("Approval by an admin").selectOption({ label: "Full access keys" });
    await page.getByRole("button", { name: "Save policy" }).click();
    await expect(page.getByRole("status").filter({ hasText: "The team's key policy was saved." })).toBeVisible();
    expect(await audit(page, "team policy, as owner")).toEqual([]);

    // The developer asks; the owner sees it waiting, with the reason, and denies it with one.
    const keyName = `prod deploy ${randomUUID().slice(0, 6)}`;
    await requestFullKey(developer.page, keysUrl, keyName, "Deploys production from CI");
    await page.goto(requestsUrl);
    const waiting = request(page, keyName);
    await expect(waiting).toContainText("Deploys production from CI");
    await expect(waiting).toContainText("Waiting for approval");
    await expect(waiting).toContainText(developer.user.email);
    await waiting.getByRole("button", { name: `Deny “${keyName}”` }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByRole("button", { name: "Deny request" }).click();
    await expect(dialog).toContainText("Give a reason for the denial");
    await dialog.getByLabel("Reason").fill("Use a restricted key with keys:write only");
    await dialog.getByRole("button", { name: "Deny request" }).click();
    await expect(dialog).toBeHidden();
    await expect(request(page, keyName)).toContainText("Denied");
    await expect(page.getByText("No requests are waiting.")).toBeVisible();
    expect(await audit(page, "team requests, as owner")).toEqual([]);

    // The developer reads the reason, and asks again.
    await developer.page.goto(requestsUrl);
    await expect(request(developer.page, keyName)).toContainText("Use a restricted key with keys:write only");
    await expect(request(developer.page, keyName).getByRole("button")).toHaveCount(0);
    await requestFullKey(developer.page, keysUrl, keyName, "Restricted cannot deploy: it needs profile access too");
    await developer.page.goto(requestsUrl);
    await expect(developer.page.getByRole("heading", { name: "Your pending requests" })).toBeVisible();
    await expect(developer.page.getByRole("button", { name: `Cancel the request for “${keyName}”` })).toBeVisible();

    // The owner approves.
    await page.goto(requestsUrl);
    const again = request(page, keyName).filter({ hasText: "Waiting for approval" });
    await again.getByRole("button", { name: `Approve “${keyName}”` }).click();
    await page.getByRole("dialog").getByLabel("Note").fill("Approved for the Q4 deploys");
    await page.getByRole("dialog").getByRole("button", { name: "Approve request" }).click();
    await expect(page.getByRole("dialog")).toBeHidden();
    await expect(page.getByText("No requests are waiting.")).toBeVisible();

    // The developer creates the key: the secret once, in the secret dialog.
    await developer.page.goto(requestsUrl);
    await request(developer.page, keyName).filter({ hasText: "Approved: create the key" }).getByRole("button", { name: "Create API Key" }).click();
    const secretDialog = developer.page.getByRole("dialog");
    const field = secretDialog.getByLabel("Your new API key");
    await expect(field).toBeVisible();
    const secret = await field.inputValue();
    rememberSecret(secret);
    expect(secret).toMatch(/^ksk_/);
    await secretDialog.getByRole("button", { name: "Copy API key" }).click();
    await secretDialog.getByRole("button", { name: "Done" }).click();
    await expect(secretDialog).toBeHidden();
    await expect(request(developer.page, keyName).filter({ hasText: "Key created" })).toHaveCount(1);
    await expect(developer.page.getByRole("button", { name: "Create API Key" })).toHaveCount(0);

    // It works as the team.
    const me = await page.request.get("/api/v1/me", { headers: { Authorization: `Bearer ${secret}`, "X-Forwarded-For": `198.19.${randomInt(256)}.${randomInt(1, 255)}` } });
    expect(me.status()).toBe(200);
    expect((await me.json()).owner).toMatchObject({ type: "team", slug });

    // No later page shows it; issuing again is refused.
    for (const url of [requestsUrl, keysUrl]) {
      await developer.page.goto(url);
      expect(await developer.page.content()).not.toContain(secret);
    }
    await expect(new ApiKeysPage(developer.page).row(keyName)).toContainText(`ksk_…${secret.slice(-4)}`);
    const ids = actionIds();
    const requestId = await idOfRequest(page, requestsUrl, keyName);
    const twice = await postAction(developer.page.request, developer.page.url(), ids.get(`${REQUESTS}#issueRequestedKeyAction`)!, requestsUrl, [slug, requestId]);
    const twiceText = await twice.text();
    expect(twiceText).toContain("A key was already created from this request");
    expect(twiceText).not.toContain("ksk_");

    // The viewer: the policy read-only, no request or decision controls; the actions refused.
    await viewer.page.goto(policyUrl);
    await expect(viewer.page.getByLabel("Approval by an admin")).toBeDisabled();
    await expect(viewer.page.getByRole("button", { name: "Save policy" })).toHaveCount(0);
    await viewer.page.goto(requestsUrl);
    await expect(viewer.page.getByRole("button", { name: /Approve|Deny|Create API Key|Cancel/ })).toHaveCount(0);
    await viewer.page.goto(keysUrl);
    await expect(viewer.page.getByRole("button", { name: /Create API key/i })).toHaveCount(0);
    const calls: [string, string, unknown[]][] = [
      [REQUESTS, "approveKeyRequestAction", [slug, { ok: false }, { $form: { requestId } }]],
      [REQUESTS, "denyKeyRequestAction", [slug, { ok: false }, { $form: { requestId, reason: "no" } }]],
      [REQUESTS, "requestTeamKeyAction", [slug, { ok: false }, { $form: { name: "viewer's", description: "", access: "full", expiration: "30" } }]],
      [POLICY, "changeTeamPolicyAction", [slug, { ok: false }, { $form: { lifetime: "deployment", developerScopesMode: "all", approvalFrom: "none" } }]],
    ];
    for (const [file, action, args] of calls) {
      // The request action is registered by the API Keys page's dialog; the others by their pages.
      const on = action === "requestTeamKeyAction" ? keysUrl : file === POLICY ? policyUrl : requestsUrl;
      const res = await postAction(viewer.page.request, viewer.page.url(), ids.get(`${file}#${action}`)!, on, args);
      expect(res.status(), action).toBeLessThan(500);
      const text = await res.text();
      expect(text, action).toContain('"ok":false');
      expect(text, action).toMatch(/does not allow this change|lets you see its keys, not change them/);
    }
  });
});

/** A request's id, from its item on the page (the newest of that name). */
async function idOfRequest(page: Page, url: string, name: string): Promise<string> {
  await page.goto(url);
  const id = await page.getByRole("group", { name: `Request for “${name}”` }).first().getAttribute("data-request-id");
  expect(id).toBeTruthy();
  return id!;
}
