import { randomBytes } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbHandle } from "@/db/client";
import { apiKeys, auditEvents } from "@/db/schema";
import {  type ErrorCode } from "@/lib/errors";
import { ALL_SCOPES } from "@/lib/scopes";
import { resolveCreateApiKey, resolveEditApiKey } from "@/lib/validation/api-key.schema";
import { createKeyBody, patchKeyBody } from "@/lib/validation/api.schema";
import { TEST_DRIVER, openTestDb } from "@/test/db";
import { CONTEXT, makeTeam, makeUser, refusedWith } from "@/test/fixtures";
import type { Actor, CallerKey, KeyActor } from "./actor";
import { createKey, rotateKey, updateKey } from "./keys";

// A key's IP allowlist through the key commands, as both adapters call them: a dashboard session
// sets anything; a key with a list of its own, through the API, narrows a list or sets one within
// its own, and hands out nothing usable from elsewhere (lib/keys/rules.ts).

let handle: DbHandle;
beforeAll(async () => {
  process.env.AUTH_SECRET ??= randomBytes(32).toString("base64url");
  process.env.KEY_PEPPER ??= randomBytes(32).toString("base64url");
  handle = await openTestDb();
});
afterAll(async () => {
  await handle?.close();
});

async function refusal(promise: Promise<unknown>): Promise<{ code: ErrorCode; message: string }> {
  const error = await refusedWith(promise);
  return { code: error.code, message: error.message };
}

async function owner() {
  const user = await makeUser(handle.db);
  const session: Actor = { userId: user.id, context: CONTEXT, clockOffsetMs: 0, authenticatedAt: new Date() };
  const through = (key: { id: string; scopes: string[]; expiresAt: Date | null; allowedIps: string[] | null }): Actor => ({
    ...session,
    key: { id: key.id, scopes: key.scopes, expiresAt: key.expiresAt, viaPreviousSecret: false, allowedIps: key.allowedIps } satisfies CallerKey,
  });
  return { user, session, through };
}

const stored = async (id: string) => (await handle.db.select({ ips: apiKeys.allowedIps }).from(apiKeys).where(eq(apiKeys.id, id)))[0]!.ips;
const actions = async (id: string) => (await handle.db.select({ a: auditEvents.action }).from(auditEvents).where(eq(auditEvents.targetId, id))).map((r) => r.a);

describe(`allowed IPs through the key commands (${TEST_DRIVER})`, () => {
  it("a session stores the canonical list from the form, changes it and removes it, each change audited with from and to", async () => {
    const { session } = await owner();
    const form = resolveCreateApiKey({ name: "ci", access: "full", expiration: "30", allowedIps: "10.0.0.0/8\n2001:DB8::/32, 10.0.0.0/8\n" });
    expect(form.success).toBe(true);
    const { key } = await createKey(handle.db, session, form.data!);
    expect(key.allowedIps).toEqual(["10.0.0.0/8", "2001:db8::/32"]);
    const [created] = await handle.db.select().from(auditEvents).where(and(eq(auditEvents.targetId, key.id), eq(auditEvents.action, "api_key.created")));
    expect(created!.metadata).toMatchObject({ allowedIps: ["10.0.0.0/8", "2001:db8::/32"] });

    const edit = resolveEditApiKey({ name: "ci", access: "full", expiration: "keep", allowedIps: "203.0.113.7" });
    await updateKey(handle.db, session, key.id, edit.data!);
    expect(await stored(key.id)).toEqual(["203.0.113.7"]);
    // The same list again is no change: no event.
    await updateKey(handle.db, session, key.id, edit.data!);
    const cleared = resolveEditApiKey({ name: "ci", access: "full", expiration: "keep", allowedIps: "  \n" });
    expect(cleared.data!.allowedIps).toBeNull();
    await updateKey(handle.db, session, key.id, cleared.data!);
    expect(await stored(key.id)).toBeNull();
    const changes = await handle.db.select().from(auditEvents).where(and(eq(auditEvents.targetId, key.id), eq(auditEvents.action, "api_key.allowed_ips_changed")));
    expect(changes.map((e) => e.metadata)).toEqual([
      expect.objectContaining({ from: ["10.0.0.0/8", "2001:db8::/32"], to: ["203.0.113.7"] }),
      expect.objectContaining({ from: ["203.0.113.7"], to: null }),
    ]);
    // A form without the field (absent, not empty) keeps the list.
    await updateKey(handle.db, session, key.id, { allowedIps: ["10.0.0.0/8"] });
    const absent = resolveEditApiKey({ name: "ci2", access: "full", expiration: "keep" });
    await updateKey(handle.db, session, key.id, absent.data!);
    expect(await stored(key.id)).toEqual(["10.0.0.0/8"]);
  });

  it("through the API: a key with a list narrows a key's list or sets one within its own, never removes or widens it; a refusal changes nothing", async () => {
    const { session, through } = await owner();
    const caller = (await createKey(handle.db, session, { name: "admin", scopes: ALL_SCOPES, expiresAt: null, allowedIps: ["10.0.0.0/8"] })).key;
    const target = (await createKey(handle.db, session, { name: "target", scopes: ["keys:read"], expiresAt: null })).key;
    const api = through(caller);
    const body = (raw: unknown) => patchKeyBody.parse(raw);

    // Any list on a key usable anywhere narrows it; then it narrows further or widens within the caller's own.
    await updateKey(handle.db, api, target.id, body({ allowedIps: ["192.0.2.0/24"] }));
    expect(await stored(target.id)).toEqual(["192.0.2.0/24"]);
    await updateKey(handle.db, api, target.id, body({ allowedIps: ["10.1.0.0/16"] }));
    expect(await stored(target.id)).toEqual(["10.1.0.0/16"]);
    await updateKey(handle.db, api, target.id, body({ allowedIps: ["10.1.2.0/24"] }));
    expect(await stored(target.id)).toEqual(["10.1.2.0/24"]);
    // Widening back within the caller's own is fine; past it is not.
    await updateKey(handle.db, api, target.id, body({ allowedIps: ["10.0.0.0/8"] }));
    const widen = await refusal(updateKey(handle.db, api, target.id, body({ allowedIps: ["10.0.0.0/7"] })));
    expect(widen.code).toBe("allowed_ips_beyond_caller");
    expect(widen.message).toMatch(/10\.0\.0\.0\/8.*Widen them in the dashboard/);
    for (const remove of [null, []]) {
      const removed = await refusal(updateKey(handle.db, api, target.id, body({ allowedIps: remove })));
      expect(removed).toMatchObject({ code: "allowed_ips_beyond_caller", message: expect.stringMatching(/any address.*dashboard/) });
    }
    // Refused with other changes in the same request: none of them is written.
    expect(await refusal(updateKey(handle.db, api, target.id, body({ name: "renamed", allowedIps: ["11.0.0.0/8"] })))).toMatchObject({ code: "allowed_ips_beyond_caller" });
    const [row] = await handle.db.select().from(apiKeys).where(eq(apiKeys.id, target.id));
    expect(row).toMatchObject({ name: "target", allowedIps: ["10.0.0.0/8"] });
    // Leaving the list out keeps it.
    await updateKey(handle.db, api, target.id, body({ name: "renamed" }));
    expect(await stored(target.id)).toEqual(["10.0.0.0/8"]);
    // A key with a list narrows lists outside its own too (it takes access away).
    const elsewhere = (await createKey(handle.db, session, { name: "elsewhere", scopes: ["keys:read"], expiresAt: null, allowedIps: ["192.0.2.0/24"] })).key;
    await updateKey(handle.db, api, elsewhere.id, body({ allowedIps: ["192.0.2.128/25"] }));
    expect(await stored(elsewhere.id)).toEqual(["192.0.2.128/25"]);
    // A key without a list, and a person in the dashboard, may widen or remove it.
    const open = (await createKey(handle.db, session, { name: "open", scopes: ALL_SCOPES, expiresAt: null })).key;
    await updateKey(handle.db, through(open), target.id, body({ allowedIps: ["198.51.100.0/24"] }));
    expect(await stored(target.id)).toEqual(["198.51.100.0/24"]);
    await updateKey(handle.db, session, target.id, { allowedIps: null });
    expect(await stored(target.id)).toBeNull();
  });

  it("a key with a list creates only keys within it, and a key without one creates what it likes", async () => {
    const { session, through } = await owner();
    const limited = (await createKey(handle.db, session, { name: "limited", scopes: ALL_SCOPES, expiresAt: null, allowedIps: ["10.0.0.0/8"] })).key;
    const api = through(limited);
    for (const allowedIps of [undefined, null, ["11.0.0.0/8"], ["10.0.0.0/7"], ["10.0.0.0/8", "::1"]]) {
      const body = createKeyBody.parse({ name: `child-${String(allowedIps)}`, scopes: ["keys:read"], ...(allowedIps === undefined ? {} : { allowedIps }) });
      expect((await refusal(createKey(handle.db, api, body))).code).toBe("allowed_ips_beyond_caller");
    }
    const child = await createKey(handle.db, api, createKeyBody.parse({ name: "child", scopes: ["keys:read"], allowedIps: ["10.2.0.0/16", "10.0.0.0/8"] }));
    expect(child.key.allowedIps).toEqual(["10.2.0.0/16", "10.0.0.0/8"]);
    const open = (await createKey(handle.db, session, { name: "open", scopes: ALL_SCOPES, expiresAt: null })).key;
    const free = await createKey(handle.db, through(open), createKeyBody.parse({ name: "free", scopes: ["keys:read"], allowedIps: ["192.0.2.1"] }));
    expect(free.key.allowedIps).toEqual(["192.0.2.1"]);
  });

  it("a key with a list rotates itself and keys within its list, not a key usable from elsewhere", async () => {
    const { session, through } = await owner();
    const limited = (await createKey(handle.db, session, { name: "limited", scopes: ALL_SCOPES, expiresAt: null, allowedIps: ["10.0.0.0/8"] })).key;
    const open = (await createKey(handle.db, session, { name: "open", scopes: ["keys:read"], expiresAt: null })).key;
    const inside = (await createKey(handle.db, session, { name: "inside", scopes: ["keys:read"], expiresAt: null, allowedIps: ["10.9.0.0/16"] })).key;
    const api = through(limited);
    expect((await refusal(rotateKey(handle.db, api, open.id, "none"))).code).toBe("allowed_ips_beyond_caller");
    expect(await actions(open.id)).toEqual(["api_key.created"]);
    await expect(rotateKey(handle.db, api, inside.id, "none")).resolves.toMatchObject({ key: { id: inside.id } });
    await expect(rotateKey(handle.db, api, limited.id, "none")).resolves.toMatchObject({ key: { id: limited.id } });
  });

  it("team keys take a list the same way, and a team key with a list narrows only", async () => {
    const { user, session } = await owner();
    const team = await makeTeam(handle.db, [{ userId: user.id, role: "owner" }]);
    const member: KeyActor = { ...session, team: { id: team.id } };
    const teamKey = (await createKey(handle.db, member, { name: "team", scopes: ALL_SCOPES, expiresAt: null, allowedIps: ["2001:db8::/32"] })).key;
    expect(await stored(teamKey.id)).toEqual(["2001:db8::/32"]);
    const asTeamKey: KeyActor = {
      userId: null,
      team: { id: team.id },
      context: CONTEXT,
      clockOffsetMs: 0,
      key: { id: teamKey.id, scopes: teamKey.scopes, expiresAt: null, viaPreviousSecret: false, allowedIps: teamKey.allowedIps },
    };
    expect((await refusal(updateKey(handle.db, asTeamKey, teamKey.id, { allowedIps: null }))).code).toBe("allowed_ips_beyond_caller");
    await updateKey(handle.db, asTeamKey, teamKey.id, { allowedIps: ["2001:db8:1::/48"] });
    expect(await stored(teamKey.id)).toEqual(["2001:db8:1::/48"]);
    // Itself, narrowed, is now limited by its own new list (read again on its next request).
    expect((await refusal(updateKey(handle.db, { ...asTeamKey, key: { ...asTeamKey.key, allowedIps: ["2001:db8:1::/48"] } }, teamKey.id, { allowedIps: ["2001:db8::/32"] }))).code).toBe(
      "allowed_ips_beyond_caller",
    );
  });
});

describe("allowed IPs in the forms and bodies: clear per-entry errors, nothing half-parsed", () => {
  it("the dialog's text names every bad entry in one message", () => {
    const r = resolveCreateApiKey({ name: "x", access: "full", expiration: "30", allowedIps: "10.0.0.1/8\nexample.com\n1.2.3.4" });
    expect(r.success).toBe(false);
    const message = r.error!.issues.find((i) => i.path[0] === "allowedIps")!.message;
    expect(message).toMatch(/Did you mean 10\.0\.0\.0\/8\?/);
    expect(message).toMatch(/“example\.com” is not an IP address/);
  });
  it("the dialog refuses more than 100 entries and a text too long", () => {
    const many = Array.from({ length: 101 }, (_, i) => `10.0.${i}.0/24`).join("\n");
    expect(resolveCreateApiKey({ name: "x", access: "full", expiration: "30", allowedIps: many }).error!.issues[0]!.message).toMatch(/At most 100/);
    const huge = resolveCreateApiKey({ name: "x", access: "full", expiration: "30", allowedIps: "1".repeat(10_000) });
    expect(huge.error!.issues[0]!.message).toMatch(/at most 6600 characters/);
  });
  it("the API body refuses 101 entries, a 10 KB entry, non-strings and unicode look-alikes", () => {
    const bad = [
      Array.from({ length: 101 }, (_, i) => `10.0.${i}.0/24`),
      ["x".repeat(10_240)],
      [42],
      "10.0.0.0/8",
      ["１０.0.0.1"],
      ["fe80::1%eth0"],
    ];
    for (const allowedIps of bad) {
      const parsed = createKeyBody.safeParse({ name: "k", scopes: ["keys:read"], allowedIps });
      expect(parsed.success, JSON.stringify(allowedIps).slice(0, 40)).toBe(false);
    }
    expect(createKeyBody.parse({ name: "k", scopes: ["keys:read"], allowedIps: [] }).allowedIps).toBeNull();
    expect(patchKeyBody.parse({ allowedIps: null }).allowedIps).toBeNull();
    expect(patchKeyBody.parse({ allowedIps: [" ::FFFF:10.0.0.1 "] }).allowedIps).toEqual(["10.0.0.1"]);
  });
});
