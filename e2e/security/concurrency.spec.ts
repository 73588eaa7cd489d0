// Concurrency over real HTTP against the production server: 50 parallel creates, rotations,
// revocations and verifications. No duplicate or lost rows, every change has exactly one audit
// event, and no key verifies after its revocation response has been received.
import { randomInt, randomUUID } from "node:crypto";
import type { Page } from "@playwright/test";
import { ApiClient, apiTest as test, expect } from "../support/api";
import { ADMIN, signIn } from "../support/fixtures";
import { DAY } from "../support/clock";

const N = 50;
const TARGET_SCOPES = ["usage:read"];
const MANAGER_SCOPES = ["keys:read", "keys:write", "keys:rotate", "usage:read"];
// A key may not create a key that outlives it, so the burst's keys expire before their managers.
const expiresAt = () => new Date(Date.now() + 7 * DAY).toISOString();

// Heavy on a 2-core machine: give it room, and run these two one after the other.
test.describe.configure({ mode: "serial", timeout: 180_000 });

/** A fresh client address, so the per-address failed-authentication limit of one burst never blocks another. */
function client(api: ApiClient) {
  return new ApiClient(api.request, `198.19.${randomInt(0, 256)}.${randomInt(1, 255)}`);
}

/**
 * Keys that manage the burst. Each key has its own per-minute allowance, so the work is spread
 * over several managers instead of exhausting the worker's shared root key.
 */
async function managers(api: ApiClient, rootKey: string, count: number) {
  const made: string[] = [];
  for (let i = 0; i < count; i++) made.push((await api.createKey(rootKey, { name: `manager ${randomUUID()}`, scopes: MANAGER_SCOPES })).secret);
  return made;
}

type AuditRow = { action: string; targetId: string };

/** RFC 4180 rows: every field quoted, quotes doubled, CRLF line ends (lib/csv.ts). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  for (const line of text.split("\r\n").filter(Boolean)) {
    rows.push([...line.matchAll(/"((?:[^"]|"")*)"/g)].map((m) => m[1]!.replaceAll('""', '"')));
  }
  return rows;
}

/** The admin's CSV export of the audit log, filtered to one action. */
async function auditEvents(page: Page, action: string): Promise<AuditRow[]> {
  const response = await page.request.get(`/admin/audit/export?action=${action}`);
  expect(response.status()).toBe(200);
  const [header, ...rows] = parseCsv(await response.text());
  expect(header).toEqual(["id", "created_at", "actor_email", "action", "target_type", "target_id", "metadata", "ip", "user_agent"]);
  return rows.map((cells) => ({ action: cells[3]!, targetId: cells[5]! }));
}

function countBy<T>(items: T[], key: (item: T) => string) {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
}

test("50 parallel creates and rotations: no duplicate or lost rows, one audit event each", async ({ api, rootKey, page }) => {
  const [creator, rotator, sameName] = await managers(api, rootKey, 3);
  const run = randomUUID().slice(0, 8);

  // 50 different keys at once: all created, all distinct, all listed once.
  const created = await Promise.all(
    Array.from({ length: N }, (_, i) => client(api).call("POST", "/keys", { key: creator, body: { name: `burst ${run} ${i}`, scopes: TARGET_SCOPES, expiresAt: expiresAt() } })),
  );
  expect(created.map((r) => r.status), created[0]!.text).toEqual(Array(N).fill(201));
  const ids = created.map((r) => r.body.id as string);
  expect(new Set(ids).size).toBe(N);
  expect(new Set(created.map((r) => r.body.key as string)).size).toBe(N);
  const listed = await api.call("GET", "/keys?limit=100", { key: rootKey });
  const listedBurst = (listed.body.data as { id: string; name: string }[]).filter((k) => k.name.startsWith(`burst ${run} `));
  expect(listedBurst.map((k) => k.id).sort()).toEqual([...ids].sort());

  // 50 creates of one name at once: exactly one wins, the others get a clear 409.
  const clash = await Promise.all(
    Array.from({ length: N }, () => client(api).call("POST", "/keys", { key: sameName, body: { name: `clash ${run}`, scopes: TARGET_SCOPES, expiresAt: expiresAt() } })),
  );
  expect(clash.filter((r) => r.status === 201)).toHaveLength(1);
  expect(clash.filter((r) => r.status === 409)).toHaveLength(N - 1);
  for (const refused of clash.filter((r) => r.status === 409)) expect(refused.body.error.message).toMatch(/name/i);
  const afterClash = await api.call("GET", "/keys?limit=100", { key: rootKey });
  expect((afterClash.body.data as { name: string }[]).filter((k) => k.name === `clash ${run}`)).toHaveLength(1);

  // 50 rotations at once, one per key, while each key is also being verified: every rotation
  // succeeds, and each key's new secret works.
  const secrets = created.map((r) => r.body.key as string);
  const [rotated] = await Promise.all([
    Promise.all(ids.map((id) => client(api).call("POST", `/keys/${id}/rotate`, { key: rotator, body: { grace: "1h" } }))),
    Promise.all(secrets.map((secret) => client(api).call("GET", "/me", { key: secret }))),
  ]);
  expect(rotated.map((r) => r.status)).toEqual(Array(N).fill(200));
  const fresh = await Promise.all(rotated.map((r) => client(api).call("GET", "/me", { key: r.body.key as string })));
  expect(fresh.map((r) => r.status)).toEqual(Array(N).fill(200));
  expect(fresh.map((r) => r.body.key.id).sort()).toEqual([...ids].sort());

  // Ten rotations of the same key at once run one after the other: ten new secrets, the last
  // one current; none is lost or issued twice.
  const one = ids[0]!;
  const again = await Promise.all(Array.from({ length: 10 }, () => client(api).call("POST", `/keys/${one}/rotate`, { key: rotator, body: { grace: "none" } })));
  expect(again.map((r) => r.status)).toEqual(Array(10).fill(200));
  expect(new Set(again.map((r) => r.body.key as string)).size).toBe(10);
  const working = await Promise.all(again.map((r) => client(api).call("GET", "/me", { key: r.body.key as string })));
  // Rotating without a grace period ends the previous secret at once, so exactly one still works.
  expect(working.filter((r) => r.status === 200)).toHaveLength(1);

  // The audit log has exactly one event per change.
  await signIn(page, ADMIN);
  const createdEvents = countBy((await auditEvents(page, "api_key.created")).filter((e) => ids.includes(e.targetId)), (e) => e.targetId);
  expect(createdEvents.size).toBe(N);
  expect([...createdEvents.values()].every((n) => n === 1)).toBe(true);
  const rotatedEvents = countBy((await auditEvents(page, "api_key.rotated")).filter((e) => ids.includes(e.targetId)), (e) => e.targetId);
  expect(rotatedEvents.size).toBe(N);
  expect(rotatedEvents.get(one)).toBe(11);
  expect(ids.filter((id) => id !== one).every((id) => rotatedEvents.get(id) === 1)).toBe(true);
});

test("50 parallel revocations under verification: no key verifies after its revocation response", async ({ api, rootKey, page }) => {
  const [creator, revokerA, revokerB] = await managers(api, rootKey, 3);
  const run = randomUUID().slice(0, 8);
  const created = await Promise.all(
    Array.from({ length: N }, (_, i) => client(api).call("POST", "/keys", { key: creator, body: { name: `revoke ${run} ${i}`, scopes: TARGET_SCOPES, expiresAt: expiresAt() } })),
  );
  expect(created.map((r) => r.status)).toEqual(Array(N).fill(201));

  const outcomes = await Promise.all(
    created.map(async (r) => {
      const id = r.body.id as string;
      const secret = r.body.key as string;
      const verifier = client(api);
      let revokedAt = Infinity; // when the revocation response arrived, in ms
      const late: number[] = []; // statuses of verifications sent after that moment
      let verifying = true;
      let looping = true;
      const loop = (async () => {
        try {
          while (verifying) {
            const sentAt = Date.now();
            const res = await verifier.call("GET", "/me", { key: secret });
            if (sentAt > revokedAt) late.push(res.status);
            // Before the revocation answers, either outcome is fair (and the key's own per-minute
            // allowance may run out); after it, only 401 is.
            else expect([200, 401, 429]).toContain(res.status);
            await new Promise((resolve) => setTimeout(resolve, 100));
          }
        } finally {
          looping = false;
        }
      })();
      await new Promise((resolve) => setTimeout(resolve, randomInt(0, 200)));
      // Two revocations of the same key race: one wins, the other finds nothing to delete.
      const [first, second] = await Promise.all([
        client(api).call("DELETE", `/keys/${id}`, { key: revokerA }),
        client(api).call("DELETE", `/keys/${id}`, { key: revokerB }),
      ]);
      revokedAt = Date.now();
      // Keep verifying for a few more requests after the revocation answered.
      while (late.length < 3 && looping) await new Promise((resolve) => setTimeout(resolve, 20));
      verifying = false;
      await loop;
      return { id, statuses: [first.status, second.status].sort(), late };
    }),
  );
  for (const outcome of outcomes) {
    expect(outcome.statuses).toEqual([200, 404]);
    // 401, or 429 once the client's address has used up its failed-authentication allowance:
    // never a success.
    expect(outcome.late.every((status) => status === 401 || status === 429), `${outcome.id} answered ${outcome.late.join(",")} after its revocation`).toBe(true);
  }
  expect(outcomes.flatMap((o) => o.late).filter((status) => status === 401).length).toBeGreaterThan(N);

  await signIn(page, ADMIN);
  const ids = outcomes.map((o) => o.id);
  const deleted = countBy((await auditEvents(page, "api_key.deleted")).filter((e) => ids.includes(e.targetId)), (e) => e.targetId);
  expect(deleted.size).toBe(N);
  expect([...deleted.values()].every((n) => n === 1)).toBe(true);
  const listed = await api.call("GET", "/keys?limit=100", { key: rootKey });
  expect((listed.body.data as { name: string }[]).some((k) => k.name.startsWith(`revoke ${run} `))).toBe(false);
});
