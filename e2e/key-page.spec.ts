import { expect, test } from "./support/fixtures";
import { formatDate } from "../lib/format";
import { rememberSecret } from "./support/secrets";

test.describe("a key's own page", () => {
  test("is titled with the key's name and offers edit, rotate, revoke and delete", async ({ page, keys }) => {
    const name = `own page ${Date.now()}`;
    await keys.create({ name, expiration: "30" });
    await keys.copyAndClose();
    await keys.row(name).getByRole("link", { name }).click();
    await expect(page).toHaveTitle(`${name} · API key · Keysmith`);
    const actions = page.getByRole("group", { name: "Key actions" });

    // Edit, through the same dialog as the list.
    await actions.getByRole("button", { name: "Edit" }).click();
    await keys.dialog.getByLabel("Key name").fill(`${name} renamed`);
    await keys.dialog.getByRole("button", { name: "Save changes" }).click();
    await expect(keys.dialog).toBeHidden();
    await expect(page.getByRole("heading", { name: `${name} renamed` })).toBeVisible();
    const renamed = `${name} renamed`;

    // Rotate: the new secret is shown once; the page then lists the rotation.
    await actions.getByRole("button", { name: "Rotate" }).click();
    await keys.dialog.getByRole("button", { name: "Rotate key" }).click();
    const secret = keys.dialog.getByLabel("Your new API key");
    await expect(secret).toBeVisible();
    rememberSecret(await secret.inputValue());
    await page.context().grantPermissions(["clipboard-read", "clipboard-write"]);
    await keys.copyAndClose();
    await expect(page.getByRole("region", { name: "Rotations" }).getByRole("listitem")).toHaveCount(1);

    // Revoke: the page says when.
    await actions.getByRole("button", { name: "Revoke" }).click();
    await page.getByRole("alertdialog").getByRole("button", { name: "Revoke key" }).click();
    await expect(page.getByRole("alertdialog")).toBeHidden();
    const revoked = page.getByRole("term").filter({ hasText: /^Revoked$/ });
    await expect(revoked).toBeVisible();
    const revokedAt = page.getByRole("definition").filter({ hasText: "Revoked by its owner" });
    const zone = await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone);
    await expect(revokedAt.locator("time")).toContainText(formatDate(new Date(), zone));
    await expect(actions.getByRole("button", { name: "Edit" })).toHaveCount(0);
    await expect(actions.getByRole("button", { name: "Revoke" })).toHaveCount(0);

    // Delete: back to the list, without the key.
    await actions.getByRole("button", { name: "Delete" }).click();
    await page.getByRole("alertdialog").getByRole("button", { name: "Delete key" }).click();
    await expect(page).toHaveURL(/\/settings\/api-keys$/);
    await expect(page.getByText(renamed, { exact: true })).toHaveCount(0);
  });
});
