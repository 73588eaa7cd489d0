/** The environment of the server under test (shared by playwright.config.ts and specs that start a second server). */
export function serverEnv(dataDir: string): Record<string, string> {
  return {
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    KEYSMITH_DATA_DIR: dataDir,
    // As if behind one reverse proxy, so API specs can act as distinct clients via X-Forwarded-For.
    TRUSTED_PROXY_HOPS: "1",
    RATE_LIMIT_PER_MINUTE: "100",
    AUTH_FAILURES_PER_MINUTE: "20",
    // Browsers in the suite send no X-Forwarded-For, so they all share one address: its sign-in
    // limit is raised here and tested on the directly-served deployment (deployment-settings.spec).
    LOGIN_FAILURES_PER_IP: "1000",
    // Lets a request shift "now" with X-Test-Clock-Offset (grace periods and expiry without sleeping).
    KEYSMITH_TEST_CLOCK: "1",
    ADMIN_EMAILS: "admin@keysmith.test",
    // Webhook receivers the specs run on loopback (e2e/webhooks.spec.ts): +91 answers, +92 is left unanswered.
    WEBHOOK_ALLOWED_HOSTS: webhookReceiverHosts().join(","),
    ...(process.env.E2E_DATABASE_URL
      ? {
          DATABASE_URL: process.env.E2E_DATABASE_URL,
          AUTO_MIGRATE: "1",
          AUTH_SECRET: "e2e-auth-secret-5f0c2b7a9d1e4c8b3a6f0d2e9c7b1a4f",
          KEY_PEPPER: "e2e-key-pepper-8a3d1f6c0b9e2d7a4c1f8e3b6d0a9c2e",
          ENCRYPTION_KEY: "e2e-encryption-key-2b7e9c4a1d8f3b6e0a5c2d9f4b1e7a3c",
        }
      : {}),
    ...(process.env.E2E_DATABASE_DRIVER ? { DATABASE_DRIVER: process.env.E2E_DATABASE_DRIVER } : {}),
    ...(process.env.NEON_WS_PROXY ? { NEON_WS_PROXY: process.env.NEON_WS_PROXY } : {}),
  };
}

/** The loopback `host:port`s webhook endpoints may use on the suite's servers (WEBHOOK_ALLOWED_HOSTS). */
export function webhookReceiverHosts(): string[] {
  const base = Number(process.env.E2E_PORT ?? 3210);
  return [`127.0.0.1:${base + 91}`, `127.0.0.1:${base + 92}`];
}
