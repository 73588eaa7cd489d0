// Runs once when the server starts: fail fast on bad configuration and, on the embedded
// database, create and migrate it before the first request.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { getSecrets } = await import("./lib/secrets");
  getSecrets();
  const { getDbHandle } = await import("./db");
  await getDbHandle();
}
