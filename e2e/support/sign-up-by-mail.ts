import type { Page } from "@playwright/test";
import { signUpLinkIn, type Inbox } from "../../test/smtp";
import { expect, type TestUser } from "./fixtures";
import { rememberSecret } from "./secrets";

const AFTER_SIGN_UP = /\/settings\/api-keys$/;

/**
 * Signs up through the form on a deployment that mails (`base`, its inbox `inbox`): its first
 * account is made at once; any other finishes from the link mailed to the address (the password
 * typed again there), which is remembered for scripts/secret-hygiene.ts. Either way the page ends
 * signed in on the API keys page.
 */
export async function signUpByMail(page: Page, user: TestUser, base: string, inbox: Inbox): Promise<void> {
  const since = inbox.to(user.email).length;
  await page.goto(`${base}/signup`);
  await page.getByLabel("Name").fill(user.name);
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Create account" }).click();
  const mailed = page.getByRole("status").filter({ hasText: "we sent a link to finish creating your account" });
  // The first account lands signed in; any other sees "Check your inbox".
  await expect.poll(async () => AFTER_SIGN_UP.test(page.url()) || (await mailed.isVisible()), { timeout: 15_000 }).toBe(true);
  if (AFTER_SIGN_UP.test(page.url())) return;
  const link = signUpLinkIn(await inbox.waitFor(user.email, { since }));
  rememberSecret(link.split("#token=")[1]!);
  await page.goto(link);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(AFTER_SIGN_UP);
}
