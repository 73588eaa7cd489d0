import { defineConfig } from "@playwright/test";
import { serverEnv } from "./e2e/support/server-env";

// Runs against a production build (`next build` first; `npm test` does it). E2E_DATABASE_URL
// switches the server from a fresh embedded PGlite folder to a Postgres database.
const PORT = Number(process.env.E2E_PORT ?? 3210);
export const baseURL = `http://localhost:${PORT}`;
export const METRICS_URL = `http://127.0.0.1:${PORT + 90}/metrics`;
export const METRICS_TOKEN = "e2e-metrics-token-7c1f0a9e3b5d";
const dataDir = process.env.E2E_DATA_DIR ?? ".data-e2e";

// The Postgres pass runs only the specs whose outcome can depend on the server database: several
// processes on one database, real concurrency, when revocation and expiry take effect without the
// embedded database's in-process cache, usage flushed at shutdown, the pool's metrics, a background
// revocation, the pepper rotation script, jobs claimed across connections, and the authorization
// matrix. Everything else (pages, dialogs, forms, hostile input, accessibility, browser ceremonies)
// is the same whatever database is behind the commands, whose database work the data-layer passes
// test on PGlite, `pg` and Neon's driver: those specs run once, in the embedded pass.
const DRIVER_DEPENDENT = [
  /multi-process\.spec\.ts/,
  /usage-shutdown\.spec\.ts/,
  /security\/concurrency\.spec\.ts/,
  /security\/authz-matrix\.spec\.ts/,
  /lifecycle\.spec\.ts/,
  /api-auth\.spec\.ts/,
  /api-keys-api\.spec\.ts/,
  /allowed-ips\.spec\.ts/,
  /team-keys\.spec\.ts/,
  /metrics\.spec\.ts/,
  /leaked-keys\.spec\.ts/,
  /rotate-key-script\.spec\.ts/,
  /notifications\.spec\.ts/,
  /expiry-across-processes\.spec\.ts/,
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
      testIgnore: [/global\.setup\.ts/],
      ...(process.env.E2E_DATABASE_URL ? { testMatch: DRIVER_DEPENDENT } : {}),
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
