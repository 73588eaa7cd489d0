// Runs once when the server starts: fail fast on bad configuration and, on the embedded
// database, create and migrate it before the first request.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { config } = await import("./lib/config");
  const { getSecrets, ConfigError } = await import("./lib/secrets");
  const { captureConsole, log } = await import("./lib/log");
  // In production, everything the process prints from here on is one JSON object per line
  // (lib/log.ts); `next dev` keeps its readable stacks.
  if (config.isProduction) captureConsole();
  try {
    getSecrets();
  } catch (error) {
    // A server that cannot sign sessions or hash keys must not come up and answer 500s: exit
    // with the reason, so the deploy fails where the operator is looking.
    if (error instanceof ConfigError) {
      log.error("config.invalid", { message: error.message });
      process.exit(1);
    }
    throw error;
  }
  if (config.testClock) {
    log.warn("test_clock.enabled", { message: "KEYSMITH_TEST_CLOCK=1: requests may shift the clock. Never use this in production." });
  }
  // server.mjs answers /api/v1 with this router before Next.js sees the request (lib/api/app.ts).
  // It is handed over on globalThis: server.mjs is not compiled by Next.js and cannot import it.
  const { apiFetch } = await import("./lib/api/app");
  (globalThis as { [key: symbol]: unknown })[Symbol.for("keysmith.apiFetch")] = apiFetch;
  // The metrics registry exists from the start, so a scrape before the first request answers.
  const { metrics } = await import("./lib/metrics");
  metrics();
  const { getDbHandle } = await import("./db");
  const { errorFields } = await import("./lib/log");
  // A database that is down at start is not fatal: requests answer 503 and the first one after it
  // comes back opens it (getDbHandle retries), so no restart is needed.
  const { loadKeySnapshot } = await import("./db/queries/key-lookup");
  await getDbHandle()
    .then((handle) => {
      metrics().watchPool(handle.pool);
      // On the embedded database, every key is read once now, so the first requests are answered from memory (a no-op elsewhere).
      void loadKeySnapshot(handle.db);
    })
    .catch((error: unknown) => log.error("db.unavailable_at_start", errorFields(error)));
  // Background work (lib/jobs): mail, deliveries, scans. It polls on its own timer and waits for a
  // database that is down; no request ever waits on it. server.mjs stops it at shutdown.
  const { appJobRunner } = await import("./lib/jobs/app-jobs");
  appJobRunner().start();
}
