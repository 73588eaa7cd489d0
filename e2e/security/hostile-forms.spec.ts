import { randomUUID } from "node:crypto";
import { type HostileString } from "../../test/hostile-values";
import { baseURL } from "../../playwright.config";
import { apiTest as test, expect } from "../support/api";
import { ADMIN, newUser, signIn, signUp } from "../support/fixtures";
import { ApiKeysPage } from "../support/api-keys-page";
import { strings } from "./hostile-support";

// Hostile text through the real forms in the browser: the key dialogs, sign-up, sign-in and the
// admin's revoke reason each answer with a field error, never an error page (see hostile-support.ts).

test.describe("hostile input through the real forms and pages", () => {
  test.describe.configure({ timeout: 300_000 });

  test("create and edit dialogs show a field error for each hostile name and description", async ({ page }) => {
    await signUp(page, newUser("hostile-forms"));
    const keys = new ApiKeysPage(page);
    const nameField = keys.dialog.getByLabel("Key name");
    const description = keys.dialog.getByLabel("Description");
    // Line breaks (an <input> drops them) and lone surrogates (a form sends them as U+FFFD)
    // cannot travel through the form; the API test covers them.
    // So are over-long values that the field's maxlength (twice the limit, in UTF-16 units) cuts
    // down to an acceptable length (65 emoji become 64).
    const formable = (max: number) => (h: HostileString) =>
      h.text === "reject" &&
      !/[\n\r]/.test(h.value) &&
      h.class !== "surrogate" &&
      !(h.class === "overlong" && [...h.value.slice(0, 2 * max)].length <= max);
    // One value of each class through the browser (every value goes through the API test in hostile-api-bodies.spec.ts).
    const onePerClass = (list: HostileString[]) => list.filter((h, i) => list.findIndex((o) => o.class === h.class) === i);
    const rejected = onePerClass(strings(64).filter(formable(64)));
    await keys.openCreate();
    for (const h of rejected) {
      // fill() types into the real input; values with line breaks (which an <input> drops) are left out.
      await nameField.fill(h.value);
      await keys.submitCreate();
      await expect(nameField, h.label).toHaveAttribute("aria-invalid", "true");
      await expect(keys.dialog.locator("#key-name-error"), h.label).toHaveText(/not allowed|at most 64|Give the key a name/);
    }
    for (const h of onePerClass(strings(280).filter((s) => formable(280)(s) && s.class !== "empty" && s.class !== "whitespace"))) {
      await nameField.fill("fine name");
      await description.fill(h.value);
      await keys.submitCreate();
      await expect(description, h.label).toHaveAttribute("aria-invalid", "true");
      await expect(keys.dialog.locator("#key-description-error"), h.label).toHaveText(/not allowed|at most 280|visible/);
    }
    await expect(keys.dialog.getByLabel("Your new API key")).toHaveCount(0);
    await page.keyboard.press("Escape");

    // The edit dialog (rename) goes through updateApiKeyAction.
    await keys.create({ name: "to rename" });
    await keys.copyAndClose();
    for (const h of rejected) {
      await keys.menu("to rename", "Edit");
      await nameField.fill(h.value);
      await keys.dialog.getByRole("button", { name: /Save/ }).click();
      await expect(nameField, h.label).toHaveAttribute("aria-invalid", "true");
      await expect(keys.dialog.locator("#key-name-error"), h.label).toHaveText(/not allowed|at most 64|Give the key a name/);
      await page.keyboard.press("Escape");
      await expect(keys.dialog).toBeHidden();
    }
    await expect(keys.row("to rename")).toBeVisible();
    await expect(page.getByText("Something went wrong")).toHaveCount(0);
  });

  test("the dialogs' Allowed IP addresses refuse hostile entries with a field error, and nothing is created or changed", async ({ page }) => {
    await signUp(page, newUser("hostile-ips"));
    const keys = new ApiKeysPage(page);
    const field = keys.dialog.getByLabel("Allowed IP addresses");
    const hostile = [
      ["10.0.0.1/8", /Did you mean 10\.0\.0\.0\/8\?/],
      ["fe80::1%eth0", /zone/],
      ["１０.0.0.1", /characters an IP address never has/],
      ["10.0.0.0/33", /prefix length/],
      ["<script>alert(1)</script>", /characters an IP address never has|not an IP address/],
      ["x".repeat(10_240), /at most 6600 characters|longer than 64/],
      [Array.from({ length: 101 }, (_, i) => `10.0.${i}.0/24`).join("\n"), /At most 100/],
    ] as const;
    await keys.openCreate();
    await keys.dialog.getByLabel("Key name").fill("ips hostile");
    for (const [value, message] of hostile) {
      // The textarea's maxlength cuts a 10 KB paste to 6,600 characters: still refused, by the entry's length.
      await field.fill(value);
      await keys.submitCreate();
      await expect(field, value.slice(0, 30)).toHaveAttribute("aria-invalid", "true");
      await expect(keys.dialog.locator("#key-allowed-ips-error"), value.slice(0, 30)).toHaveText(message);
    }
    await expect(keys.dialog.getByLabel("Your new API key")).toHaveCount(0);
    await page.keyboard.press("Escape");
    await expect(keys.row("ips hostile")).toHaveCount(0);

    await keys.create({ name: "ips edit target" });
    await keys.copyAndClose();
    for (const [value, message] of hostile.slice(0, 3)) {
      await keys.menu("ips edit target", "Edit");
      await field.fill(value);
      await keys.dialog.getByRole("button", { name: /Save/ }).click();
      await expect(keys.dialog.locator("#key-allowed-ips-error"), value).toHaveText(message);
      await page.keyboard.press("Escape");
      await expect(keys.dialog).toBeHidden();
    }
    await expect(keys.row("ips edit target")).not.toContainText("allowed IP");
    await expect(page.getByText("Something went wrong")).toHaveCount(0);
  });

  test("sign-up refuses hostile names, emails and passwords with field errors", async ({ page }) => {
    await page.goto("/signup");
    // Each submission is awaited to its answer: the field error a check looks for may still show from
    // the one before, and a click while one is pending would be sent after React reset the form.
    const submit = async () => {
      const answered = page.waitForResponse((r) => r.request().method() === "POST" && new URL(r.url()).pathname === "/signup");
      await page.getByRole("button", { name: "Create account" }).click();
      await answered;
    };
    // A hostile client ignores maxlength: the server must refuse what the browser would have cut.
    await page.getByLabel("Name").evaluate((input) => input.removeAttribute("maxlength"));
    const fill = async (name: string, email: string, password: string) => {
      await page.getByLabel("Name").fill(name);
      await page.getByLabel("Email").fill(email);
      await page.getByLabel("Password").fill(password);
    };
    const email = () => `hostile-${randomUUID()}@example.test`;
    for (const h of strings(80).filter((s) => s.text === "reject" && !/[\n\r]/.test(s.value) && s.class !== "empty" && s.class !== "surrogate")) {
      await fill(h.value, email(), "correct horse battery staple");
      await submit();
      await expect(page.locator("#name-error"), h.label).toHaveText(/not allowed|at most 80|Enter your name/);
    }
    for (const bad of ["a\u0000@example.test", "<script>@x.test", "' or 1=1 --@x.test", "a@b", `${"a".repeat(250)}@example.test`, "ad\u202emin@example.test", "a@example.test\u0000"]) {
      await fill("Hostile", bad, "correct horse battery staple");
      await submit();
      await expect(page.locator("#email-error"), bad.slice(0, 30)).toHaveText(/email/i);
    }
    for (const password of ["short", "p".repeat(257)]) {
      await fill("Hostile", email(), password);
      await submit();
      await expect(page.locator("#password-error")).toHaveText(/characters/);
    }
    await expect(page).toHaveURL(/\/signup$/);
    await expect(page.getByText("Something went wrong")).toHaveCount(0);
  });

  test("sign-in refuses hostile emails, passwords and callback URLs", async ({ page }) => {
    await page.goto("/login");
    // Wrong passwords go to an account that does not exist: the admin's failed sign-ins are limited.
    const nobody = `nobody-${randomUUID()}@example.test`;
    const attempts: [string, string][] = [
      ["a\u0000@example.test", "correct horse battery staple"],
      ["' or 1=1 --", "x"],
      ["<script>@x.test", "x"],
      [nobody, "\u0000"],
      [nobody, "p".repeat(300)],
      [nobody, "' or '1'='1"],
    ];
    for (const [email, password] of attempts) {
      await page.getByLabel("Email").fill(email);
      await page.getByLabel("Password").fill(password);
      await page.getByRole("button", { name: "Sign in", exact: true }).click();
      await expect(page.getByText(/Enter a valid email|incorrect|at most|Enter your password/).first(), email.slice(0, 20)).toBeVisible();
      await expect(page).toHaveURL(/\/login/);
    }
    // A callback URL can only ever lead to a page of this site.
    for (const callbackUrl of ["javascript:alert(1)", "//evil.example", "https://evil.example/", "/\\evil.example", "%00", "/settings/api-keys%0d%0aSet-Cookie:x=1"]) {
      await page.goto(`/login?callbackUrl=${encodeURIComponent(callbackUrl)}`);
      await page.getByLabel("Email").fill(ADMIN.email);
      await page.getByLabel("Password").fill(ADMIN.password);
      await page.getByRole("button", { name: "Sign in", exact: true }).click();
      // Signed in and sent on, never off-site. (Waiting for the page after /login also keeps the
      // sign-in's cookie from arriving after clearCookies below.)
      await expect(page, callbackUrl).toHaveURL((url) => url.origin === new URL(baseURL!).origin && !url.pathname.startsWith("/login"));
      await expect(page.getByRole("heading", { name: "Something went wrong" })).toHaveCount(0);
      await page.context().clearCookies();
    }
  });

  test("the admin's revoke reason refuses hostile text with a field error", async ({ page }) => {
    await signIn(page, ADMIN);
    const keys = new ApiKeysPage(page);
    await keys.create({ name: `admin target ${randomUUID()}` });
    await keys.copyAndClose();
    await page.goto(`/admin/keys?owner=${encodeURIComponent(ADMIN.email)}`);
    await page.getByRole("checkbox", { name: /^Select admin target/ }).first().check();
    await page.getByRole("button", { name: /Revoke selected/ }).click();
    const reason = page.getByLabel("Reason");
    const reasons = [...strings(200).filter((h) => h.text === "reject" && h.class !== "surrogate" && !(h.class === "overlong" && [...h.value.slice(0, 400)].length <= 200)), { label: "two characters", value: "ab" }];
    for (const h of reasons) {
      await reason.fill(h.value);
      await page.getByRole("button", { name: "Revoke keys" }).click();
      await expect(page.locator("#revoke-reason-error"), h.label).toHaveText(/not allowed|at most 200|Give a reason/);
    }
    await page.getByRole("button", { name: "Cancel" }).click();
    await expect(page.getByText("Revoked by an administrator")).toHaveCount(0);
  });
});
