import { spawn, type ChildProcess } from "node:child_process";
import { request } from "@playwright/test";
import { generateKey } from "../lib/keys/format";
import { expect, test } from "./support/fixtures";
import { withinOneMinuteWindow } from "./support/api";
import { serverEnv } from "./support/server-env";

// With no proxy in front (TRUSTED_PROXY_HOPS=0), server.mjs replaces X-Forwarded-For with the
// socket address, so a client cannot dodge the per-address failure limit by inventing addresses.
const PORT = Number(process.env.E2E_PORT ?? 3210) + 60;

test.describe("served directly, without a proxy", () => {
  test.describe.configure({ mode: "serial" });
  let server: ChildProcess | undefined;

  test.beforeAll(async () => {
    server = spawn("node", ["server.mjs"], {
      env: { ...process.env, ...serverEnv(".data-e2e-direct"), TRUSTED_PROXY_HOPS: "0", PORT: String(PORT) },
      stdio: "ignore",
      detached: true,
    });
    const deadline = Date.now() + 60_000;
    for (;;) {
      const ok = await fetch(`http://localhost:${PORT}/api/v1/openapi.json`).then((r) => r.ok, () => false);
      if (ok) break;
      if (Date.now() > deadline) throw new Error("server did not start");
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

  test("invented X-Forwarded-For addresses do not reset the failed-authentication limit", async () => {
    await withinOneMinuteWindow();
    const client = await request.newContext({ baseURL: `http://localhost:${PORT}` });
    const statuses: number[] = [];
    for (let i = 0; i < 24; i++) {
      const res = await client.get("/api/v1/me", {
        headers: { Authorization: `Bearer ${generateKey()}`, "X-Forwarded-For": `192.0.2.${i + 1}` },
        failOnStatusCode: false,
      });
      statuses.push(res.status());
    }
    expect(statuses.slice(0, 20)).toEqual(Array(20).fill(401));
    expect(statuses.slice(20)).toEqual(Array(4).fill(429));
    await client.dispose();
  });
});
