import { randomBytes } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbHandle } from "@/db/client";
import { createApiKey } from "@/db/queries/api-keys";
import { PASSWORD_CHANGE_FAILURES } from "@/db/queries/users";
import { apiKeys, auditEvents, users } from "@/db/schema";
import { STEP_UP_MINUTES } from "@/lib/accounts/step-up";
import { readStepUpProof } from "@/lib/auth/step-up-proof";
import { AppError, type ErrorCode } from "@/lib/errors";
import { hashPassword } from "@/lib/password";
import { scopesFor } from "@/lib/scopes";
import { TEST_DRIVER, openTestDb } from "@/test/db";
import { CONTEXT, PEPPER, makeUser } from "@/test/fixtures";
import type { Actor } from "./actor";
import { changeUserRole, confirmIdentity } from "./accounts";
import { revokeKeysAsAdmin, revokeMatchingAsAdmin } from "./admin-keys";
import { createKey, rotateKey, updateKey } from "./keys";
import { changeSignUpSettings } from "./settings";

// Step-up on a real database: every sensitive command refuses a session whose last authentication
// is older than STEP_UP_MINUTES, and accepts a fresh one; a key is never asked; confirming the
// password yields a proof only for the right password, under the shared wrong-guess limit. The
// browser half (the dialog, the session update) is e2e/step-up.spec.ts.

let handle: DbHandle;
let admin: { id: string };
beforeAll(async () => {
  process.env.AUTH_SECRET ??= randomBytes(32).toString("base64url");
  process.env.KEY_PEPPER ??= randomBytes(32).toString("base64url");
  handle = await openTestDb();
  admin = await makeUser(handle.db, { adminEmails: [] });
  await handle.db.update(users).set({ role: "admin" }).where(eq(users.id, admin.id));
});
afterAll(async () => {
  await handle?.close();
});

const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000);
const session = (userId: string, authenticatedAt?: Date): Actor => ({ userId, context: CONTEXT, clockOffsetMs: 0, authenticatedAt });
const fresh = (userId: string) => session(userId, minutesAgo(1));
const stale = (userId: string) => session(userId, minutesAgo(STEP_UP_MINUTES + 1));

async function refusal(promise: Promise<unknown>): Promise<ErrorCode> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof AppError)) throw new Error(`expected an AppError, got ${String(error)}`);
  return error.code;
}

async function fullKey(userId: string) {
  const made = await createApiKey(handle.db, userId, { name: `k-${randomBytes(4).toString("hex")}`, description: null, access: "full", scopes: scopesFor("full"), expiresAt: null }, CONTEXT, PEPPER);
  return made.key;
}

describe(`sensitive key changes need a recent authentication (${TEST_DRIVER})`, () => {
  it("creating a Full-access key: refused when stale, allowed when fresh; a Read-only key is never asked", async () => {
    const user = await makeUser(handle.db);
    expect(await refusal(createKey(handle.db, stale(user.id), { name: "full-stale", scopes: scopesFor("full"), access: "full" }))).toBe("reauthentication_required");
    // Every scope chosen one by one is Full access too, whatever the form called it.
    expect(await refusal(createKey(handle.db, stale(user.id), { name: "all-restricted", scopes: scopesFor("full"), access: "restricted" }))).toBe("reauthentication_required");
    // No session time at all (an actor that does not say) is stale: fail closed.
    expect(await refusal(createKey(handle.db, session(user.id), { name: "full-unknown", scopes: scopesFor("full") }))).toBe("reauthentication_required");
    expect((await createKey(handle.db, stale(user.id), { name: "read-stale", scopes: scopesFor("read_only") })).key.name).toBe("read-stale");
    expect((await createKey(handle.db, fresh(user.id), { name: "full-fresh", scopes: scopesFor("full") })).key.access).toBe("full");
    const names = (await handle.db.select({ name: apiKeys.name }).from(apiKeys).where(eq(apiKeys.userId, user.id))).map((r) => r.name).sort();
    expect(names).toEqual(["full-fresh", "read-stale"]);
  });

  it("widening a key to Full access is asked; editing an already-Full key's name is not", async () => {
    const user = await makeUser(handle.db);
    const { key } = await createKey(handle.db, fresh(user.id), { name: "narrow", scopes: scopesFor("read_only") });
    expect(await refusal(updateKey(handle.db, stale(user.id), key.id, { scopes: scopesFor("full") }))).toBe("reauthentication_required");
    expect((await handle.db.select({ access: apiKeys.access }).from(apiKeys).where(eq(apiKeys.id, key.id)))[0]!.access).toBe("read_only");
    const full = await fullKey(user.id);
    expect((await updateKey(handle.db, stale(user.id), full.id, { name: "renamed", scopes: scopesFor("full") })).name).toBe("renamed");
  });

  it("rotating: a stale session is refused and the secret is unchanged; a key rotating through the API is not asked", async () => {
    const user = await makeUser(handle.db);
    const key = await fullKey(user.id);
    const hashBefore = (await handle.db.select({ h: apiKeys.keyHash }).from(apiKeys).where(eq(apiKeys.id, key.id)))[0]!.h;
    expect(await refusal(rotateKey(handle.db, stale(user.id), key.id, "none"))).toBe("reauthentication_required");
    expect((await handle.db.select({ h: apiKeys.keyHash }).from(apiKeys).where(eq(apiKeys.id, key.id)))[0]!.h).toBe(hashBefore);
    const viaKey: Actor = { ...session(user.id), key: { id: key.id, scopes: key.scopes, expiresAt: null, viaPreviousSecret: false } };
    expect((await rotateKey(handle.db, viaKey, key.id, "none")).secret).toMatch(/^ksk_/);
    expect((await rotateKey(handle.db, fresh(user.id), key.id, "none")).secret).toMatch(/^ksk_/);
  });
});

describe(`sensitive admin changes need a recent authentication (${TEST_DRIVER})`, () => {
  it("bulk revoke, role changes and the sign-up mode refuse a stale admin session and change nothing", async () => {
    const member = await makeUser(handle.db);
    const key = await fullKey(member.id);
    expect(await refusal(revokeKeysAsAdmin(handle.db, stale(admin.id), [key.id], "leaked"))).toBe("reauthentication_required");
    expect(await refusal(revokeMatchingAsAdmin(handle.db, stale(admin.id), { q: member.email }, null, 1, "leaked"))).toBe("reauthentication_required");
    expect(await refusal(changeUserRole(handle.db, stale(admin.id), member.id, "admin"))).toBe("reauthentication_required");
    expect(await refusal(changeSignUpSettings(handle.db, stale(admin.id), { mode: "closed", domains: [] }))).toBe("reauthentication_required");
    expect((await handle.db.select({ r: apiKeys.revokedAt }).from(apiKeys).where(eq(apiKeys.id, key.id)))[0]!.r).toBeNull();
    expect((await handle.db.select({ role: users.role }).from(users).where(eq(users.id, member.id)))[0]!.role).toBe("member");

    expect(await revokeKeysAsAdmin(handle.db, fresh(admin.id), [key.id], "leaked")).toBe(1);
    await changeUserRole(handle.db, fresh(admin.id), member.id, "admin");
    expect((await handle.db.select({ role: users.role }).from(users).where(eq(users.id, member.id)))[0]!.role).toBe("admin");
    await changeUserRole(handle.db, fresh(admin.id), member.id, "member");
  });

  it("an admin demoted since the page loaded is refused inside the revoking transaction, even when fresh", async () => {
    const other = await makeUser(handle.db);
    await handle.db.update(users).set({ role: "admin" }).where(eq(users.id, other.id));
    const member = await makeUser(handle.db);
    const key = await fullKey(member.id);
    await handle.db.update(users).set({ role: "member" }).where(eq(users.id, other.id));
    expect(await refusal(revokeKeysAsAdmin(handle.db, fresh(other.id), [key.id], "leaked"))).toBe("not_found");
    expect((await handle.db.select({ r: apiKeys.revokedAt }).from(apiKeys).where(eq(apiKeys.id, key.id)))[0]!.r).toBeNull();
  });
});

describe(`confirming who you are (${TEST_DRIVER})`, () => {
  it("the right password gives a proof for this session only; a wrong one is refused, audited and limited", async () => {
    const user = await makeUser(handle.db);
    await handle.db.update(users).set({ passwordHash: await hashPassword("the right password 1") }).where(eq(users.id, user.id));
    const { proof, at } = await confirmIdentity(handle.db, stale(user.id), { password: "the right password 1" }, 3);
    const now = Math.floor(Date.now() / 1000);
    expect(readStepUpProof(proof, user.id, 3, now)).toBe(at.getTime() / 1000);
    // Bound to the user and the session version; a tampered or old proof is worthless.
    expect(readStepUpProof(proof, user.id, 4, now)).toBeNull();
    expect(readStepUpProof(proof, admin.id, 3, now)).toBeNull();
    expect(readStepUpProof(proof.replace(/.$/, (c) => (c === "A" ? "B" : "A")), user.id, 3, now)).toBeNull();
    expect(readStepUpProof(proof, user.id, 3, now + 61)).toBeNull();
    expect(readStepUpProof({ stepUp: proof }, user.id, 3, now)).toBeNull();

    expect(await refusal(confirmIdentity(handle.db, stale(user.id), { password: "not it" }, 3))).toBe("wrong_password");
    const failed = await handle.db.select().from(auditEvents).where(and(eq(auditEvents.targetId, user.id), eq(auditEvents.action, "user.reauthentication_failed")));
    expect(failed).toHaveLength(1);
    for (let i = 1; i < PASSWORD_CHANGE_FAILURES; i++) await refusal(confirmIdentity(handle.db, stale(user.id), { password: "not it" }, 3));
    // Limited: even the right password is not checked until the window ends.
    expect(await refusal(confirmIdentity(handle.db, stale(user.id), { password: "the right password 1" }, 3))).toBe("rate_limited");
    const ok = await handle.db.select().from(auditEvents).where(and(eq(auditEvents.targetId, user.id), eq(auditEvents.action, "user.reauthenticated")));
    expect(ok).toHaveLength(1);
  });
});
