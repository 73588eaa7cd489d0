// axe-core over every page and every dialog, in light and dark: no serious or critical finding
// (WCAG 2.1 A and AA rules). A finding names the rule, the element and what to fix.
import { ApiKeysPage } from "./support/api-keys-page";
import { audit } from "./support/axe";
import { ADMIN, expect, newUser, signIn, signUp, test } from "./support/fixtures";
import { later } from "./support/clock";
import { STEP_UP_MINUTES } from "../lib/accounts/step-up";
import { ACTIONS } from "../lib/glossary";

// Three tests, so the two workers share the walk (it took four minutes as one).
test("no serious or critical axe finding on the signed-out pages and a member's pages and dialogs, light or dark", async ({ browser }) => {
  test.setTimeout(240_000);
  const findings: string[] = [];
  const context = await browser.newContext();
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  const page = await context.newPage();

  // Signed out.
  for (const path of ["/login", "/signup", "/docs/api", "/invite", "/login/verify", "/signup/confirm"]) {
    await page.goto(path);
    findings.push(...(await audit(page, path)));
  }
  // A sign-up link's page with a token (no such sign-up: the form, then its refusal).
  await page.goto(`/signup/confirm#token=kss_${"x".repeat(43)}`);
  await expect(page.getByRole("heading", { name: "Finish creating your account" })).toBeVisible();
  findings.push(...(await audit(page, "/signup/confirm with a link")));
  await page.getByLabel("Password").fill("a passphrase for the audit");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByRole("link", { name: "Sign up again" })).toBeVisible();
  findings.push(...(await audit(page, "/signup/confirm refused")));

  // A member with keys, through every page and dialog of theirs.
  const owner = newUser("axe");
  await signUp(page, owner);
  const keys = new ApiKeysPage(page);
  findings.push(...(await audit(page, "API keys, empty")));
  await keys.openCreate();
  await keys.fillCreate({ name: "axe key", description: "Checked by axe", access: "Restricted", permissions: { "API keys": "Read" } });
  findings.push(...(await audit(page, "Create dialog")));
  await keys.submitCreate();
  await expect(keys.dialog.getByLabel("Your new API key")).toBeVisible();
  findings.push(...(await audit(page, "New key dialog")));
  await keys.copyAndClose();
  await keys.create({ name: "second axe key" });
  await keys.copyAndClose();
  findings.push(...(await audit(page, "API keys, two keys")));

  for (const [item, role] of [["Edit", "dialog"], ["Rotate key", "dialog"], ["Revoke", "alertdialog"], ["Delete", "alertdialog"]] as const) {
    await keys.menu("axe key", item);
    findings.push(...(await audit(page, `${item} dialog`)));
    await page.keyboard.press("Escape");
    await expect(page.getByRole(role)).toBeHidden();
  }
  await keys.revoke("second axe key");
  await expect(keys.row("second axe key")).toContainText("Revoked");

  const id = await page.locator("tr[data-key-id]").filter({ hasText: "axe key" }).first().getAttribute("data-key-id");
  for (const path of [`/settings/api-keys/${id}`, "/settings/activity", "/settings/profile", "/settings/notifications"]) {
    await page.goto(path);
    findings.push(...(await audit(page, path)));
  }
  expect(findings, findings.join("\n")).toEqual([]);
});

test("no serious or critical axe finding on the administrator's pages and dialogs, light or dark", async ({ browser }) => {
  test.setTimeout(240_000);
  const findings: string[] = [];
  // A member with a key, for the key list's owner filter and the bulk revoke dialog.
  const member = await (await browser.newContext()).newPage();
  const owner = newUser("axe-admin");
  await signUp(member, owner);
  await new ApiKeysPage(member).create({ name: "axe key" });

  // The administrator's pages and the bulk revoke dialog.
  const admin = await (await browser.newContext()).newPage();
  await signIn(admin, ADMIN);
  for (const path of ["/admin", "/admin/users", "/admin/audit", "/admin/settings", "/admin/jobs", `/admin/keys?${new URLSearchParams({ owner: owner.email })}`]) {
    await admin.goto(path);
    findings.push(...(await audit(admin, path)));
  }
  await admin.getByRole("checkbox", { name: /^Select axe key/ }).check();
  await admin.getByRole("button", { name: "Revoke selected (1)" }).click();
  await expect(admin.getByRole("alertdialog")).toBeVisible();
  findings.push(...(await audit(admin, "Admin revoke dialog")));
  await admin.keyboard.press("Escape");
  // The confirmations of Admin -> Users (asked before anything changes; cancelled here).
  await admin.goto(`/admin/users?${new URLSearchParams({ q: owner.email })}`);
  for (const label of ["Suspend", "Delete"]) {
    await admin.getByRole("table", { name: "Users" }).getByRole("button", { name: `${label}: ${owner.email}` }).click();
    await expect(admin.getByRole("alertdialog")).toBeVisible();
    findings.push(...(await audit(admin, `${label} user dialog`)));
    await admin.getByRole("alertdialog").getByRole("button", { name: "Cancel" }).click();
  }

  // "Confirm it's you": a sensitive change from a session older than the step-up window (test clock).
  await admin.setExtraHTTPHeaders(later((STEP_UP_MINUTES + 1) * 60_000));
  await admin.goto("/admin/settings");
  // This deployment has no OIDC provider: "Only single sign-on" cannot be turned on (it would lock everyone out), and says why.
  await expect(admin.getByLabel("Only single sign-on")).toBeDisabled();
  await expect(admin.getByRole("button", { name: "Update single sign-on" })).toBeDisabled();
  await expect(admin.getByText("Set up single sign-on first")).toBeVisible();
  await admin.getByRole("button", { name: "Save sign-up" }).click();
  await expect(admin.getByRole("dialog", { name: ACTIONS.confirmIdentity })).toBeVisible();
  // Audited once it shows how to confirm (it asks the server what the account has first).
  await expect(admin.getByRole("dialog", { name: ACTIONS.confirmIdentity }).getByLabel("Password")).toBeVisible();
  findings.push(...(await audit(admin, "Confirm it's you dialog")));
  await admin.getByRole("dialog", { name: ACTIONS.confirmIdentity }).getByRole("button", { name: "Cancel" }).click();
  await admin.setExtraHTTPHeaders({});
  expect(findings, findings.join("\n")).toEqual([]);
});

test("no serious or critical axe finding while inviting someone, light or dark", async ({ browser }) => {
  test.setTimeout(240_000);
  const findings: string[] = [];
  // The form, the link shown once, the pending list with its Revoke confirmation, and the page the link opens.
  const admin = await (await browser.newContext()).newPage();
  await signIn(admin, ADMIN);
  await admin.goto("/admin/users");
  await admin.getByRole("button", { name: "Invite someone" }).click();
  findings.push(...(await audit(admin, "Invite dialog")));
  const invitee = newUser("axe-invitee");
  await admin.getByRole("dialog").getByLabel("Email").fill(invitee.email);
  await admin.getByRole("dialog").getByRole("button", { name: "Create link" }).click();
  const link = await admin.getByRole("dialog").getByRole("textbox", { name: "Invitation link" }).inputValue();
  findings.push(...(await audit(admin, "Invitation link dialog")));
  await admin.getByRole("dialog").getByRole("button", { name: "Done" }).click();
  await admin.getByRole("table", { name: "Pending invitations" }).getByRole("button", { name: `Revoke invitation: ${invitee.email}` }).click();
  await expect(admin.getByRole("alertdialog")).toBeVisible();
  findings.push(...(await audit(admin, "Revoke invitation dialog")));
  await admin.getByRole("alertdialog").getByRole("button", { name: "Cancel" }).click();
  const visitor = await (await browser.newContext()).newPage();
  await visitor.goto(link);
  await expect(visitor.getByLabel("Email")).toHaveValue(invitee.email);
  findings.push(...(await audit(visitor, "/invite with an invitation")));

  expect(findings, findings.join("\n")).toEqual([]);
});
