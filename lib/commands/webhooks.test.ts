import { randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { DbHandle } from "@/db/client";
import { adminRevokeKeys } from "@/db/queries/admin-keys";
import { createApiKey } from "@/db/queries/api-keys";
import { revokeApiKey } from "@/db/queries/key-revocation";
import { apiKeys, auditEvents, jobs, notifications, webhookDeliveries, webhookEndpoints } from "@/db/schema";
import { webhookRetryDelayMs } from "@/lib/jobs/backoff";
import { JobRunner } from "@/lib/jobs/runner";
import { scopesFor } from "@/lib/scopes";
import { resetSecretsCache } from "@/lib/secrets";
import { DAY_MS, HOUR_MS } from "@/lib/time";
import { verifyWebhook } from "@/lib/webhooks/signing";
import { openTestDb } from "@/test/db";
import { CONTEXT, PEPPER, makeTeam, makeUser, refusal, refusedWith } from "@/test/fixtures";
import { startReceiver } from "@/test/http-receiver";
import type { Actor } from "./actor";
import { scanExpiringKeys } from "./notifications";
import {
  changeEndpoint,
  createEndpoint,
  deliverWebhook,
  endpointWithDeliveries,
  myEndpoints,
  redeliverDelivery,
  removeEndpoint,
  rotateEndpointSecret,
  sendTestEvent,
} from "./webhooks";

// Webhooks below the browser, on each driver: endpoints (the secret once, sealed at rest, the URL
// rules), key events queued in the changing transaction, deliveries through the job runner to a
// real HTTP receiver that checks the signature, retries by the test clock, disabling after 3 days.

let handle: DbHandle;
const env = { ENCRYPTION_KEY: process.env.ENCRYPTION_KEY, WEBHOOK_ALLOWED_HOSTS: process.env.WEBHOOK_ALLOWED_HOSTS };
const receivers: Awaited<ReturnType<typeof startReceiver>>[] = [];
beforeAll(async () => {
  handle = await openTestDb();
  process.env.ENCRYPTION_KEY = "webhook-test-encryption-key-0123456789abcdefghij";
  resetSecretsCache();
});
afterAll(async () => {
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  resetSecretsCache();
  await handle?.close();
});
beforeEach(async () => {
  await handle.db.delete(jobs);
});
afterEach(async () => {
  while (receivers.length > 0) await receivers.pop()!.stop();
});

async function receiver(...args: Parameters<typeof startReceiver>) {
  const r = await startReceiver(...args);
  receivers.push(r);
  process.env.WEBHOOK_ALLOWED_HOSTS = receivers.map((x) => x.hostPort).join(",");
  return r;
}

async function person(): Promise<Actor> {
  const user = await makeUser(handle.db);
  return { userId: user.id, context: CONTEXT, clockOffsetMs: 0, authenticatedAt: new Date() };
}

const keyInput = () => ({ name: `deploy-${randomUUID().slice(0, 8)}`, description: null, access: "full" as const, scopes: scopesFor("full"), expiresAt: null });

/** Runs due deliveries, as a server process would, at the test clock's `offsetMs`, until none is due. */
async function drain(offsetMs = 0): Promise<void> {
  const runner = new JobRunner(async () => handle.db, {
    kinds: { "webhooks.deliver": { handle: (p, { db, attempt }) => deliverWebhook(db, { deliveryId: String(p.deliveryId), attempt, clockOffsetMs: offsetMs }), retryDelayMs: webhookRetryDelayMs } },
    pollMs: 60_000,
    clockOffsetMs: () => offsetMs,
  });
  while ((await runner.poll()) > 0) await runner.settle();
}

const deliveriesOf = (endpointId: string) => handle.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.endpointId, endpointId));

describe("webhook endpoints", () => {
  it("hands out the whsec_ secret once and keeps it only sealed; audits the change", async () => {
    const r = await receiver();
    const me = await person();
    const { endpoint, secret } = await createEndpoint(handle.db, me, { url: r.url, description: "CI secrets sync", events: ["key.created", "key.rotated"] });
    expect(secret).toMatch(/^whsec_/);
    const [row] = await handle.db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, endpoint.id));
    expect(row!.secretSealed).toMatch(/^v1\./);
    expect(JSON.stringify(row)).not.toContain(secret.slice(6));
    expect(endpoint).not.toHaveProperty("secretSealed");
    expect(await myEndpoints(handle.db, me)).toEqual([expect.objectContaining({ id: endpoint.id, url: r.url, events: ["key.created", "key.rotated"] })]);
    const [audit] = await handle.db.select().from(auditEvents).where(and(eq(auditEvents.targetId, endpoint.id), eq(auditEvents.action, "webhook.created")));
    expect(audit!.metadata).toEqual({ url: r.url, events: ["key.created", "key.rotated"] });
    expect(JSON.stringify(audit)).not.toContain(secret.slice(6));
    // A new secret: for a day, deliveries carry a signature by each, so a receiver with either verifies.
    const rotated = await rotateEndpointSecret(handle.db, me, endpoint.id);
    expect(rotated.secret).not.toBe(secret);
    await sendTestEvent(handle.db, me, endpoint.id);
    await drain();
    await sendTestEvent(handle.db, { ...me, clockOffsetMs: DAY_MS + 60_000 }, endpoint.id);
    await drain(DAY_MS + 60_000);
    expect(r.received).toHaveLength(2);
    const check = (secretUsed: string, m: (typeof r.received)[number]) =>
      verifyWebhook(secretUsed, { id: String(m.headers["webhook-id"]), timestamp: String(m.headers["webhook-timestamp"]), signature: String(m.headers["webhook-signature"]) }, m.body).ok;
    expect(String(r.received[0]!.headers["webhook-signature"]).split(" ")).toHaveLength(2);
    expect([check(rotated.secret, r.received[0]!), check(secret, r.received[0]!)]).toEqual([true, true]);
    // A day later, only the new one signs.
    expect(String(r.received[1]!.headers["webhook-signature"]).split(" ")).toHaveLength(1);
    expect([check(rotated.secret, r.received[1]!), check(secret, r.received[1]!)]).toEqual([true, false]);
  });

  it("refuses plain http, private addresses, names that do not resolve, no events and bad text, with the field's words", async () => {
    const me = await person();
    const urlError = async (url: string) => (await refusedWith(createEndpoint(handle.db, me, { url, events: ["key.created"] }))).fieldErrors?.url;
    expect(await urlError("http://hooks.example.com/in")).toContain("Use an https:// URL");
    expect(await urlError("https://10.1.2.3/in")).toContain("private, loopback or link-local");
    expect(await urlError("https://169.254.169.254/latest/meta-data")).toContain("private, loopback or link-local");
    expect(await urlError("https://localhost/in")).toContain("private, loopback or link-local");
    expect(await urlError("https://no-such-host.invalid/in")).toContain("does not resolve");
    expect(await urlError("not a url")).toContain("starts with https://");
    expect(await urlError(`https://hooks.example.com/${"a".repeat(2_000)}`)).toContain("at most 2000 characters");
    const noEvents = await refusedWith(createEndpoint(handle.db, me, { url: "https://hooks.example.com/in", events: [] }));
    expect(noEvents.fieldErrors).toEqual({ events: "Choose at least one event." });
    const badEvent = await refusedWith(createEndpoint(handle.db, me, { url: "https://hooks.example.com/in", events: ["key.stolen"] }));
    expect(badEvent.code).toBe("validation_failed");
    const badText = await refusedWith(createEndpoint(handle.db, me, { url: "https://hooks.example.com/in", events: ["key.created"], description: "a\u202eb" }));
    expect(badText.fieldErrors?.description).toContain("not allowed");
    expect(await handle.db.select().from(webhookEndpoints).where(eq(webhookEndpoints.userId, me.userId))).toEqual([]);
  });

  it("is nobody else's: another person's endpoint and delivery, and a malformed id, are not found", async () => {
    const r = await receiver();
    const me = await person();
    const other = await person();
    const { endpoint } = await createEndpoint(handle.db, me, { url: r.url, events: ["key.created"] });
    await sendTestEvent(handle.db, me, endpoint.id);
    await drain();
    const [delivery] = await deliveriesOf(endpoint.id);
    // One at a time: each call starts only when the previous refusal was checked.
    for (const attempt of [
      () => endpointWithDeliveries(handle.db, other, endpoint.id),
      () => changeEndpoint(handle.db, other, endpoint.id, { enabled: false }),
      () => rotateEndpointSecret(handle.db, other, endpoint.id),
      () => sendTestEvent(handle.db, other, endpoint.id),
      () => removeEndpoint(handle.db, other, endpoint.id),
      () => removeEndpoint(handle.db, me, "not-a-uuid"),
    ]) {
      expect(await refusal(attempt())).toBe("webhook_not_found");
    }
    expect(await refusal(redeliverDelivery(handle.db, other, delivery!.id))).toBe("webhook_delivery_not_found");
    expect(await myEndpoints(handle.db, me)).toHaveLength(1);
  });
});

describe("key events", () => {
  it("are queued with the change and delivered signed; only to the owner's enabled endpoints that take them; never with the key's secret", async () => {
    const r = await receiver();
    const me = await person();
    const other = await person();
    const created = await createEndpoint(handle.db, me, { url: r.url, events: ["key.created", "key.revoked"] });
    const onlyDeleted = await createEndpoint(handle.db, me, { url: r.url, events: ["key.deleted"] });
    const disabled = await createEndpoint(handle.db, me, { url: r.url, events: ["key.created"] });
    await changeEndpoint(handle.db, me, disabled.endpoint.id, { enabled: false });
    const othersEndpoint = await createEndpoint(handle.db, other, { url: r.url, events: ["key.created"] });
    const key = await createApiKey(handle.db, me.userId, keyInput(), CONTEXT, PEPPER);
    await revokeApiKey(handle.db, me.userId, key.key.id, CONTEXT);
    expect(await deliveriesOf(onlyDeleted.endpoint.id)).toEqual([]);
    expect(await deliveriesOf(disabled.endpoint.id)).toEqual([]);
    expect(await deliveriesOf(othersEndpoint.endpoint.id)).toEqual([]);
    await drain();
    expect(r.received).toHaveLength(2);
    const bodies = r.received.map((m) => JSON.parse(m.body) as { type: string; data: { key: Record<string, unknown>; actor: unknown } });
    expect(bodies.map((b) => b.type).sort()).toEqual(["key.created", "key.revoked"]);
    for (const [i, message] of r.received.entries()) {
      const result = verifyWebhook(created.secret, { id: String(message.headers["webhook-id"]), timestamp: String(message.headers["webhook-timestamp"]), signature: String(message.headers["webhook-signature"]) }, message.body);
      expect(result).toEqual({ ok: true });
      expect(message.body).not.toContain(key.secret);
      expect(bodies[i]!.data.key).toMatchObject({ id: key.key.id, name: key.key.name, hint: key.key.hint, access: "full", team: null });
      expect(bodies[i]!.data.actor).toEqual({ id: me.userId });
    }
    const log = await endpointWithDeliveries(handle.db, me, created.endpoint.id);
    expect(log.deliveries.map((d) => [d.status, d.attempts, d.responseStatus])).toEqual([
      ["delivered", 1, 204],
      ["delivered", 1, 204],
    ]);
  });

  it("tell an administrator's revocation with its reason", async () => {
    const r = await receiver();
    const me = await person();
    const adminEmail = `admin-${randomUUID()}@example.test`;
    const admin = await makeUser(handle.db, { email: adminEmail, adminEmails: [adminEmail] });
    const { endpoint } = await createEndpoint(handle.db, me, { url: r.url, events: ["key.revoked"] });
    const key = await createApiKey(handle.db, me.userId, keyInput(), CONTEXT, PEPPER);
    await adminRevokeKeys(handle.db, admin.id, [key.key.id], "Found in a public gist", CONTEXT, { mail: false });
    const [delivery] = await deliveriesOf(endpoint.id);
    expect(delivery!.payload).toMatchObject({ type: "key.revoked", data: { key: { id: key.key.id }, reason: "Found in a public gist", actor: { id: admin.id } } });
  });

  it("key.expiring: once per key and warning, however many scans run at once", async () => {
    const r = await receiver();
    const me = await person();
    const { endpoint } = await createEndpoint(handle.db, me, { url: r.url, events: ["key.expiring"] });
    const key = await createApiKey(handle.db, me.userId, { ...keyInput(), expiresAt: new Date(Date.now() + 30 * DAY_MS) }, CONTEXT, PEPPER);
    await handle.db.update(apiKeys).set({ createdAt: new Date(Date.now() - DAY_MS) }).where(eq(apiKeys.id, key.key.id));
    await scanExpiringKeys(handle.db, 0);
    expect(await deliveriesOf(endpoint.id)).toEqual([]);
    const at = 23.5 * DAY_MS;
    await Promise.all([scanExpiringKeys(handle.db, at), scanExpiringKeys(handle.db, at), scanExpiringKeys(handle.db, at)]);
    await scanExpiringKeys(handle.db, at + HOUR_MS);
    const deliveries = await deliveriesOf(endpoint.id);
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0]!.payload).toMatchObject({ type: "key.expiring", data: { key: { id: key.key.id }, warning: "7 days" } });
    await drain(at);
    expect(r.received).toHaveLength(1);
  });
});

describe("deliveries", () => {
  it("retry a receiver that fails four times, then is delivered once, with the same webhook-id and a valid signature each time", async () => {
    const r = await receiver((n) => (n <= 4 ? { status: 503, body: `down ${n}` } : { status: 200, body: "ok" }));
    const me = await person();
    const { endpoint, secret } = await createEndpoint(handle.db, me, { url: r.url, events: ["key.created"] });
    await createApiKey(handle.db, me.userId, keyInput(), CONTEXT, PEPPER);
    // Each pass moves the test clock an hour: past every wait of the first attempts (5 s .. 10 min).
    for (let hour = 0; hour <= 6; hour++) await drain(hour * HOUR_MS);
    expect(r.received).toHaveLength(5);
    expect(new Set(r.received.map((m) => m.headers["webhook-id"])).size).toBe(1);
    for (const m of r.received) {
      expect(verifyWebhook(secret, { id: String(m.headers["webhook-id"]), timestamp: String(m.headers["webhook-timestamp"]), signature: String(m.headers["webhook-signature"]) }, m.body)).toEqual({ ok: true });
    }
    const [delivery] = await deliveriesOf(endpoint.id);
    expect(delivery).toMatchObject({ status: "delivered", attempts: 5, responseStatus: 200, responseExcerpt: "ok", error: null });
    expect(delivery!.history.map((a) => a.status)).toEqual([503, 503, 503, 503, 200]);
    const [row] = await handle.db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, endpoint.id));
    expect(row!.failingSince).toBeNull();
  });

  it("are sent again on request once their attempts ended, with the same webhook-id; not while they are still tried", async () => {
    const r = await receiver((n) => (n === 1 ? { status: 500 } : { status: 204 }));
    const me = await person();
    const { endpoint } = await createEndpoint(handle.db, me, { url: r.url, events: ["key.created"] });
    await sendTestEvent(handle.db, me, endpoint.id);
    await drain();
    const [delivery] = await deliveriesOf(endpoint.id);
    expect(delivery).toMatchObject({ status: "retrying", attempts: 1, event: "webhook.test" });
    expect(await refusal(redeliverDelivery(handle.db, me, delivery!.id))).toBe("webhook_delivery_in_progress");
    await drain(HOUR_MS);
    expect((await deliveriesOf(endpoint.id))[0]).toMatchObject({ status: "delivered", attempts: 2 });
    await redeliverDelivery(handle.db, me, delivery!.id);
    await drain(HOUR_MS);
    expect(r.received).toHaveLength(3);
    expect(new Set(r.received.map((m) => m.headers["webhook-id"])).size).toBe(1);
    expect((await deliveriesOf(endpoint.id))[0]).toMatchObject({ status: "delivered", attempts: 3 });
  });

  it("disable an endpoint failing for 3 days, tell its owner, and queue nothing more for it", async () => {
    const r = await receiver(() => ({ status: 500, body: "still down" }));
    const me = await person();
    const { endpoint } = await createEndpoint(handle.db, me, { url: r.url, events: ["key.created"] });
    await sendTestEvent(handle.db, me, endpoint.id);
    await drain();
    const [first] = await handle.db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, endpoint.id));
    expect(first!.failingSince).not.toBeNull();
    expect(first!.disabledAt).toBeNull();
    // Two days on, another failure: still on.
    await sendTestEvent(handle.db, me, endpoint.id);
    await drain(2 * DAY_MS);
    expect((await handle.db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, endpoint.id)))[0]!.disabledAt).toBeNull();
    // Three days and a minute after the first failure: the next failure disables it.
    await sendTestEvent(handle.db, me, endpoint.id);
    await drain(3 * DAY_MS + 60_000);
    const [after] = await handle.db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, endpoint.id));
    expect(after).toMatchObject({ disabledReason: "failing for 3 days" });
    expect(after!.disabledAt).not.toBeNull();
    const notices = await handle.db.select().from(notifications).where(eq(notifications.userId, me.userId));
    expect(notices.map((n) => [n.kind, n.data.url])).toEqual([["webhook.disabled", r.url]]);
    const audits = await handle.db.select().from(auditEvents).where(and(eq(auditEvents.targetId, endpoint.id), eq(auditEvents.action, "webhook.disabled")));
    expect(audits).toHaveLength(1);
    // Nothing more is queued for it, and a test event is refused with what to do.
    await createApiKey(handle.db, me.userId, keyInput(), CONTEXT, PEPPER);
    expect((await deliveriesOf(endpoint.id)).filter((d) => d.event === "key.created")).toEqual([]);
    expect(await refusal(sendTestEvent(handle.db, me, endpoint.id))).toBe("webhook_disabled");
    // Enabled again: its failing spell starts over.
    const enabled = await changeEndpoint(handle.db, me, endpoint.id, { enabled: true });
    expect(enabled).toMatchObject({ disabledAt: null, failingSince: null });
  });
});

describe("a team's endpoints", () => {
  it("are its owners' and admins' to manage; hear of the team's keys only; a developer is refused and a non-member learns nothing", async () => {
    const r = await receiver();
    const [owner, admin, developer, outsider] = [await person(), await person(), await person(), await person()];
    const team = await makeTeam(handle.db, [
      { userId: owner.userId, role: "owner" },
      { userId: admin.userId, role: "admin" },
      { userId: developer.userId, role: "developer" },
    ]);
    const { endpoint } = await createEndpoint(handle.db, admin, { url: r.url, events: ["key.created"] }, team.slug);
    expect(endpoint).toMatchObject({ teamId: team.id, userId: null });
    expect((await myEndpoints(handle.db, owner, team.slug)).map((e) => e.id)).toEqual([endpoint.id]);
    expect(await myEndpoints(handle.db, owner)).toEqual([]);
    expect(await refusal(createEndpoint(handle.db, developer, { url: r.url, events: ["key.created"] }, team.slug))).toBe("team_webhooks_admins_only");
    expect(await refusal(myEndpoints(handle.db, developer, team.slug))).toBe("team_webhooks_admins_only");
    expect(await refusal(createEndpoint(handle.db, outsider, { url: r.url, events: ["key.created"] }, team.slug))).toBe("team_not_found");
    expect(await refusal(removeEndpoint(handle.db, outsider, endpoint.id, team.slug))).toBe("team_not_found");
    expect(await refusal(removeEndpoint(handle.db, owner, endpoint.id))).toBe("webhook_not_found");
    expect(await refusal(createEndpoint(handle.db, owner, { url: r.url, events: ["key.created"] }, "Not A Slug!"))).toBe("team_not_found");
    // The developer's personal key goes to their own endpoints; the team's key to the team's.
    const personal = await createEndpoint(handle.db, developer, { url: r.url, events: ["key.created"] });
    const teamKey = await createApiKey(handle.db, developer.userId, keyInput(), CONTEXT, PEPPER);
    await handle.db.update(apiKeys).set({ userId: null, teamId: team.id, createdBy: developer.userId }).where(eq(apiKeys.id, teamKey.key.id));
    // The key, now the team's, revoked as the team: the team's endpoint does not take key.revoked yet.
    await revokeApiKey(handle.db, { teamId: team.id, actorId: developer.userId }, teamKey.key.id, CONTEXT);
    expect(await deliveriesOf(personal.endpoint.id)).toHaveLength(1);
    expect(await deliveriesOf(endpoint.id)).toEqual([]);
    await changeEndpoint(handle.db, owner, endpoint.id, { events: ["key.revoked"] }, team.slug);
    await createApiKey(handle.db, developer.userId, keyInput(), CONTEXT, PEPPER);
    const another = await createApiKey(handle.db, developer.userId, keyInput(), CONTEXT, PEPPER);
    await handle.db.update(apiKeys).set({ userId: null, teamId: team.id, createdBy: developer.userId }).where(eq(apiKeys.id, another.key.id));
    await revokeApiKey(handle.db, { teamId: team.id, actorId: developer.userId }, another.key.id, CONTEXT);
    const [teamDelivery] = await deliveriesOf(endpoint.id);
    expect(teamDelivery!.payload).toMatchObject({ type: "key.revoked", data: { key: { id: another.key.id, team: { id: team.id, slug: team.slug } } } });
    const audits = await handle.db.select().from(auditEvents).where(and(eq(auditEvents.targetId, endpoint.id), eq(auditEvents.action, "webhook.created")));
    expect(audits[0]!.teamId).toBe(team.id);
  });
});
