import { test as base, expect } from "@playwright/test";
import { finishTest, startTest, watchBrowser, watchContext, watchRequestContext } from "./recorder";

/**
 * The base of every spec: the secret-hygiene recorder watches all traffic and storage (see
 * recorder.ts), and a test fails if Chromium reports any Content-Security-Policy violation.
 * Fixtures name Playwright's `use` callback `provide`: ESLint's react-hooks rules take `use(...)` for React's hook.
 */
export const test = base.extend<{ hygiene: void }>({
  hygiene: [
    async ({}, provide) => {
      startTest();
      await provide();
      const violations = await finishTest();
      expect(violations, "Content-Security-Policy violations").toEqual([]);
    },
    { auto: true },
  ],
  browser: async ({ browser }, provide) => {
    watchBrowser(browser);
    await provide(browser);
  },
  context: async ({ context }, provide) => {
    watchContext(context);
    await provide(context);
  },
  request: async ({ request }, provide) => {
    await provide(watchRequestContext(request));
  },
  playwright: async ({ playwright }, provide) => {
    const newContext = playwright.request.newContext.bind(playwright.request);
    playwright.request.newContext = async (options) => watchRequestContext(await newContext(options));
    await provide(playwright);
  },
});

export { expect };
