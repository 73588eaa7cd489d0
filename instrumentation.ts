// Runs once when the server starts: fail fast on bad configuration and, on the embedded
// database, create and migrate it before the first request.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { getSecrets } = await import("./lib/secrets");
  getSecrets();
  if (process.env.KEYSMITH_TEST_CLOCK === "1") {
    const { log } = await import("./lib/log");
    log.warn("test_clock.enabled", { message: "KEYSMITH_TEST_CLOCK=1: requests may shift the clock. Never use this in production." });
  }
  const { getDbHandle } = await import("./db");
  await getDbHandle();
}
