// Operators' metrics (lib/metrics.ts, served by server.mjs): on their own port, behind a token,
// counting what the API did. Never on the public port.
import { generateKey } from "../lib/keys/format";
import { METRICS_TOKEN, METRICS_URL } from "../playwright.config";
import { apiTest as test, expect } from "./support/api";

async function scrape(token: string | null) {
  const response = await fetch(METRICS_URL, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
  return { status: response.status, text: await response.text() };
}

function value(text: string, series: string): number {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line ? Number(line.split(" ")[1]) : 0;
}

test("verifications, limit decisions and their latency are counted; only the token reads them, only on their port", async ({ api, rootKey }) => {
  expect((await scrape(null)).status).toBe(401);
  expect((await scrape("wrong")).status).toBe(401);
  const before = await scrape(METRICS_TOKEN);
  expect(before.status).toBe(200);

  const { secret } = await api.createKey(rootKey, { scopes: ["keys:read"] });
  for (let i = 0; i < 3; i++) expect((await api.call("GET", "/me", { key: secret })).status).toBe(200);
  expect((await api.call("GET", "/me", { key: generateKey() })).status).toBe(401);

  const after = await scrape(METRICS_TOKEN);
  expect(after.status).toBe(200);
  const valid = 'keysmith_verifications_total{result="VALID"}';
  const unknown = 'keysmith_verifications_total{result="NOT_FOUND"}';
  // Other tests run beside this one: counts only grow, by at least what this test did.
  expect(value(after.text, valid) - value(before.text, valid)).toBeGreaterThanOrEqual(4); // 3 + the create call's own key
  expect(value(after.text, unknown) - value(before.text, unknown)).toBeGreaterThanOrEqual(1);
  expect(value(after.text, 'keysmith_ratelimit_decisions_total{decision="admitted"}')).toBeGreaterThanOrEqual(4);
  expect(value(after.text, "keysmith_verification_duration_seconds_count")).toBeGreaterThanOrEqual(5);
  expect(after.text).toContain("# TYPE keysmith_verification_duration_seconds histogram");
  expect(after.text).toContain("keysmith_process_resident_memory_bytes");

  // The public port has no such thing.
  const publicMetrics = await api.call("GET", "/../../metrics");
  expect(publicMetrics.text).not.toContain("keysmith_verifications_total");
  const direct = await api.request.get("/metrics", { failOnStatusCode: false });
  expect(direct.status()).toBe(404);
  expect(await direct.text()).not.toContain("keysmith_verifications_total");
});

test("the production server answers a key it has seen from its cache on the embedded database, never on Postgres", async ({ api, rootKey }) => {
  const { secret, id } = await api.createKey(rootKey, { scopes: ["keys:read"] });
  expect((await api.call("GET", "/me", { key: secret })).status).toBe(200);
  const cached = 'keysmith_key_lookups_total{source="cache"}';
  async function fiveLookupsFromCache() {
    const before = await scrape(METRICS_TOKEN);
    for (let i = 0; i < 5; i++) expect((await api.call("GET", "/me", { key: secret })).status).toBe(200);
    return value((await scrape(METRICS_TOKEN)).text, cached) - value(before.text, cached);
  }
  if (process.env.E2E_DATABASE_URL) expect(await fiveLookupsFromCache()).toBe(0);
  // Any write to a key or a user anywhere in the process empties the cache (db/coherence.ts), and
  // other tests write beside this one: some round of five is answered from the cache entirely.
  else await expect(async () => expect(await fiveLookupsFromCache()).toBeGreaterThanOrEqual(5)).toPass({ timeout: 20_000 });
  // Whatever the cache, a revoke is seen by the very next request.
  expect((await api.call("DELETE", `/keys/${id}`, { key: rootKey })).status).toBe(200);
  expect((await api.call("GET", "/me", { key: secret })).status).toBe(401);
});

