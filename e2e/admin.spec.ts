import { ApiKeysPage } from "./support/api-keys-page";
import { apiTest as test, expect } from "./support/api";
import { ADMIN, newUser, signIn, signUp } from "./support/fixtures";

const ADMIN_PAGES = ["/admin", "/admin/keys", "/admin/audit", "/admin/users", "/admin/keys/export", "/admin/audit/export"];

test.describe("admins audit every token", () => {
  test("a member gets 404 from every admin page, export and action", async ({ browser, page, api }) => {
    // The admin revokes a key once, so we learn the revoke action's id as the browser sends it.
    const adminContext = await browser.newContext();
    const admin = await adminContext.newPage();
    await signIn(admin, ADMIN);
    const victimPage = await (await browser.newContext()).newPage();
    await victimPage.context().grantPermissions(["clipboard-read", "clipboard-write"]);
    await signUp(victimPage, newUser("victim"));
    const victimKeys = new ApiKeysPage(victimPage);
    const decoySecret = await victimKeys.create({ name: "decoy" });
    await victimKeys.copyAndClose();
    const targetSecret = await victimKeys.create({ name: "target" });
    await victimKeys.copyAndClose();
    const targetId = await victimKeys.row("target").getAttribute("data-key-id");

    await admin.goto("/admin/keys?q=decoy");
    let actionId = "";
    admin.on("request", (r) => {
      if (r.method() === "POST" && r.headers()["next-action"]) actionId = r.headers()["next-action"]!;
    });
    await admin.getByRole("checkbox", { name: /^Select decoy of/ }).first().check();
    await admin.getByRole("button", { name: /Revoke selected/ }).click();
    await admin.getByLabel("Reason").fill("test of the revoke action");
    await admin.getByRole("button", { name: "Revoke keys" }).click();
    await expect(admin.getByText(/key revoked/)).toBeVisible();
    expect(actionId).not.toBe("");
    expect((await api.call("GET", "/me", { key: decoySecret })).status).toBe(401);

    await signUp(page, newUser("member"));
    await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Admin" })).toHaveCount(0);
    for (const path of ADMIN_PAGES) {
      const response = await page.request.get(path, { maxRedirects: 0 });
      expect(response.status(), path).toBe(404);
      expect(await response.text(), path).not.toContain("target");
    }
    // The member calls the admin's server action directly, naming the victim's key.
    const forged = await page.request.post("/admin/keys", {
      headers: { "next-action": actionId, "content-type": "text/plain;charset=UTF-8", accept: "text/x-component" },
      data: JSON.stringify([{ ids: [targetId], reason: "member attack" }]),
    });
    expect(await forged.text()).not.toContain("revoked");
    const still = await api.call("GET", "/me", { key: targetSecret });
    expect(still.status).toBe(200);

    // Control: the very same request from the admin's session does revoke the key, so the
    // member's attempt failed on the role check, not on the request's shape.
    await admin.request.post("/admin/keys", {
      headers: { "next-action": actionId, "content-type": "text/plain;charset=UTF-8", accept: "text/x-component" },
      data: JSON.stringify([{ ids: [targetId], reason: "admin control" }]),
    });
    expect((await api.call("GET", "/me", { key: targetSecret })).status).toBe(401);
    await adminContext.close();
  });

  test("list, filter, revoke with a reason the owner sees, export CSV, read the audit log", async ({ browser, page, api }) => {
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
    await page.getByRole("link", { name: "All keys" }).click();
    const filters = page.getByRole("search", { name: "Filter keys" });
    await filters.getByLabel("Owner email").fill(owner.email);
    await filters.getByLabel("Scope").selectOption("keys:read");
    await filters.getByLabel("Sort by").selectOption("name");
    await filters.getByRole("button", { name: "Apply filters" }).click();
    await expect(page).toHaveURL(/owner=[^&]+.*scope=keys%3Aread.*sort=name/);
    const table = page.getByRole("table", { name: "All API keys" });
    await expect(table.getByRole("row")).toHaveCount(3); // header + 2 keys
    await expect(page.getByText("1–2 of 2")).toBeVisible();
    await page.reload(); // the URL alone restores the view
    await expect(table.getByRole("row")).toHaveCount(3);

    // CSV of exactly this view, safe to open in a spreadsheet, with hints and no secrets.
    const csvResponse = await page.request.get(await page.getByRole("link", { name: "Export CSV" }).getAttribute("href") as string);
    expect(csvResponse.headers()["content-type"]).toContain("text/csv");
    const csv = await csvResponse.text();
    const lines = csv.trim().split("\r\n");
    expect(lines[0]).toBe('"id","owner_email","name","hint","access","scopes","status","created_at","last_used_at","expires_at","revoked_at","revoked_reason"');
    expect(lines).toHaveLength(3);
    expect(csv).toContain(`"'=cmd|' /C calc'!A0"`);
    expect(csv).toContain(`"ksk_…${secret.slice(-4)}"`);
    expect(csv).not.toContain(secret.slice(4, 20));

    await table.getByRole("checkbox", { name: new RegExp(`^Select keeper of`) }).check();
    await page.getByRole("button", { name: "Revoke selected (1)" }).click();
    await page.getByRole("button", { name: "Revoke keys" }).click();
    await expect(page.locator("#revoke-reason-error")).toContainText("Give a reason");
    await page.getByLabel("Reason").fill("Found in a public gist");
    await page.getByRole("button", { name: "Revoke keys" }).click();
    await expect(page.getByText("1 key revoked")).toBeVisible();
    await expect(table.getByRole("row", { name: /keeper/ })).toContainText("by an administrator: Found in a public gist");

    await ownerPage.reload();
    await expect(ownerKeys.row("keeper")).toContainText("Revoked: by an administrator: Found in a public gist");

    await page.getByRole("link", { name: "Audit log" }).click();
    const auditFilters = page.getByRole("search", { name: "Filter events" });
    await auditFilters.getByLabel("Action").selectOption("api_key.admin_revoked");
    await auditFilters.getByRole("button", { name: "Apply filters" }).click();
    const event = page.getByRole("table", { name: "Audit events" }).getByRole("row", { name: /Found in a public gist/ });
    await expect(event).toContainText(ADMIN.email);
    await expect(event).toContainText("api_key.admin_revoked");
    const auditCsv = await (await page.request.get(await page.getByRole("link", { name: "Export CSV" }).getAttribute("href") as string)).text();
    expect(auditCsv.split("\r\n")[0]).toBe('"id","created_at","actor_email","action","target_type","target_id","metadata","ip","user_agent"');
    expect(auditCsv).toContain("Found in a public gist");
    expect(auditCsv).not.toContain("user.signed_up");
    void api;
  });

  test("roles: promote and demote take effect at once, and the last admin stays", async ({ browser, page }) => {
    const member = newUser("promoted");
    const memberPage = await (await browser.newContext()).newPage();
    await signUp(memberPage, member);
    expect((await memberPage.request.get("/admin")).status()).toBe(404);

    await signIn(page, ADMIN);
    await page.goto("/admin/users");
    await page.getByRole("button", { name: `Make admin: ${member.email}` }).click();
    await expect(page.getByText(`${member.email} is now an admin`)).toBeVisible();
    // No new sign-in needed: the role is read from the database on every request.
    expect((await memberPage.request.get("/admin")).status()).toBe(200);
    await page.getByRole("button", { name: `Make member: ${member.email}` }).click();
    await expect(page.getByText(`${member.email} is now a member`)).toBeVisible();
    expect((await memberPage.request.get("/admin")).status()).toBe(404);

    const audit = await page.request.get(`/admin/audit/export?action=user.role_changed`);
    expect(await audit.text()).toContain(member.email);
  });

  test("each user sees their own activity", async ({ page }) => {
    await page.context().grantPermissions(["clipboard-read", "clipboard-write"]);
    await signUp(page, newUser("active"));
    const keys = new ApiKeysPage(page);
    await keys.create({ name: "activity key" });
    await keys.copyAndClose();
    await page.getByRole("link", { name: "Activity", exact: true }).click();
    const table = page.getByRole("table", { name: "Audit events" });
    await expect(table).toContainText("api_key.created");
    await expect(table).toContainText("user.signed_up");
    await expect(table).toContainText("activity key");
    await expect(table).not.toContainText(ADMIN.email);
  });
});

