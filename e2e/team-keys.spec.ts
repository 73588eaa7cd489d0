// A team's API keys in the browser: a team of three made through the Members page (owner, admin,
// developer) and a viewer; the developer creates a team key (the secret shown once), it is used
// through /api/v1/me as the team; the developer is removed and the key keeps working; the admin
// rotates it (the old secret works during the grace period, the new one too); the viewer sees the
// list, with who created each key, and no controls, and every key action called directly as the
// viewer is refused; a non-member and an unknown team get the not-found page. The rules themselves
// are in lib/commands/team-keys.test.ts; who may call what, in the authorization matrix.
import { randomInt, randomUUID } from "node:crypto";
import type { Browser, BrowserContext } from "@playwright/test";
import { ApiKeysPage } from "./support/api-keys-page";
import { audit } from "./support/axe";
import { later, HOUR } from "./support/clock";
import { expect, test } from "./support/fixtures";
import { addMember, memberRow, personIn as join } from "./support/team-people";
import { actionIds, postAction } from "./security/authz-walker";

const KEYS = "app/(dashboard)/t/[slug]/settings/api-keys/actions.ts";

/** Browser contexts of the other people in a test, closed after it (the hygiene check waits for open ones). */
const opened: BrowserContext[] = [];
const personIn = (browser: Browser, label: string) => join(browser, label, opened);
const member = memberRow;

test.describe("a team's API keys", () => {
  test.describe.configure({ timeout: 180_000 });
  test.afterEach(async () => {
    for (const context of opened.splice(0)) await context.close();
  });

  test("a developer's team key outlives them; an admin rotates it; a viewer only reads; a non-member gets 404", async ({ page, user, browser }) => {
    void user; // the owner
    const name = `Keys team ${randomUUID().slice(0, 6)}`;
    await page.goto("/t/new");
    await page.getByLabel("Team name").fill(name);
    const slug = await page.getByLabel("Address").inputValue();
    await page.getByRole("button", { name: "Create team" }).click();
    await expect(page).toHaveURL(new RegExp(`/t/${slug}/settings/members$`));
    const keysUrl = `/t/${slug}/settings/api-keys`;

    const admin = await personIn(browser, "team-admin");
    const developer = await personIn(browser, "team-developer");
    const viewer = await personIn(browser, "team-viewer");
    const outsider = await personIn(browser, "outsider");
    await addMember(page, admin.user.email, "Admin");
    await addMember(page, developer.user.email, "Developer");
    await addMember(page, viewer.user.email, "Viewer");

    // The team's keys tab; empty at first, with the way to create one.
    await page.getByRole("navigation", { name: "Team settings" }).getByRole("link", { name: "API Keys" }).click();
    await expect(page).toHaveURL(new RegExp(`${keysUrl}$`));
    await expect(page.getByText("No API keys yet")).toBeVisible();

    // The developer creates a team key; the secret is shown once.
    await developer.page.goto(keysUrl);
    const devKeys = new ApiKeysPage(developer.page);
    const keyName = `deploys ${randomUUID().slice(0, 6)}`;
    const first = await devKeys.create({ name: keyName, access: "Read only" });
    expect(first).toMatch(/^ksk_/);
    await devKeys.copyAndClose();
    await expect(devKeys.row(keyName)).toContainText(`ksk_…${first.slice(-4)}`);
    await expect(devKeys.row(keyName)).toContainText(developer.user.name);
    expect(await developer.page.content()).not.toContain(first);

    // Used through the API, the key is the team.
    const ip = () => ({ "X-Forwarded-For": `198.19.${randomInt(256)}.${randomInt(1, 255)}` });
    const me = (secret: string, headers: Record<string, string> = {}) =>
      page.request.get("/api/v1/me", { headers: { Authorization: `Bearer ${secret}`, ...ip(), ...headers } });
    const asTeam = await me(first);
    expect(asTeam.status()).toBe(200);
    expect((await asTeam.json()).owner).toMatchObject({ type: "team", slug, name });

    // The owner removes the developer: the key keeps working, still showing who created it.
    await page.goto(`/t/${slug}/settings/members`);
    await member(page, developer.user.email).getByRole("button", { name: `Remove ${developer.user.email}` }).click();
    await page.getByRole("alertdialog").getByRole("button", { name: "Remove member" }).click();
    await expect(page.getByText(`${developer.user.email} was removed from the team.`)).toBeVisible();
    expect((await developer.page.goto(keysUrl))?.status()).toBe(404);
    expect((await me(first)).status()).toBe(200);

    // The admin rotates it with an hour's grace: both secrets work, the old one not past the hour.
    await admin.page.goto(keysUrl);
    const adminKeys = new ApiKeysPage(admin.page);
    await expect(adminKeys.row(keyName)).toContainText(developer.user.name);
    await adminKeys.menu(keyName, "Rotate key");
    await adminKeys.dialog.getByLabel("After 1 hour").check();
    await adminKeys.dialog.getByRole("button", { name: "Rotate key" }).click();
    const field = adminKeys.dialog.getByLabel("Your new API key");
    await expect(field).toBeVisible();
    const second = await field.inputValue();
    expect(second).not.toBe(first);
    await expect(adminKeys.dialog).toContainText("The previous secret keeps working until");
    await adminKeys.copyAndClose();
    await expect(adminKeys.row(keyName)).toContainText(`ksk_…${second.slice(-4)}`);
    for (const secret of [first, second]) expect((await me(secret)).status()).toBe(200);
    expect((await me(first, later(HOUR + 60_000))).status()).toBe(401);
    expect((await me(second, later(HOUR + 60_000))).status()).toBe(200);

    // The viewer sees the list and who made the key, and no control to change anything.
    await viewer.page.goto(keysUrl);
    const viewerKeys = new ApiKeysPage(viewer.page);
    await expect(viewerKeys.row(keyName)).toBeVisible();
    expect(await audit(viewer.page, "team keys, as viewer")).toEqual([]);
    await page.goto(keysUrl);
    await expect(new ApiKeysPage(page).row(keyName)).toBeVisible();
    expect(await audit(page, "team keys, as owner")).toEqual([]);
    await expect(viewerKeys.row(keyName)).toContainText(`ksk_…${second.slice(-4)}`);
    await expect(viewerKeys.row(keyName)).toContainText(developer.user.name);
    await expect(viewer.page.getByRole("button", { name: /Create API key/i })).toHaveCount(0);
    await expect(viewer.page.getByRole("button", { name: /^Actions for / })).toHaveCount(0);

    // Each action called directly as the viewer is refused, and changes nothing.
    const ids = actionIds();
    const id = (await viewerKeys.row(keyName).first().getAttribute("data-key-id"))!;
    const form = (fields: Record<string, string>) => ({ $form: fields });
    const calls: [string, unknown[]][] = [
      ["createTeamApiKeyAction", [slug, { ok: false }, form({ name: "viewer's", description: "", access: "read_only", expiration: "30" })]],
      ["updateTeamApiKeyAction", [slug, id, { ok: false }, form({ name: "renamed by viewer", description: "", access: "read_only", expiration: "keep" })]],
      ["rotateTeamApiKeyAction", [slug, id, "none"]],
      ["revokeTeamApiKeyAction", [slug, id]],
      ["deleteTeamApiKeyAction", [slug, id]],
    ];
    for (const [action, args] of calls) {
      const res = await postAction(viewer.page.request, viewer.page.url(), ids.get(`${KEYS}#${action}`)!, keysUrl, args);
      expect(res.status(), action).toBeLessThan(500);
      const text = await res.text();
      expect(text, action).toContain('"ok":false');
      expect(text, action).toMatch(/lets you see its keys, not change them|recent|confirm/i);
    }
    // The outsider calling them for the team is told the team is not found.
    for (const [action, args] of calls) {
      const res = await postAction(outsider.page.request, outsider.page.url(), ids.get(`${KEYS}#${action}`)!, "/settings/api-keys", args);
      expect(await res.text(), action).toContain("That team was not found");
    }
    expect((await me(second)).status()).toBe(200);
    await viewer.page.reload();
    await expect(viewer.page.getByRole("row").filter({ hasText: "ksk_" })).toHaveCount(1);
    await expect(viewerKeys.row(keyName)).toContainText(`ksk_…${second.slice(-4)}`);

    // A non-member and an unknown team: the not-found page.
    expect((await outsider.page.goto(keysUrl))?.status()).toBe(404);
    expect((await outsider.page.goto("/t/no-such-team-here/settings/api-keys"))?.status()).toBe(404);
  });
  test("the key actions called directly with hostile team addresses and ids refuse, never fail", async ({ page, user }) => {
    void user;
    const slug = `hk-${randomUUID().slice(0, 8)}`;
    await page.goto("/t/new");
    await page.getByLabel("Team name").fill("Hostile keys");
    await page.getByLabel("Address").fill(slug);
    await page.getByRole("button", { name: "Create team" }).click();
    await expect(page).toHaveURL(new RegExp(`/t/${slug}/settings/members$`));
    await page.goto(`/t/${slug}/settings/api-keys`);
    const ids = actionIds();
    const hostile: unknown[] = [null, 42, [], {}, "x".repeat(100_000), "' or 1=1 --", "\u0000", "../../admin", "00000000-0000-4000-8000-000000000000", JSON.parse('{"__proto__":{"role":"owner"}}')];
    for (const name of ["rotateTeamApiKeyAction", "revokeTeamApiKeyAction", "deleteTeamApiKeyAction", "updateTeamApiKeyAction", "createTeamApiKeyAction"]) {
      for (const first of [slug, ...hostile]) {
        for (const second of hostile) {
          const args = name === "createTeamApiKeyAction" ? [first, second, { $form: { name: second, access: second } }] : name === "updateTeamApiKeyAction" ? [first, second, { ok: false }, { $form: { name: "x" } }] : [first, second, second];
          const res = await postAction(page.request, page.url(), ids.get(`${KEYS}#${name}`)!, `/t/${slug}/settings/api-keys`, args);
          const label = `${name}(${JSON.stringify(first)?.slice(0, 20)}, ${JSON.stringify(second)?.slice(0, 20)})`;
          expect(res.status(), label).toBeLessThan(500);
          const text = await res.text();
          expect(text, label).not.toContain("Something went wrong on our side");
          expect(text, label).not.toContain('"ok":true');
        }
      }
    }
  });
});
