import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbHandle } from "@/db/client";
import { apiKeys, auditEvents } from "@/db/schema";
import { ALL_SCOPES } from "@/lib/scopes";
import { DAY_MS } from "@/lib/time";
import { TEST_DRIVER, openTestDb } from "@/test/db";
import { CONTEXT, makeUser, refusal } from "@/test/fixtures";
import type { Actor, CallerKey } from "./actor";
import { createKey, deleteKey, getKey, revokeKey, rotateKey, updateKey } from "./keys";

// The key commands as both adapters call them: a dashboard session (no caller key) and an API key
// with limits of its own. The HTTP half of the same cases is in e2e/api-keys-api.spec.ts.

let handle: DbHandle;
beforeAll(async () => {
  // The commands read the pepper from the environment, as the server does.
  process.env.AUTH_SECRET ??= randomBytes(32).toString("base64url");
  process.env.KEY_PEPPER ??= randomBytes(32).toString("base64url");
  handle = await openTestDb();
});
afterAll(async () => {
  await handle?.close();
});

const days = (n: number) => new Date(Date.now() + n * DAY_MS);

async function owner() {
  const user = await makeUser(handle.db);
  const session: Actor = { userId: user.id, context: CONTEXT, clockOffsetMs: 0, authenticatedAt: new Date() };
  const through = (key: { id: string; scopes: string[]; expiresAt: Date | null }, viaPreviousSecret = false): Actor => ({
    ...session,
    key: { id: key.id, scopes: key.scopes, expiresAt: key.expiresAt, viaPreviousSecret } satisfies CallerKey,
  });
  return { user, session, through };
}

const hashOf = async (id: string) => (await handle.db.select({ h: apiKeys.keyHash }).from(apiKeys).where(eq(apiKeys.id, id)))[0]!.h;

describe(`key commands (${TEST_DRIVER})`, () => {
  it("a key cannot rotate a key that outlives it, and nothing changes; it may rotate itself and shorter-lived keys", async () => {
    const { session, through } = await owner();
    const short = (await createKey(handle.db, session, { name: "short", scopes: ALL_SCOPES, expiresAt: days(3) })).key;
    const forever = (await createKey(handle.db, session, { name: "forever", scopes: ["keys:read"], expiresAt: null })).key;
    const longer = (await createKey(handle.db, session, { name: "longer", scopes: ["keys:read"], expiresAt: days(20) })).key;
    const shorter = (await createKey(handle.db, session, { name: "shorter", scopes: ["keys:read"], expiresAt: days(1) })).key;
    const caller = through(short);

    for (const target of [forever, longer]) {
      const before = await hashOf(target.id);
      expect(await refusal(rotateKey(handle.db, caller, target.id, "none"))).toBe("expiry_beyond_caller");
      expect(await hashOf(target.id)).toBe(before);
    }
    const rotations = await handle.db.select().from(auditEvents).where(eq(auditEvents.targetId, forever.id));
    expect(rotations.map((e) => e.action)).toEqual(["api_key.created"]);

    await expect(rotateKey(handle.db, caller, shorter.id, "none")).resolves.toMatchObject({ key: { id: shorter.id } });
    const self = await rotateKey(handle.db, caller, short.id, "1h");
    expect(self.key.expiresAt).toEqual(short.expiresAt);
    // A dashboard session has no lifetime of its own to outlive.
    await expect(rotateKey(handle.db, session, forever.id, "none")).resolves.toMatchObject({ key: { id: forever.id } });
  });

  it("a previous secret in its grace period may not rotate, whatever the target", async () => {
    const { session, through } = await owner();
    const { key } = await createKey(handle.db, session, { name: "k", scopes: ALL_SCOPES, expiresAt: null });
    expect(await refusal(rotateKey(handle.db, through(key, true), key.id, "none"))).toBe("previous_secret");
  });

  it("a key cannot widen the scopes of a key that outlives it, but may rename it or narrow it", async () => {
    const { session, through } = await owner();
    const short = (await createKey(handle.db, session, { name: "short", scopes: ["keys:read", "keys:write", "usage:read"], expiresAt: days(3) })).key;
    const forever = (await createKey(handle.db, session, { name: "forever", scopes: ["keys:read", "usage:read"], expiresAt: null })).key;
    const caller = through(short);
    expect(await refusal(updateKey(handle.db, caller, forever.id, { scopes: ["keys:read", "keys:write", "usage:read"] }))).toBe("expiry_beyond_caller");
    expect((await getKey(handle.db, session, forever.id)).scopes).toEqual(["keys:read", "usage:read"]);
    await expect(updateKey(handle.db, caller, forever.id, { name: "renamed", scopes: ["keys:read"] })).resolves.toMatchObject({ name: "renamed", scopes: ["keys:read"] });
    // Extending it past the caller, or never expiring, is the same escalation.
    expect(await refusal(updateKey(handle.db, caller, forever.id, { expiresAt: null }))).toBe("expiry_beyond_caller");
    // Deleting a longer-lived key takes power away: allowed.
    await expect(deleteKey(handle.db, caller, forever.id)).resolves.toMatchObject({ id: forever.id });
  });

  it("a key manages only keys within its scopes, and grants only its own scopes and lifetime", async () => {
    const { session, through } = await owner();
    const limited = (await createKey(handle.db, session, { name: "limited", scopes: ["keys:read", "keys:write"], expiresAt: days(1) })).key;
    const root = (await createKey(handle.db, session, { name: "root", scopes: ALL_SCOPES, expiresAt: null })).key;
    const caller = through(limited);
    expect(await refusal(createKey(handle.db, caller, { name: "wider", scopes: ["keys:verify"], expiresAt: days(0.5) }))).toBe("insufficient_scope");
    // No expiry asked: the 30-day default would outlive a key that expires tomorrow.
    expect(await refusal(createKey(handle.db, caller, { name: "default", scopes: ["keys:read"] }))).toBe("expiry_beyond_caller");
    // One at a time: refusals started together would reject before they are awaited.
    for (const attempt of [() => deleteKey(handle.db, caller, root.id), () => revokeKey(handle.db, caller, root.id), () => rotateKey(handle.db, caller, root.id, "none")]) {
      expect(await refusal(attempt())).toBe("insufficient_scope");
    }
    expect((await getKey(handle.db, session, root.id)).revokedAt).toBeNull();
  });

  it("answers a malformed id, another owner's key and an unknown key alike", async () => {
    const a = await owner();
    const b = await owner();
    const { key } = await createKey(handle.db, a.session, { name: "mine", scopes: ["keys:read"] });
    for (const id of ["not-a-uuid", 42, null, "00000000-0000-4000-8000-000000000000", key.id]) {
      expect(await refusal(getKey(handle.db, b.session, id))).toBe("key_not_found");
      expect(await refusal(updateKey(handle.db, b.session, id, { name: "x" }))).toBe("key_not_found");
      expect(await refusal(rotateKey(handle.db, b.session, id, "none"))).toBe("key_not_found");
      expect(await refusal(revokeKey(handle.db, b.session, id))).toBe("key_not_found");
      expect(await refusal(deleteKey(handle.db, b.session, id))).toBe("key_not_found");
    }
  });

  it("stores an empty description as none and applies the default lifetime when no expiry is given", async () => {
    const { session } = await owner();
    const { key } = await createKey(handle.db, session, { name: "d", description: "", scopes: ["keys:write"] });
    expect(key.description).toBeNull();
    expect(key.scopes).toEqual(["keys:read", "keys:write"]);
    expect(key.access).toBe("restricted");
    expect(Math.abs(key.expiresAt!.getTime() - days(30).getTime())).toBeLessThan(60_000);
    expect((await updateKey(handle.db, session, key.id, { description: "set" })).description).toBe("set");
    expect((await updateKey(handle.db, session, key.id, { description: "" })).description).toBeNull();
  });
});
