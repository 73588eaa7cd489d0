import { spawn, type ChildProcess } from "node:child_process";
import { generateKey } from "../lib/keys/format";
import { ApiClient, apiTest as test, expect, withinOneMinuteWindow } from "./support/api";
import { serverEnv } from "./support/server-env";

// Two server processes on one Postgres database: limits and revocations must hold across both.
// PGlite is a single-process database, so this runs on the Postgres pass only.
const SECOND_PORT = Number(process.env.E2E_PORT ?? 3210) + 50;

test.describe("two server processes sharing one database", () => {
  // One worker runs both tests, so exactly one second server is started.
  test.describe.configure({ mode: "serial" });
  test.skip(!process.env.E2E_DATABASE_URL, "needs a shared Postgres database");
  let server: ChildProcess | undefined;

  test.beforeAll(async () => {
    server = spawn("node", ["server.mjs"], {
      env: { ...process.env, ...serverEnv(".data-e2e-second"), PORT: String(SECOND_PORT) },
      stdio: "ignore",
      detached: true,
    });
    const deadline = Date.now() + 60_000;
    for (;;) {
      const ok = await fetch(`http://localhost:${SECOND_PORT}/api/v1/openapi.json`).then((r) => r.ok, () => false);
      if (ok) break;
      if (Date.now() > deadline) throw new Error("second server did not start");
      await new Promise((r) => setTimeout(r, 250));
    }
  });
  test.afterAll(() => {
    try {
      if (server?.pid) process.kill(-server.pid, "SIGTERM");
    } catch {
      // already gone
    }
  });

  test("one key's allowance is shared, and a revoke on one is seen by the other at once", async ({ api, rootKey, playwright }) => {
    const second = new ApiClient(await playwright.request.newContext({ baseURL: `http://localhost:${SECOND_PORT}` }), api.ip);
    await withinOneMinuteWindow();
    const { id, secret } = await api.createKey(rootKey, { scopes: ["keys:read"] });
    const statuses: number[] = [];
    for (let batch = 0; batch < 12; batch++) {
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) => (i % 2 ? second : api).call("GET", "/me", { key: secret })),
      );
      statuses.push(...results.map((r) => r.status));
    }
    const ok = statuses.filter((s) => s === 200).length;
    expect(ok).toBeLessThanOrEqual(100); // never more than the limit in all
    expect(ok).toBeGreaterThanOrEqual(90); // at most one unspent batch (5%) per process
    expect(statuses.filter((s) => s !== 200 && s !== 429)).toEqual([]);

    const fresh = await api.createKey(rootKey, { scopes: ["keys:read"] });
    expect((await second.call("GET", "/me", { key: fresh.secret })).status).toBe(200);
    expect((await api.call("DELETE", `/keys/${fresh.id}`, { key: rootKey })).status).toBe(200);
    expect((await second.call("GET", "/me", { key: fresh.secret })).status).toBe(401);
    void id;
  });

  test("failed authentications from one address add up across processes", async ({ api, playwright }) => {
    const second = new ApiClient(await playwright.request.newContext({ baseURL: `http://localhost:${SECOND_PORT}` }), api.ip);
    await withinOneMinuteWindow();
    // 12 failures on each process: neither alone reaches the limit of 20, together they do.
    for (let i = 0; i < 24; i++) expect((await (i % 2 ? second : api).call("GET", "/me", { key: generateKey() })).status).toBe(401);
    await new Promise((r) => setTimeout(r, 600)); // failures are shared in the background (every 200 ms)
    // The next failure on each side pushes its count and learns the shared total.
    await api.call("GET", "/me", { key: generateKey() });
    await second.call("GET", "/me", { key: generateKey() });
    await new Promise((r) => setTimeout(r, 600));
    expect((await api.call("GET", "/me", { key: generateKey() })).status).toBe(429);
    expect((await second.call("GET", "/me", { key: generateKey() })).status).toBe(429);
  });
});
