import { execFileSync } from "node:child_process";
import { randomInt } from "node:crypto";
import { KEY_PATTERN } from "../lib/keys/format";
import { SCOPE_CATALOGUE, SPECIAL_SCOPES } from "../lib/scope-catalogue";
import { customExpiry } from "../lib/validation/api-key.schema";
import { expect, newUser, signUp, test } from "./support/fixtures";
import { ApiClient } from "./support/api";
import { ApiKeysPage } from "./support/api-keys-page";
import { DAY } from "./support/clock";

test.describe("API keys", () => {
  test("create, copy once, list with hint, never shown again, delete", async ({ page, context, keys }) => {
    await context.grantPermissions(["clipboard-read", "clipboard-write"]);
    await expect(page.getByRole("heading", { name: "No API keys yet" })).toBeVisible();

    const secret = await keys.create({ name: "CI deploys", description: "GitHub Actions" });
    expect(secret).toMatch(KEY_PATTERN);
    await expect(keys.dialog).toContainText("will not be shown again");
    await expect(keys.dialog.getByText(`Authorization: Bearer ${secret}`)).toBeVisible();

    await keys.copyAndClose();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);

    const row = keys.row("CI deploys");
    await expect(row).toContainText(`ksk_…${secret.slice(-4)}`);
    await expect(row).toContainText("Full access");
    await expect(row).toContainText("Active");
    await expect(row).toContainText("Never");

    // A reload, and every response it brings (HTML, RSC payload, scripts), carries only the hint.
    const reads: Promise<string>[] = [];
    page.on("response", (response) => reads.push(response.text().catch(() => "")));
    await page.reload();
    await expect(keys.row("CI deploys")).toBeVisible();
    await page.waitForLoadState("networkidle");
    expect(await page.content()).not.toContain(secret);
    const bodies = await Promise.all(reads);
    expect(bodies.length).toBeGreaterThan(0);
    for (const body of bodies) expect(body).not.toContain(secret.slice(4, 24));
    const rsc = await page.request.get("/settings/api-keys", { headers: { RSC: "1" } });
    expect(await rsc.text()).not.toContain(secret.slice(4, 24));

    await keys.delete("CI deploys");
    await expect(page.getByText("“CI deploys” was deleted")).toBeVisible();
    await expect(keys.row("CI deploys")).toHaveCount(0);
    await expect(page.getByRole("heading", { name: "No API keys yet" })).toBeVisible();
  });

  test("revoke keeps the key listed as Revoked and refused; delete then removes it; nobody else can revoke it", async ({ browser, page, context, keys }) => {
    await context.grantPermissions(["clipboard-read", "clipboard-write"]);
    const secret = await keys.create({ name: "to revoke" });
    await keys.copyAndClose();
    const keyId = await keys.row("to revoke").getAttribute("data-key-id");
    const me = () => page.request.get("/api/v1/me", { headers: { Authorization: `Bearer ${secret}`, "X-Forwarded-For": `198.19.${randomInt(256)}.${randomInt(1, 255)}` } });
    expect((await me()).status()).toBe(200);

    // Another user replays the owner's revoke action with the owner's key id: not found.
    const revokeAction = page.waitForRequest((r) => r.method() === "POST" && !!r.headers()["next-action"]);
    const intruder = await (await browser.newContext()).newPage();
    await signUp(intruder, newUser("intruder"));
    await keys.revoke("to revoke");
    await expect(page.getByText("“to revoke” was revoked")).toBeVisible();
    const actionId = (await revokeAction).headers()["next-action"]!;
    const forged = await intruder.request.post("/settings/api-keys", {
      headers: { "next-action": actionId, "content-type": "text/plain;charset=UTF-8", accept: "text/x-component" },
      data: JSON.stringify([keyId]),
    });
    expect(await forged.text()).toContain("That API key was not found");

    const row = keys.row("to revoke");
    await expect(row).toContainText("Revoked");
    await expect(row).toContainText("Revoked by its owner");
    expect((await me()).status()).toBe(401);
    await page.getByRole("button", { name: "Actions for to revoke" }).click();
    await expect(page.getByRole("menuitem", { name: "Revoke" })).toHaveCount(0);
    await page.keyboard.press("Escape");

    await keys.menu("to revoke", "Delete");
    await expect(page.getByRole("alertdialog")).toContainText("already revoked");
    await page.getByRole("alertdialog").getByRole("button", { name: "Delete key" }).click();
    await expect(keys.row("to revoke")).toHaveCount(0);

    await page.getByRole("link", { name: "Activity", exact: true }).click();
    const activity = page.getByRole("table", { name: "Audit events" });
    await expect(activity.getByRole("row", { name: /You revoked to revoke/ })).toBeVisible();
    await expect(activity.getByRole("row", { name: /You deleted to revoke/ })).toBeVisible();
    await intruder.context().close();
  });

  test("the curl example in the dialog works when pasted into a shell", async ({ context, keys }) => {
    await context.grantPermissions(["clipboard-read", "clipboard-write"]);
    await keys.create({ name: "curl check", access: "Read only" });
    await keys.dialog.getByRole("button", { name: "Copy curl example" }).click();
    const command = await keys.page.evaluate(() => navigator.clipboard.readText());
    expect(command).toMatch(/^curl http:\/\/localhost:\d+\/api\/v1\/me -H "Authorization: Bearer ksk_[0-9A-Za-z]{36}"$/);
    const output = execFileSync("sh", ["-c", `${command} --silent --show-error --max-time 10`], { encoding: "utf8" });
    const body = JSON.parse(output);
    expect(body.key).toMatchObject({ name: "curl check", access: "read_only" });
    await keys.dialog.getByRole("button", { name: "Done" }).click();
    await expect(keys.dialog).toBeHidden();
  });

  test("the Restricted grid is built from the scope catalogue, one row per resource", async ({ page, keys }) => {
    await keys.openCreate();
    await keys.dialog.getByRole("radio", { name: "Restricted" }).check();
    const groups = keys.dialog.getByRole("radiogroup");
    const names = await groups.evaluateAll((els) => els.map((el) => el.getAttribute("aria-labelledby") ?? ""));
    const gridNames = names.filter((n) => n.startsWith("perm-"));
    expect(gridNames).toEqual(SCOPE_CATALOGUE.map((r) => `perm-${r.id}-label`));
    for (const resource of SCOPE_CATALOGUE) {
      const levels = await keys.dialog.getByRole("radiogroup", { name: resource.label }).getByRole("radio").evaluateAll((els) =>
        els.map((el) => el.getAttribute("value")),
      );
      expect(levels).toEqual(["none", ...resource.levels]);
    }
    for (const special of SPECIAL_SCOPES) await expect(keys.dialog.getByRole("checkbox", { name: special.label })).toBeVisible();
    await page.keyboard.press("Escape");

    // The page links to the API reference.
    await page.getByRole("link", { name: "API reference" }).click();
    await expect(page).toHaveURL(/\/docs\/api$/);
    await expect(page.getByRole("heading", { name: "API reference" })).toBeVisible();
  });

  test("restricted access and a custom expiry are stored and shown", async ({ keys }) => {
    const inTwoWeeks = new Date(Date.now() + 14 * DAY).toISOString().slice(0, 10);
    await keys.create({
      name: "usage reader",
      access: "Restricted",
      permissions: { Usage: "Read", "API keys": "Write" },
      expiration: "custom",
      customDate: inTwoWeeks,
    });
    await keys.copyAndClose();
    const row = keys.row("usage reader");
    await expect(row).toContainText("Restricted (API keys: Write, Usage: Read)");
    // Valid through the end of the chosen day in the browser's zone: its last second there.
    const zone = await keys.page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone);
    await expect(row.locator("time").last()).toHaveAttribute("datetime", customExpiry(inTwoWeeks, zone)!.toISOString());
  });

  test("invalid input gets field errors from the server, and nothing is created", async ({ page, keys }) => {
    await keys.openCreate();
    const d = keys.dialog;
    const nameError = d.locator("#key-name-error");

    await keys.fillCreate({ name: "   " });
    await keys.submitCreate();
    await expect(nameError).toContainText("Give the key a name");
    await expect(d.getByLabel("Key name")).toHaveAttribute("aria-invalid", "true");

    await keys.fillCreate({ name: "x".repeat(65) });
    await keys.submitCreate();
    await expect(nameError).toContainText("at most 64 characters");

    await keys.fillCreate({ name: "ok name", access: "Restricted" });
    await keys.submitCreate();
    await expect(d.locator("#permissions-error")).toContainText("at least one resource");

    await keys.fillCreate({ name: "ok name", access: "Full access", expiration: "custom", customDate: "2020-01-01" });
    await keys.submitCreate();
    await expect(d.locator("#customDate-error")).toContainText("in the future");
    // The form kept what the user typed.
    await expect(d.getByLabel("Key name")).toHaveValue("ok name");

    await d.getByLabel("Expiration").selectOption("30");
    await keys.submitCreate();
    await expect(d.getByLabel("Your new API key")).toBeVisible();
    await keys.copyAndClose();

    await keys.openCreate();
    await keys.fillCreate({ name: "OK NAME" });
    await keys.submitCreate();
    await expect(nameError).toContainText("already have a key with this name");
    await page.keyboard.press("Escape");
    await expect(page.getByRole("row")).toHaveCount(2); // header + the one valid key
  });

  test("Copy still writes the clipboard where the Clipboard API is missing (plain-http origins)", async ({ page, context, keys }) => {
    await context.grantPermissions(["clipboard-read", "clipboard-write"]);
    await page.evaluate(() => navigator.clipboard.writeText("placeholder"));
    // Reading back needs the real API, so hide it from the page's code only while it copies.
    await page.evaluate(() => {
      const real = Object.getOwnPropertyDescriptor(Navigator.prototype, "clipboard")!;
      (window as unknown as { __restoreClipboard: () => void }).__restoreClipboard = () =>
        Object.defineProperty(Navigator.prototype, "clipboard", real);
      Object.defineProperty(Navigator.prototype, "clipboard", { get: () => undefined, configurable: true });
    });
    const secret = await keys.create({ name: "no clipboard api" });
    await keys.dialog.getByRole("button", { name: "Copy API key" }).click();
    await expect(keys.dialog.getByRole("button", { name: /Copy API key: copied/ })).toBeVisible();
    await page.evaluate(() => (window as unknown as { __restoreClipboard: () => void }).__restoreClipboard());
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);
  });

  test("closing before copying asks first; the secret is gone afterwards", async ({ page, keys }) => {
    const secret = await keys.create({ name: "uncopied" });
    await page.keyboard.press("Escape");
    const confirm = page.getByRole("alertdialog");
    await expect(confirm).toContainText("You won't see this key again");
    await confirm.getByRole("button", { name: "Go back and copy" }).click();
    await expect(keys.dialog.getByLabel("Your new API key")).toHaveValue(secret);

    await keys.dialog.getByRole("button", { name: "Close" }).click();
    await page.getByRole("alertdialog").getByRole("button", { name: "Close anyway" }).click();
    await expect(keys.dialog).toBeHidden();
    // Gone from the DOM once the closing animation ends, not merely hidden.
    await expect.poll(() => page.content()).not.toContain(secret);
    await keys.openCreate();
    await expect(keys.dialog.getByLabel("Key name")).toHaveValue("");
  });

  test("another user cannot see or delete a key, even by calling the server action with its id", async ({ browser }) => {
    const ownerContext = await browser.newContext();
    const owner = await ownerContext.newPage();
    await signUp(owner, newUser("owner"));
    const ownerKeys = new ApiKeysPage(owner);
    await ownerKeys.create({ name: "owner's key" });
    await ownerKeys.copyAndClose();
    const ownerKeyId = await ownerKeys.row("owner's key").getAttribute("data-key-id");
    expect(ownerKeyId).toMatch(/^[0-9a-f-]{36}$/);

    const intruderContext = await browser.newContext();
    const intruder = await intruderContext.newPage();
    await signUp(intruder, newUser("intruder"));
    const intruderKeys = new ApiKeysPage(intruder);
    await expect(intruder.getByText("owner's key")).toHaveCount(0);
    await intruderKeys.create({ name: "decoy" });
    await intruderKeys.copyAndClose();
    const decoyId = await intruderKeys.row("decoy").getAttribute("data-key-id");

    // Rewrite the intruder's own delete call so it names the owner's key: the server action is
    // a public endpoint and must check ownership itself.
    let forged = 0;
    await intruder.route("**/settings/api-keys", async (route) => {
      const request = route.request();
      if (request.method() === "POST" && request.headers()["next-action"]) {
        const body = request.postData() ?? "";
        if (body.includes(decoyId!)) {
          forged++;
          return route.continue({ postData: body.replaceAll(decoyId!, ownerKeyId!) });
        }
      }
      return route.continue();
    });
    await intruderKeys.delete("decoy");
    await expect(intruder.getByText("That API key was not found")).toBeVisible();
    expect(forged).toBe(1);

    await owner.reload();
    await expect(ownerKeys.row("owner's key")).toContainText("Active");
    await ownerContext.close();
    await intruderContext.close();
  });
});

test.describe("a long list", () => {
  test("pages 50 keys at a time with Previous and Next, newest first", async ({ page, keys, request }) => {
    test.setTimeout(120_000);
    const root = await keys.create({ name: "paging root", expiration: "never" });
    await keys.copyAndClose();
    const api = new ApiClient(request, "198.18.251.7");
    // 55 more keys through the API (within the root key's per-minute allowance): 56 in all.
    for (let i = 0; i < 55; i++) {
      const res = await api.call("POST", "/keys", { key: root, body: { name: `bulk ${String(i).padStart(2, "0")}`, scopes: ["keys:read"] } });
      expect(res.status, res.text).toBe(201);
    }
    await keys.goto();
    const pager = page.getByRole("navigation", { name: "Pagination" });
    await expect(pager).toContainText("1–50 of 56");
    await expect(page.locator("tr[data-key-id]")).toHaveCount(50);
    await expect(page.locator("tr[data-key-id]").first()).toContainText("bulk 54");
    await pager.getByRole("link", { name: "Next" }).click();
    await expect(page).toHaveURL(/[?&]page=2$/);
    await expect(pager).toContainText("51–56 of 56");
    await expect(page.locator("tr[data-key-id]")).toHaveCount(6);
    await expect(page.locator("tr[data-key-id]").last()).toContainText("paging root");
    await pager.getByRole("link", { name: "Previous" }).click();
    await expect(pager).toContainText("1–50 of 56");
    // A page past the end shows the last one that exists.
    await page.goto("/settings/api-keys?page=9");
    await expect(page).toHaveURL(/[?&]page=2$/);
  });
});
