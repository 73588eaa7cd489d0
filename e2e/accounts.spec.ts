import type { Page } from "@playwright/test";
import { ApiKeysPage } from "./support/api-keys-page";
import { apiTest as test, expect } from "./support/api";
import { ADMIN, newUser, signIn, signUp, type TestUser } from "./support/fixtures";

// Accounts in the browser: a user changes their name and password on the Profile page (A-03: the
// current password is required and every other session ends), and an admin suspends, reinstates
// and deletes a user from Admin -> Users (their sessions and keys stop at once; nothing but the
// keys' usability changes until deletion). The data-layer cases are in lib/commands/accounts.test.ts;
// the last-admin guard in e2e/last-admin.spec.ts; two processes in e2e/multi-process.spec.ts.

async function signInFails(page: Page, user: TestUser, message: string | RegExp) {
  await page.goto("/login");
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByText(message)).toBeVisible();
  await expect(page).toHaveURL(/\/login/);
}

test("a user renames themselves and changes their password: the current one is required, other sessions end, this one stays", async ({ page, context, browser, baseURL }) => {
  test.setTimeout(90_000);
  const user = newUser("profile");
  await signUp(page, user);
  // A second device (or a stolen cookie): the same session token in another browser.
  const copy = await browser.newContext({ baseURL });
  await copy.addCookies(await context.cookies());
  const other = await copy.newPage();
  await other.goto("/settings/profile");
  await expect(other.getByRole("heading", { name: "Profile" })).toBeVisible();

  await page.goto("/settings/profile");
  const nameForm = page.getByRole("form", { name: "Display name" });
  await nameForm.getByLabel("Name").fill("   ");
  await nameForm.getByRole("button", { name: "Save name" }).click();
  await expect(nameForm.getByLabel("Name")).toHaveAttribute("aria-invalid", "true");
  await expect(nameForm.getByLabel("Name")).toBeFocused();
  await nameForm.getByLabel("Name").fill("Grace Hopper");
  await nameForm.getByRole("button", { name: "Save name" }).click();
  await expect(nameForm.getByText("Your name is now “Grace Hopper”.")).toBeVisible();
  await expect(page.getByRole("button", { name: "Account menu for Grace Hopper" })).toBeVisible();

  const passwordForm = page.getByRole("form", { name: "Password" });
  const current = passwordForm.getByLabel("Current password", { exact: true });
  const fresh = passwordForm.getByLabel("New password", { exact: true });
  const confirm = passwordForm.getByLabel("Confirm new password");
  const submit = passwordForm.getByRole("button", { name: "Change password" });
  // Without the current password: refused on the server (the form does not validate in the browser).
  await fresh.fill("a new passphrase for keysmith");
  await confirm.fill("a new passphrase for keysmith");
  await submit.click();
  await expect(page.locator("#current-password-error")).toHaveText("Enter your current password.");
  await expect(current).toBeFocused();
  // A wrong current password: refused, with what to do next.
  await current.fill("not my password at all");
  await fresh.fill("a new passphrase for keysmith");
  await confirm.fill("a new passphrase for keysmith");
  await submit.click();
  await expect(page.locator("#current-password-error")).toContainText("This is not your current password");
  // The two new ones differ.
  await current.fill(user.password);
  await fresh.fill("a new passphrase for keysmith");
  await confirm.fill("a new passphrase for keysmit");
  await submit.click();
  await expect(page.locator("#confirm-password-error")).toContainText("The two new passwords differ");
  // Nothing changed so far: the copied session still works.
  await other.reload();
  await expect(other.getByRole("heading", { name: "Profile" })).toBeVisible();

  await current.fill(user.password);
  await fresh.fill("a new passphrase for keysmith");
  await confirm.fill("a new passphrase for keysmith");
  await submit.click();
  await expect(passwordForm.getByText("Your password is changed.")).toBeVisible();
  await expect(current).toHaveValue(""); // cleared; no password ever comes back from the server
  // This browser stays signed in; the copied cookie is dead.
  await page.reload();
  await expect(page.getByRole("heading", { name: "Profile" })).toBeVisible();
  await other.goto("/settings/profile");
  await expect(other).toHaveURL(/\/login/);
  await copy.close();

  // The old password no longer signs in; the new one does. The Activity page tells what happened.
  const fresher = await (await browser.newContext({ baseURL })).newPage();
  await signInFails(fresher, user, "Email or password is incorrect");
  await signIn(fresher, { ...user, password: "a new passphrase for keysmith" });
  await fresher.goto("/settings/activity");
  const events = fresher.getByRole("table", { name: "Audit events" });
  await expect(events.getByRole("row", { name: /changed their password; every other session was signed out/ })).toBeVisible();
  await expect(events.getByRole("row", { name: /A password change was refused: the current password was wrong/ })).toBeVisible();
  await expect(events.getByRole("row", { name: /changed the display name to “Grace Hopper”/ })).toBeVisible();
  await fresher.context().close();
});

test("an admin suspends, reinstates and deletes a user: sessions and keys stop at once, the audit log keeps it all", async ({ page, browser, api, rootKey }) => {
  test.setTimeout(120_000);
  const victim = newUser("leaver");
  await page.context().grantPermissions(["clipboard-read", "clipboard-write"]);
  await signUp(page, victim);
  const keys = new ApiKeysPage(page);
  const secret = await keys.create({ name: "deploys" });
  await keys.copyAndClose();
  const verify = async () => (await api.call("POST", "/keys/verify", { key: rootKey, body: { key: secret } })).body.code;
  expect(await verify()).toBe("VALID");

  const admin = await (await browser.newContext()).newPage();
  await signIn(admin, ADMIN);
  await admin.goto(`/admin/users?q=${encodeURIComponent(victim.email)}`);
  const table = admin.getByRole("table", { name: "Users" });
  // Asked first; cancelling changes nothing and gives focus back.
  await table.getByRole("button", { name: `Suspend: ${victim.email}` }).click();
  const dialog = admin.getByRole("alertdialog", { name: `Suspend ${victim.email}?` });
  await expect(dialog).toContainText("signed out everywhere at once");
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(table.getByRole("button", { name: `Suspend: ${victim.email}` })).toBeFocused();
  expect(await verify()).toBe("VALID");

  await table.getByRole("button", { name: `Suspend: ${victim.email}` }).click();
  await dialog.getByRole("button", { name: "Suspend" }).click();
  await expect(admin.getByText(`${victim.email} is suspended`)).toBeVisible();
  await expect(table.getByRole("row", { name: new RegExp(victim.email) })).toContainText("Suspended");
  await expect(table.getByRole("button", { name: `Reinstate: ${victim.email}` })).toBeFocused();

  // At once: the session is gone, the key refused with a stable code, sign-in says why.
  await page.goto("/settings/api-keys");
  await expect(page).toHaveURL(/\/login/);
  expect(await verify()).toBe("USER_SUSPENDED");
  const me = await api.call("GET", "/me", { key: secret });
  expect(me.status).toBe(403);
  expect(me.body.error.code).toBe("user_suspended");
  await signInFails(page, victim, "This account is suspended. Ask an administrator to reinstate it.");

  await table.getByRole("button", { name: `Reinstate: ${victim.email}` }).click();
  await admin.getByRole("alertdialog").getByRole("button", { name: "Reinstate" }).click();
  await expect(admin.getByText(`${victim.email} is reinstated`)).toBeVisible();
  expect(await verify()).toBe("VALID");
  await signIn(page, victim);

  await table.getByRole("button", { name: `Delete: ${victim.email}` }).click();
  const del = admin.getByRole("alertdialog", { name: `Delete ${victim.email}?` });
  await expect(del).toContainText("The audit log keeps every event");
  await del.getByRole("button", { name: "Delete" }).click();
  await expect(admin.getByText(`${victim.email} is deleted. Their 1 working key is revoked.`)).toBeVisible();
  await expect(admin.getByText("No users match these filters.")).toBeVisible();
  expect(await verify()).toBe("REVOKED");
  await page.goto("/settings/api-keys");
  await expect(page).toHaveURL(/\/login/);
  await signInFails(page, victim, "Email or password is incorrect");

  // The audit log: each step in words, the deleted user's address kept in the deletion's sentence.
  await admin.goto(`/admin/audit?${new URLSearchParams({ actor: ADMIN.email })}`);
  const log = admin.getByRole("table", { name: "Audit events" });
  for (const sentence of [`suspended ${victim.email}; their sessions ended`, `reinstated ${victim.email}`, `deleted the account ${victim.email} and revoked its key`]) {
    await expect(log.getByRole("row", { name: new RegExp(sentence.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")) }).first()).toBeVisible();
  }
  await admin.context().close();
});
