// The last active admin, on a deployment of its own (a fresh embedded database, so "last" is
// certain): demoting them is refused with a sentence that says what to do, and nobody is offered,
// or allowed through a direct call, to suspend or delete their own account. The concurrent case
// (two admins demoting or suspending each other at once) is in lib/commands/accounts.test.ts, on
// PGlite and Postgres.
import fs from "node:fs";
import { expect, newUser, signUp, test } from "./support/fixtures";
import { startServer, type RunningServer } from "./support/server";
import { serverEnv } from "./support/server-env";

const PORT = Number(process.env.E2E_PORT ?? 3210) + 75;
const DIR = ".data-e2e-last-admin";

/** The id of a server action in this build, by its exported name. */
function actionId(name: string): string {
  const manifest = JSON.parse(fs.readFileSync(".next/server/server-reference-manifest.json", "utf8")) as { node: Record<string, { exportedName?: string }> };
  const entry = Object.entries(manifest.node).find(([, v]) => v.exportedName === name);
  if (!entry) throw new Error(`no server action named ${name} in this build`);
  return entry[0];
}

test.describe("the last active admin", () => {
  let server: RunningServer | undefined;
  test.beforeAll(async () => {
    fs.rmSync(DIR, { recursive: true, force: true });
    // Always the embedded database: a shared one would already have other admins.
    const { DATABASE_URL: _url, AUTO_MIGRATE: _migrate, ...env } = serverEnv(DIR);
    void _url;
    void _migrate;
    server = await startServer(PORT, env);
  });
  test.afterAll(async () => {
    await server?.stop();
    fs.rmSync(DIR, { recursive: true, force: true });
  });

  test("cannot be demoted, and cannot suspend or delete their own account", async ({ page }) => {
    const base = `http://localhost:${PORT}`;
    const first = newUser("onlyadmin");
    await signUp(page, first, base);
    const me = await (await page.request.get(`${base}/api/auth/session`)).json();
    await page.goto(`${base}/admin/users`);
    const table = page.getByRole("table", { name: "Users" });
    await expect(table.getByRole("row", { name: /\(you\)/ })).toContainText("Admin");
    await expect(table.getByRole("button", { name: `Suspend: ${first.email}` })).toHaveCount(0);
    await expect(table.getByRole("button", { name: `Delete: ${first.email}` })).toHaveCount(0);

    await table.getByRole("button", { name: `Make member: ${first.email}` }).click();
    const dialog = page.getByRole("alertdialog");
    await dialog.getByRole("button", { name: "Make member" }).click();
    await expect(page.getByText("This is the last active admin. Make someone else an admin first.")).toBeVisible();
    await expect(dialog).toBeVisible(); // it stays open on a refusal
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await page.reload();
    await expect(table.getByRole("row", { name: /\(you\)/ })).toContainText("Admin");

    // The buttons are absent, and the actions refuse a direct call too.
    for (const name of ["suspendUserAction", "deleteUserAction"]) {
      const response = await page.request.post(`${base}/admin/users`, {
        headers: { "next-action": actionId(name), "content-type": "text/plain;charset=UTF-8", accept: "text/x-component", origin: base },
        data: JSON.stringify([{ userId: me.user.id }]),
      });
      expect(await response.text()).toContain("You cannot suspend or delete your own account. Ask another admin.");
    }
    await page.goto(`${base}/admin/users`);
    await expect(page).toHaveURL(/\/admin\/users$/);
  });
});
