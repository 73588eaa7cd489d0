import { expect, type Locator, type Page } from "@playwright/test";
import { rememberSecret } from "./secrets";
import { ACTIONS } from "../../lib/glossary";

export type CreateOptions = {
  name: string;
  description?: string;
  access?: "Full access" | "Read only" | "Restricted";
  permissions?: Record<string, "None" | "Read" | "Write">;
  expiration?: "7" | "30" | "60" | "90" | "custom" | "never";
  customDate?: string;
};

/** The Settings -> API Keys page, as a person finds things on it. */
export class ApiKeysPage {
  constructor(readonly page: Page) {}

  async goto() {
    await this.page.goto("/settings/api-keys");
  }

  get dialog(): Locator {
    return this.page.getByRole("dialog");
  }

  row(name: string): Locator {
    return this.page.getByRole("row").filter({ has: this.page.getByRole("cell", { name, exact: false }) });
  }

  async openCreate() {
    await this.page.getByRole("button", { name: ACTIONS.createKey }).first().click();
    await expect(this.dialog.getByRole("heading", { name: ACTIONS.createKey })).toBeVisible();
  }

  async fillCreate(options: CreateOptions) {
    const d = this.dialog;
    await d.getByLabel("Key name").fill(options.name);
    if (options.description !== undefined) await d.getByLabel("Description").fill(options.description);
    if (options.access) await d.getByRole("radio", { name: options.access }).check();
    for (const [resource, level] of Object.entries(options.permissions ?? {})) {
      await d.getByRole("radiogroup", { name: resource }).getByRole("radio", { name: level }).check();
    }
    if (options.expiration) await d.getByLabel("Expiration").selectOption(options.expiration);
    if (options.customDate !== undefined) await d.getByLabel("Expiry date").fill(options.customDate);
  }

  async submitCreate() {
    await this.dialog.getByRole("button", { name: "Generate" }).click();
  }

  /** Creates a key and returns the secret shown once. */
  async create(options: CreateOptions): Promise<string> {
    await this.openCreate();
    await this.fillCreate(options);
    await this.submitCreate();
    const field = this.dialog.getByLabel("Your new API key");
    await expect(field).toBeVisible();
    const secret = await field.inputValue();
    rememberSecret(secret);
    return secret;
  }

  async copyAndClose() {
    await this.dialog.getByRole("button", { name: "Copy API key" }).click();
    await expect(this.dialog.getByRole("button", { name: /Copy API key: copied/ })).toBeVisible();
    await this.dialog.getByRole("button", { name: "Done" }).click();
    await expect(this.dialog).toBeHidden();
  }

  async menu(name: string, item: "View details" | "Edit" | "Rotate key" | "Revoke" | "Delete") {
    await this.page.getByRole("button", { name: `Actions for ${name}` }).click();
    await this.page.getByRole("menuitem", { name: item }).click();
    // The dialogs' code loads the first time one opens: wait for it before typing or pressing keys.
    if (item === "Edit" || item === "Rotate key") await expect(this.dialog).toBeVisible();
    if (item === "Revoke" || item === "Delete") await expect(this.page.getByRole("alertdialog")).toBeVisible();
  }

  async revoke(name: string) {
    await this.menu(name, "Revoke");
    const confirm = this.page.getByRole("alertdialog");
    await expect(confirm).toContainText(`Revoke API key “${name}”?`);
    await confirm.getByRole("button", { name: "Revoke key" }).click();
  }

  async delete(name: string) {
    await this.menu(name, "Delete");
    const confirm = this.page.getByRole("alertdialog");
    await expect(confirm).toContainText(name);
    await expect(confirm).toContainText("stops working at once");
    await confirm.getByRole("button", { name: "Delete key" }).click();
  }
}
