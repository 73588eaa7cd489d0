import { test as setup } from "@playwright/test";
import { ADMIN, signUp } from "./support/fixtures";

setup("sign up the admin account first", async ({ page }) => {
  await signUp(page, ADMIN);
});
