import { defineConfig } from "@playwright/test";
import { serverEnv } from "./e2e/support/server-env";

// Runs against a production build (`next build` first; `npm test` does it). E2E_DATABASE_URL
// switches the server from a fresh embedded PGlite folder to a Postgres database.
const PORT = Number(process.env.E2E_PORT ?? 3210);
export const baseURL = `http://localhost:${PORT}`;
export const METRICS_URL = `http://127.0.0.1:${PORT + 90}/metrics`;
export const METRICS_TOKEN = "e2e-metrics-token-7c1f0a9e3b5d";
const dataDir = process.env.E2E_DATA_DIR ?? ".data-e2e";

// Specs about the HTTP layer, whose outcome does not depend on the database driver: they run in
// the embedded-database pass only, so the Postgres pass (which re-proves every feature on a real
// server database) stays within the suite's time budget.
const DRIVER_INDEPENDENT = [
  /security\/hostile-[^/]*\.spec\.ts/,
  /security\/rendering\.spec\.ts/,
  /security\/proxy-bypass\.spec\.ts/,
  /security\/sessions\.spec\.ts/,
  /accessibility\.spec\.ts/,
  /startup\.spec\.ts/,
  /bundle-budget\.spec\.ts/,
  /newcomer\.spec\.ts/,
  // Runs a deployment of its own on a fresh embedded database whatever the pass.
  /last-admin\.spec\.ts/,
  // What the browser sees and does (axe scans, focus order, layout, time zones): the same pages
  // whatever database is behind them.
  /layout\.spec\.ts/,
  /axe\.spec\.ts/,
  /keyboard-focus\.spec\.ts/,
  /time-zone\.spec\.ts/,
  // Browser ceremonies (OIDC redirects, WebAuthn, TOTP) over commands whose database work is tested
  // on PGlite, pg and Neon by lib/commands/{sso,passkeys,second-factor,passkey-second-factor}.test.ts
  // (the last pattern also matches passkey-second-factor.spec.ts).
  /sso\.spec\.ts/,
  /passkeys\.spec\.ts/,
  /second-factor\.spec\.ts/,
];

export default defineConfig({
  testDir: "e2e",
  outputDir: "e2e/.artifacts/results",
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: true,
  workers: process.env.E2E_WORKERS ? Number(process.env.E2E_WORKERS) : 2,
  retries: 0,
  forbidOnly: !!process.env.CI,
  reporter: [["list"], ["./e2e/support/durations-reporter.ts"]],
  globalSetup: "./e2e/support/global-setup.ts",
  use: {
    baseURL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
      ],
    },
  },
  projects: [
    // Signs up the admin account first, so it is the deployment's first (admin) account.
    { name: "setup", testMatch: /global\.setup\.ts/, use: { browserName: "chromium" } },
    {
      name: "chromium",
      use: { browserName: "chromium" },
      dependencies: ["setup"],
      testIgnore: [/global\.setup\.ts/, ...(process.env.E2E_DATABASE_URL ? DRIVER_INDEPENDENT : [])],
      // A single test of a spec that otherwise re-proves a feature on every driver can say the same
      // with a tag (an axe scan in the middle of a feature spec).
      ...(process.env.E2E_DATABASE_URL ? { grepInvert: /@driver-independent/ } : {}),
    },
  ],
  webServer: {
    // Server output is kept so scripts/secret-hygiene.ts can prove no key ever reached a log line.
    command: `sh -c 'exec node server.mjs > e2e/.artifacts/server-${PORT}.log 2>&1'`,
    url: `${baseURL}/login`,
    reuseExistingServer: false,
    timeout: 120_000,
    // Metrics on a port of their own, behind a token (e2e/metrics.spec.ts reads them).
    env: { ...serverEnv(dataDir), PORT: String(PORT), METRICS_PORT: String(PORT + 90), METRICS_TOKEN: METRICS_TOKEN },
  },
});
