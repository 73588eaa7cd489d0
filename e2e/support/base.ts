import { test as base, expect } from "@playwright/test";
import { finishTest, startTest, watchBrowser, watchContext, watchRequestContext } from "./recorder";

/**
 * The base of every spec: the secret-hygiene recorder watches all traffic and storage (see
 * recorder.ts), and a test fails if Chromium reports any Content-Security-Policy violation.
 */
export const test = base.extend<{ hygiene: void }>({
  hygiene: [
    async ({}, use) => {
      startTest();
      await use();
      const violations = await finishTest();
      expect(violations, "Content-Security-Policy violations").toEqual([]);
    },
    { auto: true },
  ],
  browser: async ({ browser }, use) => {
    watchBrowser(browser);
    await use(browser);
  },
  context: async ({ context }, use) => {
    watchContext(context);
    await use(context);
  },
  request: async ({ request }, use) => {
    await use(watchRequestContext(request));
  },
  playwright: async ({ playwright }, use) => {
    const newContext = playwright.request.newContext.bind(playwright.request);
    playwright.request.newContext = async (options) => watchRequestContext(await newContext(options));
    await use(playwright);
  },
});

export { expect };
