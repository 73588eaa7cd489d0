// Usage counts and last-used marks wait in memory for one batched write (lib/usage.ts). A server
// that is stopped (SIGTERM, as on every deploy) must write what is pending first, or each deploy
// would lose up to a second of every key's usage.
import { ApiKeysPage } from "./support/api-keys-page";
import { ApiClient } from "./support/api";
import { expect, newUser, signUp, test } from "./support/fixtures";
import { startServer, type RunningServer } from "./support/server";
import { serverEnv } from "./support/server-env";

const PORT = Number(process.env.E2E_PORT ?? 3210) + 80;
const BASE = `http://localhost:${PORT}`;

async function stopAndWait(server: RunningServer) {
  await server.stop();
  await expect.poll(() => server.process.exitCode, { timeout: 20_000 }).not.toBeNull();
}

test("usage still waiting in memory is written when the server stops", async ({ page, playwright }) => {
  test.setTimeout(180_000);
  // A flush interval far longer than the test: only the shutdown can write these counts.
  const env = { ...serverEnv(".data-e2e-restart"), USAGE_FLUSH_MS: "600000" };
  let server = await startServer(PORT, env);
  const request = await playwright.request.newContext({ baseURL: BASE });
  try {
    const user = newUser("restart");
    await signUp(page, user, BASE);
    await page.context().grantPermissions(["clipboard-read", "clipboard-write"]);
    const keys = new ApiKeysPage(page);
    const secret = await keys.create({ name: "counted", expiration: "never" });
    await keys.copyAndClose();
    await page.goto("about:blank");

    const api = new ApiClient(request, "198.18.252.1");
    for (let i = 0; i < 4; i++) expect((await api.call("GET", "/me", { key: secret })).status).toBe(200);
    // Control: nothing is written yet (the usage call reads before its own request is counted).
    const before = await api.call("GET", "/usage", { key: secret });
    expect(before.status).toBe(200);
    expect(before.body.data).toEqual([]);
    await request.dispose();

    await stopAndWait(server);
    server = await startServer(PORT, env);
    const again = new ApiClient(await playwright.request.newContext({ baseURL: BASE }), "198.18.252.2");
    const after = await again.call("GET", "/usage", { key: secret });
    expect(after.status).toBe(200);
    expect(after.body.data).toEqual([expect.objectContaining({ day: new Date().toISOString().slice(0, 10), success: 5, failure: 0 })]);
    // The last-used mark was written by the same final flush.
    const keyId = (await again.call("GET", "/me", { key: secret })).body.key.id as string;
    const detail = await again.call("GET", `/keys/${keyId}`, { key: secret });
    expect(detail.body.lastUsedAt).not.toBeNull();
    expect(detail.body.lastUsedIp).toBe("198.18.252.1");
    await again.request.dispose();
  } finally {
    await stopAndWait(server);
  }
});
