import { randomBytes } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { generate } from "otplib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbHandle } from "@/db/client";
import { createApiKey } from "@/db/queries/api-keys";
import { membershipOf } from "@/db/queries/teams";
import { PASSWORD_CHANGE_FAILURES } from "@/db/queries/users";
import { SECOND_FACTOR_FAILURES, SECOND_FACTOR_WINDOW_MS } from "@/db/queries/second-factor";
import { apiKeys, auditEvents, totpFactors, users } from "@/db/schema";
import { STEP_UP_MINUTES } from "@/lib/accounts/step-up";
import { readStepUpProof } from "@/lib/auth/step-up-proof";
import { userHandleOf } from "@/lib/passkeys/rules";
import { hashPassword } from "@/lib/password";
import { resetSecretsCache } from "@/lib/secrets";
import { scopesFor } from "@/lib/scopes";
import { TEST_DRIVER, openTestDb } from "@/test/db";
import { CONTEXT, PEPPER, makeUser, refusal } from "@/test/fixtures";
import { SoftAuthenticator } from "@/test/webauthn";
import type { Actor } from "./actor";
import { changeUserRole, confirmIdentity, stepUpMethods } from "./accounts";
import { revokeKeysAsAdmin, revokeMatchingAsAdmin } from "./admin-keys";
import { createKey, rotateKey, updateKey } from "./keys";
import { beginPasskeyRegistration, beginStepUpPasskey, finishPasskeyRegistration } from "./passkeys";
import { confirmTotpSetup, startTotpSetup } from "./second-factor";
import { changeSignUpSettings } from "./settings";
import { addMember, createTeam, deleteTeam, transferOwnership } from "./teams";

// Step-up on a real database: every sensitive command refuses a session whose last authentication
// is older than STEP_UP_MINUTES, and accepts a fresh one; a key is never asked; confirming the
// password, an authenticator code or a passkey yields a proof only when it checks out, under the
// shared limits. The browser half (the dialog, the session update) is e2e/step-up.spec.ts.

let handle: DbHandle;
let admin: { id: string };
beforeAll(async () => {
  process.env.AUTH_SECRET ??= randomBytes(32).toString("base64url");
  process.env.KEY_PEPPER ??= randomBytes(32).toString("base64url");
  process.env.ENCRYPTION_KEY ??= randomBytes(32).toString("base64url");
  resetSecretsCache();
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

describe(`handing over or deleting a team needs a recent authentication (${TEST_DRIVER})`, () => {
  it("a stale owner is refused and nothing changes; a fresh one goes through", async () => {
    const owner = await makeUser(handle.db);
    const other = await makeUser(handle.db);
    const slug = `step-up-${randomBytes(4).toString("hex")}`;
    await createTeam(handle.db, fresh(owner.id), { name: "Step-up team", slug });
    await addMember(handle.db, fresh(owner.id), slug, { email: other.email, role: "admin" });
    expect(await refusal(transferOwnership(handle.db, stale(owner.id), slug, { userId: other.id, stepDown: true }))).toBe("reauthentication_required");
    expect(await refusal(deleteTeam(handle.db, stale(owner.id), slug, { confirmSlug: slug }))).toBe("reauthentication_required");
    expect((await membershipOf(handle.db, slug, owner.id))?.role).toBe("owner");
    expect((await membershipOf(handle.db, slug, other.id))?.role).toBe("admin");
    await transferOwnership(handle.db, fresh(owner.id), slug, { userId: other.id, stepDown: true });
    expect((await membershipOf(handle.db, slug, other.id))?.role).toBe("owner");
    await deleteTeam(handle.db, fresh(other.id), slug, { confirmSlug: slug });
    expect(await membershipOf(handle.db, slug, other.id)).toBeNull();
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
    const { proof, at } = await confirmIdentity(handle.db, stale(user.id), { method: "password", password: "the right password 1" }, 3);
    const now = Math.floor(Date.now() / 1000);
    expect(readStepUpProof(proof, user.id, 3, now)).toBe(at.getTime() / 1000);
    // Bound to the user and the session version; a tampered or old proof is worthless.
    expect(readStepUpProof(proof, user.id, 4, now)).toBeNull();
    expect(readStepUpProof(proof, admin.id, 3, now)).toBeNull();
    expect(readStepUpProof(proof.replace(/.$/, (c) => (c === "A" ? "B" : "A")), user.id, 3, now)).toBeNull();
    expect(readStepUpProof(proof, user.id, 3, now + 61)).toBeNull();
    expect(readStepUpProof({ stepUp: proof }, user.id, 3, now)).toBeNull();

    expect(await refusal(confirmIdentity(handle.db, stale(user.id), { method: "password", password: "not it" }, 3))).toBe("wrong_password");
    const failed = await handle.db.select().from(auditEvents).where(and(eq(auditEvents.targetId, user.id), eq(auditEvents.action, "user.reauthentication_failed")));
    expect(failed).toHaveLength(1);
    for (let i = 1; i < PASSWORD_CHANGE_FAILURES; i++) await refusal(confirmIdentity(handle.db, stale(user.id), { method: "password", password: "not it" }, 3));
    // Limited: even the right password is not checked until the window ends.
    expect(await refusal(confirmIdentity(handle.db, stale(user.id), { method: "password", password: "the right password 1" }, 3))).toBe("rate_limited");
    const ok = await handle.db.select().from(auditEvents).where(and(eq(auditEvents.targetId, user.id), eq(auditEvents.action, "user.reauthenticated")));
    expect(ok).toHaveLength(1);
  });
});

const PASSWORD = "the right password 1";
const RP = { rpID: "keys.example.test", origin: "https://keys.example.test" };
const STEP = 30_000;
const code = (secret: string, offsetMs: number) => generate({ secret, epoch: Math.floor((Date.now() + offsetMs) / 1000) });
/** A stale session at the test clock's `offsetMs` (each TOTP step needs its own later time). */
const staleAt = (userId: string, offsetMs: number): Actor => ({ ...stale(userId), clockOffsetMs: offsetMs, authenticatedAt: new Date(Date.now() + offsetMs - (STEP_UP_MINUTES + 1) * 60_000) });

async function account() {
  const user = await makeUser(handle.db);
  await handle.db.update(users).set({ passwordHash: await hashPassword(PASSWORD) }).where(eq(users.id, user.id));
  return user;
}

/** An account with an authenticator app on, set up at the test clock's 0; returns the seed. */
async function withTotp() {
  const user = await account();
  const setup = await startTotpSetup(handle.db, fresh(user.id));
  const setupCode = await code(setup.secret, 0);
  await confirmTotpSetup(handle.db, fresh(user.id), { currentPassword: PASSWORD, code: setupCode });
  return { user, secret: setup.secret, setupCode };
}

/** An account with one passkey (a software authenticator with a real key pair: test/webauthn.ts). */
async function withPasskey() {
  const user = await account();
  const authenticator = new SoftAuthenticator(userHandleOf(user.id));
  const { token, options } = await beginPasskeyRegistration(handle.db, fresh(user.id), RP, { currentPassword: PASSWORD });
  await finishPasskeyRegistration(handle.db, fresh(user.id), RP, { challengeToken: token, name: "Laptop", currentPassword: PASSWORD, response: authenticator.register(options.challenge, RP) });
  return { user, authenticator };
}

const auditOf = async (userId: string, action: "user.reauthenticated" | "user.reauthentication_failed") =>
  (await handle.db.select({ metadata: auditEvents.metadata }).from(auditEvents).where(and(eq(auditEvents.targetId, userId), eq(auditEvents.action, action)))).map((r) => r.metadata);

describe(`confirming who you are with an authenticator code (${TEST_DRIVER})`, () => {
  it("a right code gives a proof; a wrong one is refused; the same code twice is refused; audited with the method", async () => {
    const { user, secret, setupCode } = await withTotp();
    expect(await stepUpMethods(handle.db, fresh(user.id))).toEqual({ passkey: false, totp: true });
    // The code set-up accepted is spent: it cannot confirm.
    expect(await refusal(confirmIdentity(handle.db, staleAt(user.id, 0), { method: "totp", code: setupCode }, 1))).toBe("wrong_code");
    expect(await refusal(confirmIdentity(handle.db, staleAt(user.id, STEP), { method: "totp", code: "000000" === (await code(secret, STEP)) ? "111111" : "000000" }, 1))).toBe("wrong_code");
    const right = await code(secret, 2 * STEP);
    const { proof, at } = await confirmIdentity(handle.db, staleAt(user.id, 2 * STEP), { method: "totp", code: right }, 1);
    expect(readStepUpProof(proof, user.id, 1, at.getTime() / 1000)).toBe(at.getTime() / 1000);
    // One-time: the same code again, still inside its window, is refused.
    expect(await refusal(confirmIdentity(handle.db, staleAt(user.id, 2 * STEP + 1000), { method: "totp", code: right }, 1))).toBe("wrong_code");
    expect(await auditOf(user.id, "user.reauthenticated")).toEqual([{ method: "totp" }]);
    expect(await auditOf(user.id, "user.reauthentication_failed")).toEqual([{ method: "totp" }, { method: "totp" }, { method: "totp" }]);
  });

  it("wrong codes count against the account's second-factor limit: once reached, even a right code is refused", async () => {
    const { user, secret } = await withTotp();
    const lastStep = async () => (await handle.db.select({ lastStep: totpFactors.lastStep }).from(totpFactors).where(eq(totpFactors.userId, user.id)))[0]!.lastStep;
    const before = await lastStep();
    // Wrong codes are counted per 15-minute window: start a minute into the next one (the test
    // clock moved on), so the failures and the right code fall in the same window whenever this runs.
    const B = SECOND_FACTOR_WINDOW_MS - (Date.now() % SECOND_FACTOR_WINDOW_MS) + 60_000;
    const right = await code(secret, B + STEP);
    const wrong = (i: number) => String((Number(right) + 1 + i) % 1_000_000).padStart(6, "0");
    for (let i = 0; i < SECOND_FACTOR_FAILURES; i++) expect(await refusal(confirmIdentity(handle.db, staleAt(user.id, B), { method: "totp", code: wrong(i) }, 1))).toBe("wrong_code");
    expect(await refusal(confirmIdentity(handle.db, staleAt(user.id, B + STEP), { method: "totp", code: right }, 1))).toBe("second_factor_locked");
    // Nothing was accepted: the last step is still set-up's.
    expect(await lastStep()).toBe(before);
  });

  it("an account without an authenticator app cannot confirm with a code", async () => {
    const user = await account();
    expect(await stepUpMethods(handle.db, fresh(user.id))).toEqual({ passkey: false, totp: false });
    expect(await refusal(confirmIdentity(handle.db, stale(user.id), { method: "totp", code: "123456" }, 1))).toBe("second_factor_not_enabled");
  });
});

describe(`confirming who you are with a passkey (${TEST_DRIVER})`, () => {
  it("the account's own passkey gives a proof, audited with its name; the same answer again is refused", async () => {
    const { user, authenticator } = await withPasskey();
    expect(await stepUpMethods(handle.db, fresh(user.id))).toEqual({ passkey: true, totp: false });
    const { token, options } = await beginStepUpPasskey(handle.db, stale(user.id), RP);
    expect(options.allowCredentials?.length).toBe(1);
    const response = authenticator.assert(options.challenge, RP);
    const { proof, at } = await confirmIdentity(handle.db, stale(user.id), { method: "passkey", response, challengeToken: token, rp: RP }, 2);
    expect(readStepUpProof(proof, user.id, 2, at.getTime() / 1000)).toBe(at.getTime() / 1000);
    // Replayed, with the spent challenge or with a fresh one: refused.
    expect(await refusal(confirmIdentity(handle.db, stale(user.id), { method: "passkey", response, challengeToken: token, rp: RP }, 2))).toBe("passkey_not_accepted");
    const again = await beginStepUpPasskey(handle.db, stale(user.id), RP);
    expect(await refusal(confirmIdentity(handle.db, stale(user.id), { method: "passkey", response, challengeToken: again.token, rp: RP }, 2))).toBe("passkey_not_accepted");
    expect(await auditOf(user.id, "user.reauthenticated")).toEqual([{ method: "passkey", passkey: "Laptop" }]);
    expect(await auditOf(user.id, "user.reauthentication_failed")).toEqual([
      { method: "passkey", reason: "invalid" },
      // On a fresh challenge the old answer's counter has not grown: a cloned authenticator, as far as anyone can tell.
      { method: "passkey", reason: "counter_regressed" },
    ]);
  });

  it("another user's passkey, or a challenge made for another user, is refused", async () => {
    const a = await withPasskey();
    const b = await withPasskey();
    // B's passkey answering A's challenge.
    const forA = await beginStepUpPasskey(handle.db, stale(a.user.id), RP);
    expect(await refusal(confirmIdentity(handle.db, stale(a.user.id), { method: "passkey", response: b.authenticator.assert(forA.options.challenge, RP), challengeToken: forA.token, rp: RP }, 1))).toBe(
      "passkey_not_accepted",
    );
    // B confirming their own session with B's passkey on a challenge issued to A.
    const forA2 = await beginStepUpPasskey(handle.db, stale(a.user.id), RP);
    expect(await refusal(confirmIdentity(handle.db, stale(b.user.id), { method: "passkey", response: b.authenticator.assert(forA2.options.challenge, RP), challengeToken: forA2.token, rp: RP }, 1))).toBe(
      "passkey_not_accepted",
    );
    // No cookie, or passkeys off: refused before anything is checked.
    const c = await beginStepUpPasskey(handle.db, stale(a.user.id), RP);
    expect(await refusal(confirmIdentity(handle.db, stale(a.user.id), { method: "passkey", response: a.authenticator.assert(c.options.challenge, RP), challengeToken: undefined, rp: RP }, 1))).toBe("passkey_not_accepted");
    expect(await refusal(confirmIdentity(handle.db, stale(a.user.id), { method: "passkey", response: {}, challengeToken: c.token, rp: null }, 1))).toBe("passkeys_unavailable");
    expect(await auditOf(a.user.id, "user.reauthenticated")).toEqual([]);
    // And A's own passkey still works on a fresh challenge.
    const d = await beginStepUpPasskey(handle.db, stale(a.user.id), RP);
    expect((await confirmIdentity(handle.db, stale(a.user.id), { method: "passkey", response: a.authenticator.assert(d.options.challenge, RP, 2), challengeToken: d.token, rp: RP }, 1)).proof).toBeTruthy();
  });

  it("an account without a passkey is not offered a challenge; a key can never confirm", async () => {
    const user = await account();
    expect(await refusal(beginStepUpPasskey(handle.db, stale(user.id), RP))).toBe("passkey_not_found");
    const viaKey: Actor = { ...stale(user.id), key: { id: "00000000-0000-4000-8000-000000000000", scopes: scopesFor("full"), expiresAt: null, viaPreviousSecret: false } };
    expect(await refusal(beginStepUpPasskey(handle.db, viaKey, RP))).toBe("not_found");
    expect(await refusal(confirmIdentity(handle.db, viaKey, { method: "password", password: PASSWORD }, 1))).toBe("not_found");
  });
});
