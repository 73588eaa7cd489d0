import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbHandle } from "@/db/client";
import { apiKeys, auditEvents } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { generateKey } from "@/lib/keys/format";
import { verifyKey, type VerifyDeps } from "@/lib/keys/verify";
import { SyncedLimiter } from "@/lib/rate-limit";
import { scopesFor } from "@/lib/scopes";
import { UsageRecorder } from "@/lib/usage";
import { TEST_DRIVER, openTestDb } from "@/test/db";
import { CONTEXT, PEPPER, makeUser } from "@/test/fixtures";
import { createApiKey } from "./api-keys";
import { deleteApiKey } from "./key-revocation";
import { listRotations, revokeLeakedKeys, rotateApiKey } from "./rotations";

let handle: DbHandle;
beforeAll(async () => {
  handle = await openTestDb();
});
afterAll(async () => {
  await handle?.close();
});

const HOUR = 3_600_000;
const deps = (clockOffsetMs = 0): VerifyDeps => ({
  db: handle.db,
  pepper: PEPPER,
  clockOffsetMs,
  limiter: new SyncedLimiter(60_000, async () => handle.db, 60_000),
  usage: new UsageRecorder(async () => handle.db, 60_000),
  ratePerMinute: 1000,
});
const code = async (secret: string, offset = 0) => (await verifyKey(deps(offset), secret, { ip: null })).code;

async function newKey(expiresAt: Date | null = null) {
  const user = await makeUser(handle.db);
  const created = await createApiKey(
    handle.db,
    user.id,
    { name: "rotating", description: null, access: "full", scopes: scopesFor("full"), expiresAt },
    CONTEXT,
    PEPPER,
  );
  return { user, ...created };
}

describe(`rotation (${TEST_DRIVER})`, () => {
  it("keeps id, name and scopes; both secrets work in the grace period, the old one never after", async () => {
    const { user, key, secret: oldSecret } = await newKey();
    const rotated = await rotateApiKey(handle.db, user.id, key.id, { graceMs: HOUR, via: "dashboard" }, CONTEXT, PEPPER);
    expect(rotated.key).toMatchObject({ id: key.id, name: key.name, scopes: key.scopes });
    expect(rotated.secret).not.toBe(oldSecret);
    expect(rotated.key.hint).toBe(`ksk_…${rotated.secret.slice(-4)}`);
    expect(rotated.graceUntil.getTime()).toBeGreaterThan(Date.now() + HOUR - 60_000);

    expect(await code(rotated.secret)).toBe("VALID");
    expect(await code(oldSecret)).toBe("VALID");
    expect(await code(oldSecret, HOUR - 60_000)).toBe("VALID");
    expect(await code(oldSecret, HOUR + 60_000)).toBe("NOT_FOUND");
    expect(await code(rotated.secret, HOUR + 60_000)).toBe("VALID");

    const history = await listRotations(handle.db, user.id, key.id);
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({ oldHint: key.hint, newHint: rotated.key.hint, via: "dashboard" });
    const events = await handle.db.select().from(auditEvents).where(eq(auditEvents.targetId, key.id));
    expect(events.map((e) => e.action)).toContain("api_key.rotated");
  });

  it("ends the old secret at once with no grace, and never lets grace outlive the key", async () => {
    const { user, key, secret } = await newKey(new Date(Date.now() + 2 * HOUR));
    const r1 = await rotateApiKey(handle.db, user.id, key.id, { graceMs: 0, via: "api" }, CONTEXT, PEPPER);
    expect(await code(secret)).toBe("NOT_FOUND");
    const r2 = await rotateApiKey(handle.db, user.id, key.id, { graceMs: 7 * 24 * HOUR, via: "api" }, CONTEXT, PEPPER);
    expect(Math.abs(r2.graceUntil.getTime() - key.expiresAt!.getTime())).toBeLessThan(1000);
    expect(await code(r1.secret)).toBe("VALID");
    expect(await code(r1.secret, 3 * HOUR)).toBe("NOT_FOUND");
    expect(await code(r2.secret, 3 * HOUR)).toBe("EXPIRED");
  });

  it("rotating immediately also ends secrets still in an earlier rotation's grace period", async () => {
    const { user, key, secret: first } = await newKey();
    const r1 = await rotateApiKey(handle.db, user.id, key.id, { graceMs: 7 * 24 * HOUR, via: "api" }, CONTEXT, PEPPER);
    expect(await code(first)).toBe("VALID");
    const r2 = await rotateApiKey(handle.db, user.id, key.id, { graceMs: 0, via: "dashboard" }, CONTEXT, PEPPER);
    expect(await code(first)).toBe("NOT_FOUND");
    expect(await code(r1.secret)).toBe("NOT_FOUND");
    expect(await code(r2.secret)).toBe("VALID");
    const history = await listRotations(handle.db, user.id, key.id);
    expect(history.every((r) => r.graceUntil.getTime() <= r2.graceUntil.getTime())).toBe(true);
  });

  it("a shorter grace caps earlier ones, a longer grace never extends them", async () => {
    const { user, key, secret: first } = await newKey();
    await rotateApiKey(handle.db, user.id, key.id, { graceMs: 7 * 24 * HOUR, via: "api" }, CONTEXT, PEPPER);
    const r2 = await rotateApiKey(handle.db, user.id, key.id, { graceMs: HOUR, via: "api" }, CONTEXT, PEPPER);
    expect(await code(first, HOUR - 60_000)).toBe("VALID");
    expect(await code(first, HOUR + 60_000)).toBe("NOT_FOUND");
    await rotateApiKey(handle.db, user.id, key.id, { graceMs: 24 * HOUR, via: "api" }, CONTEXT, PEPPER);
    expect(await code(first, HOUR + 60_000)).toBe("NOT_FOUND");
    expect(await code(r2.secret, 2 * HOUR)).toBe("VALID");
  });

  it("dates the rotation by the same (test-shifted) clock as its grace period", async () => {
    const { user, key } = await newKey();
    const offset = 10 * 24 * HOUR;
    const r = await rotateApiKey(handle.db, user.id, key.id, { graceMs: HOUR, via: "api", clockOffsetMs: offset }, CONTEXT, PEPPER);
    const [row] = await listRotations(handle.db, user.id, key.id);
    expect(Math.abs(row!.graceUntil.getTime() - row!.rotatedAt.getTime() - HOUR)).toBeLessThan(1000);
    expect(Math.abs(row!.rotatedAt.getTime() - (Date.now() + offset))).toBeLessThan(60_000);
    expect(Math.abs(r.key.secretCreatedAt.getTime() - row!.rotatedAt.getTime())).toBeLessThan(1000);
  });

  it("refuses another user's key and keys that are no longer active", async () => {
    const { user, key } = await newKey();
    const stranger = await makeUser(handle.db);
    const err = await rotateApiKey(handle.db, stranger.id, key.id, { graceMs: 0, via: "api" }, CONTEXT, PEPPER).catch((e: unknown) => e);
    expect((err as AppError).code).toBe("key_not_found");
    await handle.db.update(apiKeys).set({ revokedAt: new Date() }).where(eq(apiKeys.id, key.id));
    const revoked = await rotateApiKey(handle.db, user.id, key.id, { graceMs: 0, via: "api" }, CONTEXT, PEPPER).catch((e: unknown) => e);
    expect((revoked as AppError).code).toBe("key_inactive");
    await deleteApiKey(handle.db, user.id, key.id, CONTEXT);
    const gone = await rotateApiKey(handle.db, user.id, key.id, { graceMs: 0, via: "api" }, CONTEXT, PEPPER).catch((e: unknown) => e);
    expect((gone as AppError).code).toBe("key_not_found");
  });
});

describe(`leaked keys (${TEST_DRIVER})`, () => {
  it("revokes reported current secrets, ends the grace of reported old ones, ignores the rest", async () => {
    const a = await newKey();
    const b = await newKey();
    const rotated = await rotateApiKey(handle.db, b.user.id, b.key.id, { graceMs: HOUR, via: "api" }, CONTEXT, PEPPER);
    const count = await revokeLeakedKeys(handle.db, [a.secret, a.secret, b.secret, generateKey(), "garbage"], PEPPER, CONTEXT, "test", { mail: false });
    expect(count).toBe(2);
    expect(await code(a.secret)).toBe("REVOKED");
    const [row] = await handle.db.select().from(apiKeys).where(eq(apiKeys.id, a.key.id));
    expect(row!.revokedReason).toBe("reported leaked");
    expect(await code(b.secret)).toBe("NOT_FOUND");
    expect(await code(rotated.secret)).toBe("VALID");
    const events = await handle.db.select().from(auditEvents).where(eq(auditEvents.action, "api_key.reported_leaked"));
    expect(events.map((e) => e.targetId).sort()).toEqual([a.key.id, b.key.id].sort());
    expect(await revokeLeakedKeys(handle.db, [a.secret], PEPPER, CONTEXT, "test", { mail: false })).toBe(0);
  });
});
