import { randomBytes } from "node:crypto";
import { and, eq, isNull, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbHandle } from "@/db/client";
import { createApiKey } from "@/db/queries/api-keys";
import { revokeApiKey } from "@/db/queries/key-revocation";
import { createUser, findUserById, PASSWORD_CHANGE_FAILURES } from "@/db/queries/users";
import { apiKeys, auditEvents, users } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { verifyKey, type VerifyDeps } from "@/lib/keys/verify";
import { hashPassword, verifyPassword } from "@/lib/password";
import { SyncedLimiter } from "@/lib/rate-limit";
import { scopesFor } from "@/lib/scopes";
import { UsageRecorder } from "@/lib/usage";
import { TEST_DRIVER, openTestDb } from "@/test/db";
import { CONTEXT, PEPPER, makeUser, refusal } from "@/test/fixtures";
import type { Actor } from "./actor";
import { changeOwnPassword, changeUserRole, deleteAccount, reinstateAccount, suspendAccount, updateProfile } from "./accounts";

// The account commands on a real database (PGlite, and Postgres with TEST_DRIVER=pg): a user's own
// name and password, and an admin's suspension, reinstatement, deletion and role changes, with
// the last-active-admin guard under concurrent changes. The browser half is e2e/accounts.spec.ts.

let handle: DbHandle;
let root: { id: string };
beforeAll(async () => {
  process.env.AUTH_SECRET ??= randomBytes(32).toString("base64url");
  process.env.KEY_PEPPER ??= randomBytes(32).toString("base64url");
  handle = await openTestDb();
  root = await makeUser(handle.db); // the first account: an admin
});
afterAll(async () => {
  await handle?.close();
});

const as = (userId: string): Actor => ({ userId, context: CONTEXT, clockOffsetMs: 0, authenticatedAt: new Date() });
const deps = (): VerifyDeps => ({
  db: handle.db,
  pepper: PEPPER,
  limiter: new SyncedLimiter(60_000, async () => handle.db, 60_000),
  usage: new UsageRecorder(async () => handle.db, 60_000),
  ratePerMinute: 1_000_000,
});
const code = async (secret: string) => (await verifyKey(deps(), secret, { ip: null })).code;
async function keyOf(userId: string) {
  return createApiKey(handle.db, userId, { name: `k-${randomBytes(4).toString("hex")}`, description: null, access: "full", scopes: scopesFor("full"), expiresAt: null }, CONTEXT, PEPPER);
}
async function events(targetId: string, action?: string) {
  return handle.db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.targetId, targetId), action ? eq(auditEvents.action, action) : undefined));
}

describe(`a user's own account (${TEST_DRIVER})`, () => {
  it("changes the display name through the one command, audited", async () => {
    const user = await makeUser(handle.db);
    const updated = await updateProfile(handle.db, as(user.id), { name: "Grace Hopper" });
    expect(updated.name).toBe("Grace Hopper");
    expect((await events(user.id, "user.profile_updated"))[0]?.metadata).toEqual({ name: "Grace Hopper" });
  });

  it("changes the password only with the current one, ends every session, and limits wrong guesses", async () => {
    const password = "old password for the test";
    const user = await createUser(handle.db, { email: `pw-${randomBytes(4).toString("hex")}@example.test`, name: "Pw", passwordHash: await hashPassword(password), adminEmails: [] }, CONTEXT);
    const before = (await findUserById(handle.db, user.id))!.sessionVersion;

    expect(await refusal(changeOwnPassword(handle.db, as(user.id), { currentPassword: "not the password", newPassword: "a brand new passphrase" }))).toBe("wrong_password");
    const [row] = await handle.db.select().from(users).where(eq(users.id, user.id));
    expect(await verifyPassword(row!.passwordHash, password)).toBe(true); // unchanged
    expect(row!.sessionVersion).toBe(before);
    expect(await events(user.id, "user.password_change_failed")).toHaveLength(1);

    // A key is no password holder: through the API it is refused whatever it is given.
    const viaKey = { ...as(user.id), key: { id: randomBytes(16).toString("hex"), scopes: [], expiresAt: null, viaPreviousSecret: false } };
    expect(await refusal(changeOwnPassword(handle.db, viaKey, { currentPassword: password, newPassword: "a brand new passphrase" }))).toBe("not_found");

    await changeOwnPassword(handle.db, as(user.id), { currentPassword: password, newPassword: "a brand new passphrase" });
    const [changed] = await handle.db.select().from(users).where(eq(users.id, user.id));
    expect(await verifyPassword(changed!.passwordHash, "a brand new passphrase")).toBe(true);
    expect(changed!.sessionVersion).toBe(before + 1); // every session issued before is dead
    expect(await events(user.id, "user.password_changed")).toHaveLength(1);

    // Wrong guesses are counted per account; at the limit even the right password waits.
    for (let i = 1; i < PASSWORD_CHANGE_FAILURES; i++) {
      expect(await refusal(changeOwnPassword(handle.db, as(user.id), { currentPassword: `guess ${i}`, newPassword: "another new passphrase" }))).toBe("wrong_password");
    }
    expect(await refusal(changeOwnPassword(handle.db, as(user.id), { currentPassword: "a brand new passphrase", newPassword: "another new passphrase" }))).toBe("rate_limited");
  });
});

describe(`suspension and deletion (${TEST_DRIVER})`, () => {
  it("suspending ends sessions and refuses every key on the next verification; reinstating restores the valid ones", async () => {
    const user = await makeUser(handle.db);
    const { secret } = await keyOf(user.id);
    const revoked = await keyOf(user.id);
    await revokeApiKey(handle.db, user.id, revoked.key.id, CONTEXT);
    expect(await code(secret)).toBe("VALID"); // and, on PGlite, now in the lookup cache
    const version = (await findUserById(handle.db, user.id))!.sessionVersion;

    await suspendAccount(handle.db, as(root.id), user.id);
    expect(await code(secret)).toBe("USER_SUSPENDED");
    expect(await code(revoked.secret)).toBe("REVOKED"); // what fails anyway says so
    const suspended = (await findUserById(handle.db, user.id))!;
    expect(suspended.suspendedAt).not.toBeNull();
    expect(suspended.sessionVersion).toBe(version + 1);
    // Suspending again changes nothing and records nothing.
    await suspendAccount(handle.db, as(root.id), user.id);
    expect(await events(user.id, "user.suspended")).toHaveLength(1);
    // Nothing was deleted or revoked.
    expect((await handle.db.select().from(apiKeys).where(and(eq(apiKeys.userId, user.id), isNull(apiKeys.revokedAt)))).length).toBe(1);

    await reinstateAccount(handle.db, as(root.id), user.id);
    expect(await code(secret)).toBe("VALID");
    expect(await code(revoked.secret)).toBe("REVOKED");
    expect(await events(user.id, "user.reinstated")).toHaveLength(1);
  });

  it("refuses members, your own account and unknown ids, and changes nothing", async () => {
    const member = await makeUser(handle.db);
    const target = await makeUser(handle.db);
    expect(await refusal(suspendAccount(handle.db, as(member.id), target.id))).toBe("not_found");
    expect(await refusal(deleteAccount(handle.db, as(member.id), target.id))).toBe("not_found");
    expect(await refusal(suspendAccount(handle.db, as(root.id), root.id))).toBe("own_account");
    expect(await refusal(deleteAccount(handle.db, as(root.id), root.id))).toBe("own_account");
    expect(await refusal(suspendAccount(handle.db, as(root.id), "not-a-uuid"))).toBe("user_not_found");
    expect(await refusal(reinstateAccount(handle.db, as(root.id), "00000000-0000-4000-8000-000000000000"))).toBe("user_not_found");
    expect((await findUserById(handle.db, target.id))!.suspendedAt).toBeNull();
    // A suspended admin is no admin: they can change nobody.
    const admin = await makeUser(handle.db);
    await changeUserRole(handle.db, as(root.id), admin.id, "admin");
    await suspendAccount(handle.db, as(root.id), admin.id);
    expect(await refusal(suspendAccount(handle.db, as(admin.id), target.id))).toBe("not_found");
    await deleteAccount(handle.db, as(root.id), admin.id);
  });

  it("deleting revokes every key, anonymises the row and keeps every audit event", async () => {
    const email = `gone-${randomBytes(4).toString("hex")}@example.test`;
    const user = await makeUser(handle.db, { email });
    const a = await keyOf(user.id);
    await keyOf(user.id);
    await updateProfile(handle.db, as(user.id), { name: "Leaving Soon" });
    const before = await handle.db.select().from(auditEvents).where(sql`${auditEvents.actorId} = ${user.id} or ${auditEvents.targetId} = ${user.id}`);

    const result = await deleteAccount(handle.db, as(root.id), user.id);
    expect(result).toEqual({ email, keysRevoked: 2, teamsHandedOver: 0 });
    expect(await code(a.secret)).toBe("REVOKED");
    const [row] = await handle.db.select().from(users).where(eq(users.id, user.id));
    expect(row).toMatchObject({ name: "Deleted user", role: "member" });
    expect(row!.email).not.toContain("gone-");
    expect(row!.deletedAt).not.toBeNull();
    // The audit log: every earlier event still there, still naming the user's id, plus the deletion.
    const after = await handle.db.select().from(auditEvents).where(sql`${auditEvents.actorId} = ${user.id} or ${auditEvents.targetId} = ${user.id}`);
    expect(after.map((e) => e.id).sort()).toEqual([...before.map((e) => e.id), ...after.filter((e) => e.action === "user.deleted").map((e) => e.id)].sort());
    expect(after.find((e) => e.action === "user.deleted")).toMatchObject({ actorId: root.id, metadata: { email, name: "Leaving Soon", keysRevoked: 2 } });
    // The session check refuses it, a second delete finds nobody, and the address is free again.
    expect((await findUserById(handle.db, user.id))!.deletedAt).not.toBeNull();
    expect(await refusal(deleteAccount(handle.db, as(root.id), user.id))).toBe("user_not_found");
    expect(await refusal(reinstateAccount(handle.db, as(root.id), user.id))).toBe("user_not_found");
    await makeUser(handle.db, { email });
  });
});

describe(`the last active admin (${TEST_DRIVER})`, () => {
  it("two admins demoting or suspending each other at once leave exactly one admin", async () => {
    const activeAdmins = async () =>
      (await handle.db.select({ id: users.id }).from(users).where(and(eq(users.role, "admin"), isNull(users.suspendedAt), isNull(users.deletedAt)))).map((r) => r.id);
    for (const change of ["demote", "suspend"] as const) {
      const a = await makeUser(handle.db);
      const b = await makeUser(handle.db);
      const current = await activeAdmins();
      await changeUserRole(handle.db, as(current[0]!), a.id, "admin");
      await changeUserRole(handle.db, as(a.id), b.id, "admin");
      for (const other of current) await changeUserRole(handle.db, as(a.id), other, "member");
      expect((await activeAdmins()).sort()).toEqual([a.id, b.id].sort());

      const act = (actor: string, target: string) =>
        change === "demote" ? changeUserRole(handle.db, as(actor), target, "member") : suspendAccount(handle.db, as(actor), target);
      const results = await Promise.allSettled([act(a.id, b.id), act(b.id, a.id)]);
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
      const refused = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
      // The second one ran after the first, on the locked rows: its actor is no longer an admin.
      expect((refused.reason as AppError).code).toBe("not_found");
      const left = await activeAdmins();
      expect(left).toHaveLength(1);
      // The one left cannot demote themselves away either.
      expect(await refusal(changeUserRole(handle.db, as(left[0]!), left[0]!, "member"))).toBe("last_admin");
      if (change === "suspend") await reinstateAccount(handle.db, as(left[0]!), left[0] === a.id ? b.id : a.id);
    }
  });
});
