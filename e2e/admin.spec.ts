import type { Page } from "@playwright/test";
import { ApiKeysPage } from "./support/api-keys-page";
import { apiTest as test, expect } from "./support/api";
import { ADMIN, newUser, signIn, signUp } from "./support/fixtures";
import { PLACES } from "../lib/glossary";

const ADMIN_PAGES = ["/admin", "/admin/keys", "/admin/audit", "/admin/users", "/admin/jobs", "/admin/keys/export", "/admin/audit/export"];

/** Calls a server action directly, as any client can: the action id, then the arguments. */
function callAction(page: Page, path: string, actionId: string, args: unknown[]) {
  return page.request.post(path, {
    headers: { "next-action": actionId, "content-type": "text/plain;charset=UTF-8", accept: "text/x-component" },
    data: JSON.stringify(args),
  });
}

/** The next server action id `page` sends while `act` runs. */
async function actionIdOf(page: Page, act: () => Promise<void>): Promise<string> {
  const request = page.waitForRequest((r) => r.method() === "POST" && !!r.headers()["next-action"]);
  await act();
  return (await request).headers()["next-action"]!;
}

/** A user's id, read by the admin from their sign-up event in the audit export. */
async function userIdOf(admin: Page, email: string): Promise<string> {
  const csv = await (await admin.request.get(`/admin/audit/export?${new URLSearchParams({ actor: email, action: "user.signed_up" })}`)).text();
  const [header, row] = csv.split("\r\n").map((line) => line.split(",").map((cell) => cell.replace(/^"|"$/g, "")));
  return row![header!.indexOf("target_id")]!;
}

test.describe("admins audit every token", () => {
  test("a member gets 404 from every admin page and export, and 'Not found.' from every admin action", async ({ browser, page, api }) => {
    test.setTimeout(120_000); // four sessions and two round trips through the admin UI
    const admin = await (await browser.newContext()).newPage();
    await signIn(admin, ADMIN);
    const victimPage = await (await browser.newContext()).newPage();
    await victimPage.context().grantPermissions(["clipboard-read", "clipboard-write"]);
    const victim = newUser("victim");
    await signUp(victimPage, victim);
    const victimKeys = new ApiKeysPage(victimPage);
    const decoySecret = await victimKeys.create({ name: "decoy" });
    await victimKeys.copyAndClose();
    const targetSecret = await victimKeys.create({ name: "target" });
    await victimKeys.copyAndClose();
    const targetId = await victimKeys.row("target").getAttribute("data-key-id");

    // The admin uses each admin action once, so we learn their ids as the browser sends them.
    await admin.goto("/admin/keys?q=decoy");
    await admin.getByRole("checkbox", { name: /^Select decoy of/ }).first().check();
    await admin.getByRole("button", { name: /Revoke selected/ }).click();
    await admin.getByLabel("Reason").fill("test of the revoke action");
    const revokeAction = await actionIdOf(admin, () => admin.getByRole("button", { name: "Revoke keys" }).click());
    await expect(admin.getByText(/key revoked/)).toBeVisible();
    expect((await api.call("GET", "/me", { key: decoySecret })).status).toBe(401);
    await admin.goto(`/admin/users?q=${encodeURIComponent(victim.email)}`);
    await admin.getByRole("button", { name: `Make admin: ${victim.email}` }).click();
    const roleAction = await actionIdOf(admin, () => admin.getByRole("alertdialog").getByRole("button", { name: "Make admin" }).click());
    await admin.getByRole("button", { name: `Make member: ${victim.email}` }).click();
    await admin.getByRole("alertdialog").getByRole("button", { name: "Make member" }).click();
    await expect(admin.getByText(`${victim.email} is now a member`)).toBeVisible();

    const member = newUser("member");
    await signUp(page, member);
    const memberId = await userIdOf(admin, member.email);
    await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Admin" })).toHaveCount(0);
    for (const path of ADMIN_PAGES) {
      const response = await page.request.get(path, { maxRedirects: 0 });
      expect(response.status(), path).toBe(404);
      expect(await response.text(), path).not.toContain("target");
    }

    // The member calls the admin actions directly: revoking the victim's key, promoting themselves.
    const forgedRevoke = await callAction(page, "/admin/keys", revokeAction, [{ ids: [targetId], reason: "member attack" }]);
    expect(await forgedRevoke.text()).toContain('"message":"Not found."');
    expect((await api.call("GET", "/me", { key: targetSecret })).status).toBe(200);
    const forgedRole = await callAction(page, "/admin/users", roleAction, [{ userId: memberId, role: "admin" }]);
    expect(await forgedRole.text()).toContain('"message":"Not found."');
    expect((await page.request.get("/admin", { maxRedirects: 0 })).status()).toBe(404);
    await admin.goto(`/admin/users?q=${encodeURIComponent(member.email)}`);
    await expect(admin.getByRole("table", { name: "Users" }).getByRole("row", { name: new RegExp(member.email) })).toContainText("Member");

    // Control: the very same requests from the admin's session work, so the member's attempts
    // failed on the role check, not on the request's shape.
    await callAction(admin, "/admin/keys", revokeAction, [{ ids: [targetId], reason: "admin control" }]);
    expect((await api.call("GET", "/me", { key: targetSecret })).status).toBe(401);
    expect(await (await callAction(admin, "/admin/users", roleAction, [{ userId: memberId, role: "admin" }])).text()).toContain("is now an admin");
    expect((await page.request.get("/admin", { maxRedirects: 0 })).status()).toBe(200);
    await admin.context().close();
  });

  test("an admin signs a user out of every browser; a member cannot do it to anyone", async ({ browser, page, api }) => {
    test.setTimeout(120_000);
    const victim = newUser("lostlaptop");
    await signUp(page, victim);
    const keys = new ApiKeysPage(page);
    await page.context().grantPermissions(["clipboard-read", "clipboard-write"]);
    const secret = await keys.create({ name: "still works" });
    await keys.copyAndClose();

    const admin = await (await browser.newContext()).newPage();
    await signIn(admin, ADMIN);
    await admin.goto(`/admin/users?q=${encodeURIComponent(victim.email)}`);
    const endAction = await actionIdOf(admin, () => admin.getByRole("button", { name: `Sign out everywhere: ${victim.email}` }).click());
    await expect(admin.getByText(`${victim.email} is signed out everywhere`)).toBeVisible();

    // The victim's browser is signed out on its next request; their keys are untouched.
    await page.goto("/settings/api-keys");
    await expect(page).toHaveURL(/\/login/);
    expect((await api.call("GET", "/me", { key: secret })).status).toBe(200);
    await admin.goto(`/admin/audit?${new URLSearchParams({ action: "user.sessions_ended", actor: ADMIN.email })}`);
    await expect(admin.getByRole("table").getByText(victim.email, { exact: false }).first()).toBeVisible();

    // Signed in again, the member calls the same action against the admin: refused, and the
    // admin stays signed in.
    await signIn(page, victim);
    const adminId = await userIdOf(admin, ADMIN.email);
    const forged = await callAction(page, "/admin/users", endAction, [{ userId: adminId }]);
    expect(await forged.text()).toContain('"message":"Not found."');
    await admin.goto("/admin/users");
    await expect(admin).toHaveURL(/\/admin\/users$/);
    await admin.context().close();
  });

  test("list, filter, revoke with a reason the owner sees, export CSV, read the audit log", async ({ browser, page }) => {
    test.setTimeout(120_000); // two sessions through every admin page
    const owner = newUser("owner");
    const ownerPage = await (await browser.newContext()).newPage();
    await ownerPage.context().grantPermissions(["clipboard-read", "clipboard-write"]);
    await signUp(ownerPage, owner);
    const ownerKeys = new ApiKeysPage(ownerPage);
    const secret = await ownerKeys.create({ name: "=cmd|' /C calc'!A0", access: "Read only" });
    await ownerKeys.copyAndClose();
    await ownerKeys.create({ name: "keeper" });
    await ownerKeys.copyAndClose();

    await signIn(page, ADMIN);
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Admin" }).click();
    await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
    await page.getByRole("link", { name: PLACES.allApiKeys }).click();
    const filters = page.getByRole("search", { name: "Filter keys" });
    await filters.getByLabel("Owner").fill(owner.email.toUpperCase());
    await filters.getByLabel("Scope").selectOption("keys:read");
    await filters.getByLabel("Sort by").selectOption("name");
    await filters.getByRole("button", { name: "Apply filters" }).click();
    await expect(page).toHaveURL(/owner=[^&]+.*scope=keys%3Aread.*sort=name/);
    const table = page.getByRole("table", { name: PLACES.allApiKeys });
    await expect(table.getByRole("row")).toHaveCount(3); // header + 2 keys
    await expect(page.getByText("1–2 of 2")).toBeVisible();
    await page.reload(); // the URL alone restores the view
    await expect(table.getByRole("row")).toHaveCount(3);
    // The owner filter is exact: a part of the address matches nobody.
    await page.goto(`/admin/keys?owner=${encodeURIComponent(owner.email.slice(1))}`);
    await expect(page.getByText("No keys match these filters")).toBeVisible();
    // A misspelt parameter is not silently ignored: the page moves to the URL of what it shows.
    await page.goto(`/admin/keys?stauts=revoked&sort=name`);
    await expect(page).toHaveURL(/\/admin\/keys\?sort=name&dir=desc$/);

    // CSV of exactly this view, in its order, safe to open in a spreadsheet, with hints and no secrets.
    await page.goto(`/admin/keys?${new URLSearchParams({ owner: owner.email, sort: "name", dir: "asc" })}`);
    const csvResponse = await page.request.get((await page.getByRole("link", { name: "Export CSV" }).getAttribute("href")) as string);
    expect(csvResponse.headers()["content-type"]).toContain("text/csv");
    const lines = (await csvResponse.text()).trim().split("\r\n");
    expect(lines[0]).toBe('"id","owner_email","name","hint","access","scopes","status","created_at","last_used_at","expires_at","revoked_at","revoked_reason","owner_team"');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toContain(`"'=cmd|' /C calc'!A0"`); // "=" sorts before "k"; the formula is neutralised
    expect(lines[1]).toContain(`"ksk_…${secret.slice(-4)}"`);
    expect(lines[2]).toContain('"keeper"');
    expect(lines.join("\n")).not.toContain(secret.slice(4, 20));
    const descending = await (await page.request.get(`/admin/keys/export?${new URLSearchParams({ owner: owner.email, sort: "name", dir: "desc" })}`)).text();
    expect(descending.trim().split("\r\n")[1]).toContain('"keeper"');

    await table.getByRole("checkbox", { name: new RegExp(`^Select keeper of`) }).check();
    await page.getByRole("button", { name: "Revoke selected (1)" }).click();
    await page.getByRole("button", { name: "Revoke keys" }).click();
    await expect(page.locator("#revoke-reason-error")).toContainText("Give a reason");
    await page.getByLabel("Reason").fill("Found in a public gist");
    await page.getByRole("button", { name: "Revoke keys" }).click();
    await expect(page.getByText("1 key revoked")).toBeVisible();
    await expect(table.getByRole("row", { name: /keeper/ })).toContainText("by an administrator: Found in a public gist");

    await ownerPage.reload();
    await expect(ownerKeys.row("keeper")).toContainText("Revoked by an administrator: Found in a public gist");
    // The owner's Activity shows what an administrator did to their key, without naming them.
    await ownerPage.getByRole("link", { name: "Activity", exact: true }).click();
    const revokedEvent = ownerPage.getByRole("table", { name: "Audit events" }).getByRole("row", { name: /An administrator revoked keeper: “Found in a public gist”/ });
    await expect(revokedEvent).toBeVisible();
    // The key's name links to its page.
    await expect(revokedEvent.getByRole("link", { name: "keeper" })).toHaveAttribute("href", /^\/settings\/api-keys\/[0-9a-f-]{36}$/);
    await expect(ownerPage.getByRole("table", { name: "Audit events" })).not.toContainText(ADMIN.email);

    await page.getByRole("link", { name: "Audit log" }).click();
    const auditFilters = page.getByRole("search", { name: "Filter events" });
    await auditFilters.getByLabel("Action").selectOption("api_key.admin_revoked");
    await auditFilters.getByRole("button", { name: "Apply filters" }).click();
    const event = page.getByRole("table", { name: "Audit events" }).getByRole("row", { name: /revoked keeper: “Found in a public gist”/ });
    await expect(event).toContainText(`${ADMIN.email} revoked keeper: “Found in a public gist”`);
    await expect(event).not.toContainText("api_key");
    const auditCsv = await (await page.request.get((await page.getByRole("link", { name: "Export CSV" }).getAttribute("href")) as string)).text();
    expect(auditCsv.split("\r\n")[0]).toBe('"id","created_at","actor_email","action","target_type","target_id","metadata","ip","user_agent"');
    expect(auditCsv).toContain("Found in a public gist");
    expect(auditCsv).not.toContain("user.signed_up");
    // The key's name filters the log to that key, by its full id.
    await event.getByRole("link", { name: "keeper" }).click();
    await expect(page).toHaveURL(/target=[0-9a-f-]{36}$/);
    await expect(page.getByRole("table", { name: "Audit events" })).toContainText("created keeper with full access");
    await expect(page.getByRole("table", { name: "Audit events" })).toContainText("revoked keeper: “Found in a public gist”");
    await expect(page.getByRole("search", { name: "Filter events" }).getByLabel("Target id")).toHaveValue(/^[0-9a-f-]{36}$/);
  });

  test("roles: promote and demote take effect at once, and the last admin stays", async ({ browser, page }) => {
    const member = newUser("promoted");
    const memberPage = await (await browser.newContext()).newPage();
    await signUp(memberPage, member);
    expect((await memberPage.request.get("/admin")).status()).toBe(404);

    await signIn(page, ADMIN);
    await page.goto("/admin/users");
    const users = page.getByRole("search", { name: "Filter users" });
    await users.getByLabel("Search").fill(member.email);
    await users.getByRole("button", { name: "Apply filters" }).click();
    await expect(page.getByRole("table", { name: "Users" }).getByRole("row")).toHaveCount(2);
    // One click asks first, and Cancel changes nothing.
    await page.getByRole("button", { name: `Make admin: ${member.email}` }).click();
    const confirm = page.getByRole("alertdialog");
    await expect(confirm).toContainText(`Make ${member.email} an administrator?`);
    await confirm.getByRole("button", { name: "Cancel" }).click();
    await expect(confirm).toBeHidden();
    expect((await memberPage.request.get("/admin")).status()).toBe(404);
    await page.getByRole("button", { name: `Make admin: ${member.email}` }).click();
    await confirm.getByRole("button", { name: "Make admin" }).click();
    await expect(page.getByText(`${member.email} is now an admin`)).toBeVisible();
    // No new sign-in needed: the role is read from the database on every request.
    expect((await memberPage.request.get("/admin")).status()).toBe(200);
    await page.getByRole("button", { name: `Make member: ${member.email}` }).click();
    await confirm.getByRole("button", { name: "Make member" }).click();
    await expect(page.getByText(`${member.email} is now a member`)).toBeVisible();
    expect((await memberPage.request.get("/admin")).status()).toBe(404);

    const audit = await page.request.get(`/admin/audit/export?action=user.role_changed`);
    expect(await audit.text()).toContain(member.email);
  });

  test("Admin -> Jobs lists the server's background work: the daily clean-up ran at start", async ({ page }) => {
    await signIn(page, ADMIN);
    await page.goto("/admin");
    await page.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "Jobs" }).click();
    await expect(page).toHaveURL(/\/admin\/jobs$/);
    await expect(page.getByRole("heading", { name: "Jobs" })).toBeVisible();
    // The server's job runner queued the daily clean-up when it started and ran it: Done, one attempt.
    const table = page.getByRole("table", { name: "Background jobs" });
    const prune = table.getByRole("row").filter({ hasText: "Delete job records older than 30 days" }).first();
    await expect(async () => {
      await page.reload();
      await expect(prune).toContainText("Done", { timeout: 1_000 });
    }).toPass({ timeout: 20_000 });
    await expect(prune).toContainText(/1 of \d+/);
    await expect(prune).toContainText("Finished");
    // Filtering by status keeps what matches, and says what to do when nothing does.
    const filters = page.getByRole("search", { name: "Filter jobs" });
    await filters.getByLabel("Status").selectOption({ label: "Failed" });
    await filters.getByRole("button", { name: "Apply filters" }).click();
    await expect(page).toHaveURL(/status=failed/);
    // The shared server may have failed jobs (a webhook delivery whose endpoint another spec deleted): only
    // those are listed, none that succeeded; with none, the page says what to do.
    await expect(table.getByRole("row").filter({ hasText: "Delete job records older than 30 days" })).toHaveCount(0);
    if ((await table.count()) === 0) await expect(page.getByText("No jobs with this status. Choose Any status to see them all.")).toBeVisible();
    else await expect(table.getByRole("row").filter({ hasText: "Failed" }).first()).toBeVisible();
    // A status that is not one falls back to all of them (the page redirects to what it shows).
    await page.goto("/admin/jobs?status=exploded");
    await expect(table.getByRole("row").filter({ hasText: "Delete job records older than 30 days" }).first()).toBeVisible();
  });
});
