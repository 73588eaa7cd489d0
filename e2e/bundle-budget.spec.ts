// Issue 7's bundle budget, kept: the API Keys page's first-load JavaScript stays under 200 KB
// gzip, counted as `npm run bench` counts it (scripts/first-load-js.ts) from this very build. A
// size, not a time, so it is exact and belongs in the suite; the timing budgets live in the bench.
import { firstLoadJs } from "../scripts/first-load-js";
import { expect, test } from "./support/fixtures";

const BUDGET = 200 * 1024;

test("the API Keys page's first-load JavaScript stays under 200 KB gzip", async ({ page, keys }) => {
  void keys; // signed in, on the API Keys page
  const html = await (await page.request.get("/settings/api-keys")).text();
  const { bytes, files } = firstLoadJs(html);
  expect(files).toBeGreaterThan(3);
  expect(bytes, `${(bytes / 1024).toFixed(1)} KB in ${files} files`).toBeLessThan(BUDGET);
});
