import { defineConfig } from "@playwright/test";

// Runs against a production build (`next build` first; `npm test` does it). E2E_DATABASE_URL
// switches the server from a fresh embedded PGlite folder to a Postgres database.
const PORT = Number(process.env.E2E_PORT ?? 3210);
export const baseURL = `http://localhost:${PORT}`;
const dataDir = process.env.E2E_DATA_DIR ?? ".data-e2e";

export default defineConfig({
  testDir: "e2e",
  outputDir: "e2e/.artifacts/results",
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: true,
  workers: process.env.E2E_WORKERS ? Number(process.env.E2E_WORKERS) : 2,
  retries: 0,
  forbidOnly: !!process.env.CI,
  reporter: [["list"]],
  globalSetup: "./e2e/support/global-setup.ts",
  globalTeardown: "./e2e/support/global-teardown.ts",
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
  projects: [{ name: "chromium", use: { browserName: "chromium" } }],
  webServer: {
    // Server output is kept so the teardown can prove no key ever reached a log line.
    command: `sh -c 'exec npx next start -p ${PORT} > e2e/.artifacts/server-${PORT}.log 2>&1'`,
    url: `${baseURL}/login`,
    reuseExistingServer: false,
    timeout: 120_000,
    env: {
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      KEYSMITH_DATA_DIR: dataDir,
      ...(process.env.E2E_DATABASE_URL
        ? {
            DATABASE_URL: process.env.E2E_DATABASE_URL,
            AUTO_MIGRATE: "1",
            AUTH_SECRET: "e2e-auth-secret-5f0c2b7a9d1e4c8b3a6f0d2e9c7b1a4f",
            KEY_PEPPER: "e2e-key-pepper-8a3d1f6c0b9e2d7a4c1f8e3b6d0a9c2e",
          }
        : {}),
      ...(process.env.E2E_DATABASE_DRIVER ? { DATABASE_DRIVER: process.env.E2E_DATABASE_DRIVER } : {}),
      ...(process.env.NEON_WS_PROXY ? { NEON_WS_PROXY: process.env.NEON_WS_PROXY } : {}),
    },
  },
});
