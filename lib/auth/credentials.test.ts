import { and, eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import type { DbHandle } from "@/db/client";
import { createUser } from "@/db/queries/users";
import { auditEvents, users } from "@/db/schema";
import { hashPassword } from "@/lib/password";
import { TEST_DRIVER, openTestDb } from "@/test/db";
import { checkCredentials, LOGIN_WINDOW_MS } from "./credentials";

// Wrap the real verifier so the tests can count how often a password is actually checked.
const verifyCalls = vi.hoisted(() => ({ count: 0 }));
vi.mock("../password", async (importOriginal) => {
  const real = await importOriginal<typeof import("../password")>();
  return {
    ...real,
    verifyPassword: async (...args: Parameters<typeof real.verifyPassword>) => {
      verifyCalls.count++;
      return real.verifyPassword(...args);
    },
  };
});

const PASSWORD = "correct horse battery staple";
let handle: DbHandle;
let passwordHash: string;
beforeAll(async () => {
  handle = await openTestDb();
  passwordHash = await hashPassword(PASSWORD);
});
afterAll(async () => {
  await handle?.close();
});
afterEach(() => {
  delete process.env.LOGIN_FAILURES_PER_IP;
});

let n = 0;
async function account() {
  const email = `login-${++n}-${Date.now()}@example.test`;
  const user = await createUser(handle.db, { email, name: "L", passwordHash, adminEmails: [] }, { ip: null, userAgent: null });
  return { email, user };
}
const from = (ip: string) => ({ ip, userAgent: "vitest" });

describe(`checkCredentials (${TEST_DRIVER})`, () => {
  it("refuses a suspended account, saying so only to whoever gave its right password", async () => {
    const { email, user } = await account();
    await handle.db.update(users).set({ suspendedAt: new Date() }).where(eq(users.id, user.id));
    expect(await checkCredentials(handle.db, { email, password: PASSWORD }, from("192.0.2.31"))).toEqual({ ok: false, reason: "suspended" });
    expect(await checkCredentials(handle.db, { email, password: "wrong password here" }, from("192.0.2.31"))).toEqual({ ok: false, reason: "invalid" });
    const refused = await handle.db.select().from(auditEvents).where(and(eq(auditEvents.targetId, user.id), eq(auditEvents.action, "user.sign_in_failed")));
    expect(refused.map((e) => (e.metadata as { reason: string }).reason).sort()).toEqual(["suspended", "wrong_password"]);
  });

  it("signs in with the right password and audits it", async () => {
    const { email, user } = await account();
    const result = await checkCredentials(handle.db, { email, password: PASSWORD }, from("192.0.2.10"));
    expect(result).toMatchObject({ ok: true, user: { id: user.id } });
    const events = await handle.db.select().from(auditEvents).where(and(eq(auditEvents.targetId, user.id), eq(auditEvents.action, "user.signed_in")));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ actorId: user.id, ip: "192.0.2.10" });
  });

  it("treats an unknown email exactly like a wrong password: one hash check, same answer, audited without an actor", async () => {
    const { email, user } = await account();
    verifyCalls.count = 0;
    const wrong = await checkCredentials(handle.db, { email, password: "not the password" }, from("192.0.2.11"));
    expect(verifyCalls.count).toBe(1);
    const unknownEmail = `nobody-${Date.now()}@example.test`;
    const unknown = await checkCredentials(handle.db, { email: unknownEmail, password: "not the password" }, from("192.0.2.11"));
    expect(verifyCalls.count).toBe(2);
    expect(wrong).toEqual({ ok: false, reason: "invalid" });
    expect(unknown).toEqual(wrong);

    const failed = await handle.db.select().from(auditEvents).where(eq(auditEvents.action, "user.sign_in_failed"));
    expect(failed.find((e) => e.targetId === user.id)).toMatchObject({ actorId: null, metadata: { email, reason: "wrong_password" } });
    expect(failed.find((e) => (e.metadata as { email?: string }).email === unknownEmail)).toMatchObject({
      actorId: null,
      targetId: null,
      metadata: { reason: "unknown_email" },
    });
  });

  it("locks an account after 10 failures in a window, even for the right password, without checking it", async () => {
    const { email } = await account();
    const now = Date.now();
    for (let i = 0; i < 10; i++) {
      // A different address each time: the per-account limit alone must stop this.
      expect(await checkCredentials(handle.db, { email, password: `guess ${i}` }, from(`198.51.100.${i + 1}`), now)).toMatchObject({ reason: "invalid" });
    }
    verifyCalls.count = 0;
    const locked = await checkCredentials(handle.db, { email, password: PASSWORD }, from("198.51.100.99"), now);
    expect(locked).toMatchObject({ ok: false, reason: "rate_limited" });
    expect(verifyCalls.count).toBe(0);
    // The next window starts fresh.
    expect(await checkCredentials(handle.db, { email, password: PASSWORD }, from("198.51.100.99"), now + LOGIN_WINDOW_MS)).toMatchObject({ ok: true });
  });

  it("blocks an address that fails across many accounts, not other addresses", async () => {
    process.env.LOGIN_FAILURES_PER_IP = "3";
    const now = Date.now();
    for (let i = 0; i < 3; i++) {
      const { email } = await account();
      expect(await checkCredentials(handle.db, { email, password: "spray" }, from("203.0.113.50"), now)).toMatchObject({ reason: "invalid" });
    }
    const { email } = await account();
    expect(await checkCredentials(handle.db, { email, password: PASSWORD }, from("203.0.113.50"), now)).toMatchObject({ reason: "rate_limited" });
    expect(await checkCredentials(handle.db, { email, password: PASSWORD }, from("203.0.113.51"), now)).toMatchObject({ ok: true });
  });
});
