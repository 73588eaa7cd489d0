import { eq, sql } from "drizzle-orm";
import { generate } from "otplib";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { DbHandle } from "@/db/client";
import { listUsers } from "@/db/queries/admin-users";
import { listPasskeys } from "@/db/queries/passkeys";
import { hasSecondFactor } from "@/db/queries/second-factor";
import { findUserById } from "@/db/queries/users";
import { appSettings, auditEvents, passkeyChallenges, passkeys, recoveryCodes, secondFactorChallenges, totpFactors, users } from "@/db/schema";
import { signInWithPasskey } from "@/lib/auth/passkey";
import { AppError } from "@/lib/errors";
import { mustSetUpSecondFactor } from "@/lib/mfa/policy";
import { userHandleOf } from "@/lib/passkeys/rules";
import { hashPassword } from "@/lib/password";
import { resetSecretsCache } from "@/lib/secrets";
import { TEST_DRIVER, openTestDb } from "@/test/db";
import { CONTEXT, makeUser, refusal } from "@/test/fixtures";
import { SoftAuthenticator } from "@/test/webauthn";
import type { Actor } from "./actor";
import { beginPasskeyAuthentication, beginPasskeyRegistration, finishPasskeyRegistration, removeOwnPasskey } from "./passkeys";
import {
  adminResetSecondFactor,
  beginSecondFactorPasskey,
  confirmTotpSetup,
  finishSecondFactor,
  secondFactorPending,
  startSecondFactor,
  startTotpSetup,
  turnOffTotp,
} from "./second-factor";
import { changeMfaPolicy } from "./settings";

// A passkey as the second factor after a password (or SSO), on a real database (PGlite, `pg`, Neon)
// with a software authenticator holding a real key pair (test/webauthn.ts) and the real
// @simplewebauthn/server checks: the factor counts for the policy, the verify step takes only the
// challenge's own user's passkey, once, while the challenge lives, under the wrong-attempt limits
// codes share; the last factor the policy requires stays; an admin's reset removes passkeys too.
// The browser half: e2e/passkey-second-factor.spec.ts. Checklist, S-07.

let handle: DbHandle;
const PASSWORD = "the current passphrase";
const RP = { rpID: "keys.example.test", origin: "https://keys.example.test" };
const env = { ...process.env };
beforeAll(async () => {
  process.env.ENCRYPTION_KEY = "pk2fa-test-encryption-key-0123456789abcdefghi";
  resetSecretsCache();
  handle = await openTestDb();
});
afterAll(async () => {
  process.env = env;
  resetSecretsCache();
  await handle?.close();
});
beforeEach(async () => {
  await handle.db.update(appSettings).set({ mfaPolicy: "optional" }).where(eq(appSettings.id, 1));
});

const actorOf = (userId: string, clockOffsetMs = 0): Actor => ({ userId, context: CONTEXT, clockOffsetMs, authenticatedAt: new Date(Date.now() + clockOffsetMs) });
const code = (secret: string, offsetMs = 0) => generate({ secret, epoch: Math.floor((Date.now() + offsetMs) / 1000) });

async function account(options: { admin?: boolean } = {}) {
  const email = `pk2fa-${crypto.randomUUID()}@example.test`;
  const user = await makeUser(handle.db, { email, adminEmails: options.admin ? [email] : [] });
  await handle.db.update(users).set({ passwordHash: await hashPassword(PASSWORD) }).where(eq(users.id, user.id));
  return user;
}

async function addPasskey(userId: string, name = "Laptop") {
  const authenticator = new SoftAuthenticator(userHandleOf(userId));
  const { token, options } = await beginPasskeyRegistration(handle.db, actorOf(userId), RP, { currentPassword: PASSWORD });
  await finishPasskeyRegistration(handle.db, actorOf(userId), RP, { challengeToken: token, name, currentPassword: PASSWORD, response: authenticator.register(options.challenge, RP) });
  return authenticator;
}

async function withPasskey(options: { admin?: boolean } = {}) {
  const user = await account(options);
  return { user, authenticator: await addPasskey(user.id) };
}

async function addTotp(userId: string) {
  const setup = await startTotpSetup(handle.db, actorOf(userId));
  await confirmTotpSetup(handle.db, actorOf(userId), { currentPassword: PASSWORD, code: await code(setup.secret) });
  return setup.secret;
}

/** The verify page's "Use your passkey": the passkey challenge for the sign-in challenge's user. */
async function passkeyStep(signInToken: string, clockOffsetMs = 0) {
  const { token, options } = await beginSecondFactorPasskey(handle.db, RP, { token: signInToken, clockOffsetMs, ip: CONTEXT.ip });
  return { token, challenge: options.challenge, allow: (options.allowCredentials ?? []).map((c) => c.id) };
}

const answer = (signInToken: string, response: unknown, challengeToken: string | undefined, clockOffsetMs = 0) =>
  finishSecondFactor(handle.db, { token: signInToken, passkey: { response, challengeToken, rp: RP } }, CONTEXT, clockOffsetMs);

const auditOf = async (userId: string) => handle.db.select().from(auditEvents).where(eq(auditEvents.targetId, userId));

describe(`a passkey is a second factor (${TEST_DRIVER})`, () => {
  it("counts for hasSecondFactor, the session's user, the Users list and the policy, and stops counting once removed", async () => {
    const admin = await withPasskey({ admin: true });
    expect(await hasSecondFactor(handle.db, admin.user.id)).toBe(true);
    const session = (await findUserById(handle.db, admin.user.id))!;
    expect(session.hasSecondFactor).toBe(true);
    const listed = await listUsers(handle.db, { page: 1, q: admin.user.email });
    expect(listed.rows.map((u) => [u.email, u.hasSecondFactor])).toEqual([[admin.user.email, true]]);
    // An admin whose only factor is a passkey may require one of everyone; a covered member with a passkey is not sent to set-up.
    await changeMfaPolicy(handle.db, actorOf(admin.user.id), "everyone");
    const member = await withPasskey();
    const seen = (await findUserById(handle.db, member.user.id))!;
    expect(seen.mfaPolicy).toBe("everyone");
    expect(mustSetUpSecondFactor(seen.mfaPolicy, seen)).toBe(false);
    await handle.db.update(appSettings).set({ mfaPolicy: "optional" }).where(eq(appSettings.id, 1));
    const [pk] = await listPasskeys(handle.db, member.user.id);
    await removeOwnPasskey(handle.db, actorOf(member.user.id), { passkeyId: pk!.id, currentPassword: PASSWORD });
    expect(await hasSecondFactor(handle.db, member.user.id)).toBe(false);
    expect((await findUserById(handle.db, member.user.id))!.hasSecondFactor).toBe(false);
    const bare = await account({ admin: true });
    expect(await refusal(changeMfaPolicy(handle.db, actorOf(bare.id), "admins"))).toBe("own_second_factor_missing");
  });

  it("a passkey sign-in starts no second step, even for an account with an app too (user verification makes it two factors)", async () => {
    const { user, authenticator } = await withPasskey();
    await addTotp(user.id);
    const { token, options } = await beginPasskeyAuthentication(handle.db, RP, { clockOffsetMs: 0, ip: CONTEXT.ip });
    const result = await signInWithPasskey(handle.db, { response: authenticator.assert(options.challenge, RP), challengeToken: token, rp: RP, clockOffsetMs: 0 }, CONTEXT);
    expect(result.ok && result.user.id).toBe(user.id);
    expect(await handle.db.select().from(secondFactorChallenges).where(eq(secondFactorChallenges.userId, user.id))).toEqual([]);
  });
});

describe(`the verify step with a passkey (${TEST_DRIVER})`, () => {
  it("finishes a password's challenge with the user's own passkey, once; says which factors the challenge offers", async () => {
    const { user, authenticator } = await withPasskey();
    const signIn = await startSecondFactor(handle.db, user.id, { clockOffsetMs: 0 });
    expect(await secondFactorPending(handle.db, signIn, 0)).toEqual({ code: false, passkey: true });
    expect(await secondFactorPending(handle.db, undefined, 0)).toBeNull();
    const step = await passkeyStep(signIn);
    // Only this user's passkeys may answer, and the browser is told which.
    expect(step.allow).toEqual([authenticator.credentialId.toString("base64url")]);
    const [stored] = await handle.db.select().from(passkeyChallenges).where(eq(passkeyChallenges.userId, user.id));
    expect(JSON.stringify(stored)).not.toContain(step.token);
    const response = authenticator.assert(step.challenge, RP);
    const done = await answer(signIn, response, step.token);
    expect(done.ok && done.user.id).toBe(user.id);
    const events = await auditOf(user.id);
    expect(events.find((e) => e.action === "user.second_factor_verified")?.metadata).toEqual({ method: "passkey", passkey: "Laptop" });
    expect(events.some((e) => e.action === "user.signed_in")).toBe(true);
    // The challenge is spent: the same answer again finishes nothing.
    expect(await answer(signIn, response, step.token)).toEqual({ ok: false, reason: "invalid" });
    expect(await secondFactorPending(handle.db, signIn, 0)).toBeNull();
  });

  it("refuses another account's passkey, on the user's passkey challenge or on one of its own, and counts each as a wrong answer", async () => {
    const a = await withPasskey();
    const b = await withPasskey();
    const signIn = await startSecondFactor(handle.db, a.user.id, { clockOffsetMs: 0 });
    const forA = await passkeyStep(signIn);
    expect(await answer(signIn, b.authenticator.assert(forA.challenge, RP), forA.token)).toEqual({ ok: false, reason: "wrong_code" });
    // B's own usernameless challenge (as the sign-in page would issue), answered with B's passkey, against A's sign-in.
    const own = await beginPasskeyAuthentication(handle.db, RP, { clockOffsetMs: 0, ip: CONTEXT.ip });
    expect(await answer(signIn, b.authenticator.assert(own.options.challenge, RP), own.token)).toEqual({ ok: false, reason: "wrong_code" });
    const [row] = await handle.db.select({ failures: secondFactorChallenges.failures }).from(secondFactorChallenges).where(eq(secondFactorChallenges.userId, a.user.id));
    expect(row?.failures).toBe(2);
    const failed = (await auditOf(a.user.id)).filter((e) => e.action === "user.second_factor_failed");
    expect(failed.map((e) => e.metadata)).toEqual([
      { during: "sign_in", method: "passkey" },
      { during: "sign_in", method: "passkey" },
    ]);
    // A's own passkey still finishes it.
    const again = await passkeyStep(signIn);
    expect((await answer(signIn, a.authenticator.assert(again.challenge, RP), again.token)).ok).toBe(true);
  });

  it("refuses a replayed assertion, a missing cookie, a dead challenge, and an account without passkeys", async () => {
    const { user, authenticator } = await withPasskey();
    const first = await startSecondFactor(handle.db, user.id, { clockOffsetMs: 0 });
    const step = await passkeyStep(first);
    const response = authenticator.assert(step.challenge, RP);
    expect((await answer(first, response, step.token)).ok).toBe(true);
    // The same answer in a new sign-in: with the spent passkey challenge, or a fresh one.
    const second = await startSecondFactor(handle.db, user.id, { clockOffsetMs: 0 });
    expect(await answer(second, response, step.token)).toEqual({ ok: false, reason: "wrong_code" });
    const fresh = await passkeyStep(second);
    expect(await answer(second, response, fresh.token)).toEqual({ ok: false, reason: "wrong_code" });
    // No passkey cookie at all.
    const next = await passkeyStep(second);
    expect(await answer(second, authenticator.assert(next.challenge, RP), undefined)).toEqual({ ok: false, reason: "wrong_code" });
    // After five minutes the sign-in challenge is dead: no passkey challenge for it, no answer taken.
    const late = await startSecondFactor(handle.db, user.id, { clockOffsetMs: 0 });
    const lateStep = await passkeyStep(late);
    expect(await answer(late, authenticator.assert(lateStep.challenge, RP), lateStep.token, 5 * 60_000 + 1000)).toEqual({ ok: false, reason: "invalid" });
    expect(await refusal(passkeyStep(late))).toBe("second_factor_challenge_invalid");
    expect(await refusal(beginSecondFactorPasskey(handle.db, RP, { token: undefined, clockOffsetMs: 0, ip: null }))).toBe("second_factor_challenge_invalid");
    expect(await refusal(beginSecondFactorPasskey(handle.db, null, { token: late, clockOffsetMs: 0, ip: null }))).toBe("passkeys_unavailable");
    // An account with an app and no passkey is offered the code only, and gets no passkey challenge.
    const appOnly = await account();
    await addTotp(appOnly.id);
    const appSignIn = await startSecondFactor(handle.db, appOnly.id, { clockOffsetMs: 0 });
    expect(await secondFactorPending(handle.db, appSignIn, 0)).toEqual({ code: true, passkey: false });
    expect(await refusal(passkeyStep(appSignIn))).toBe("second_factor_challenge_invalid");
  });

  it("shares the wrong-attempt limits with codes: five wrong answers of either kind end the sign-in, ten lock the account's window", async () => {
    const user = await account();
    const secret = await addTotp(user.id);
    const authenticator = await addPasskey(user.id);
    const other = await withPasskey();
    const signIn = await startSecondFactor(handle.db, user.id, { clockOffsetMs: 0 });
    expect(await secondFactorPending(handle.db, signIn, 0)).toEqual({ code: true, passkey: true });
    for (let i = 0; i < 4; i++) expect(await finishSecondFactor(handle.db, { token: signIn, code: "000000" }, CONTEXT)).toEqual({ ok: false, reason: "wrong_code" });
    const step = await passkeyStep(signIn);
    expect(await answer(signIn, other.authenticator.assert(step.challenge, RP), step.token)).toEqual({ ok: false, reason: "ended" });
    // Five more wrong (ten in the window): even the right passkey is refused, and nothing is verified.
    const second = await startSecondFactor(handle.db, user.id, { clockOffsetMs: 0 });
    for (let i = 0; i < 4; i++) await finishSecondFactor(handle.db, { token: second, code: "000000" }, CONTEXT);
    const third = await startSecondFactor(handle.db, user.id, { clockOffsetMs: 0 });
    await finishSecondFactor(handle.db, { token: third, code: "000000" }, CONTEXT);
    const locked = await passkeyStep(third);
    const counterBefore = authenticator.counter;
    expect(await answer(third, authenticator.assert(locked.challenge, RP), locked.token)).toEqual({ ok: false, reason: "rate_limited" });
    const [row] = await handle.db.select({ counter: passkeys.counter }).from(passkeys).where(eq(passkeys.userId, user.id));
    expect(row!.counter).toBeLessThanOrEqual(counterBefore);
    expect(await finishSecondFactor(handle.db, { token: third, code: await code(secret, 30_000) }, CONTEXT, 30_000)).toEqual({ ok: false, reason: "rate_limited" });
  });
});

describe(`giving up a factor under the policy, and an admin's reset (${TEST_DRIVER})`, () => {
  it("refuses removing the last passkey or turning off the last app while the policy requires a factor; allows it while another remains", async () => {
    const { user } = await withPasskey({ admin: true });
    await changeMfaPolicy(handle.db, actorOf(user.id), "admins");
    const [only] = await listPasskeys(handle.db, user.id);
    const versionBefore = (await findUserById(handle.db, user.id))!.sessionVersion;
    const error = await removeOwnPasskey(handle.db, actorOf(user.id), { passkeyId: only!.id, currentPassword: PASSWORD }).catch((e: unknown) => e);
    expect(error instanceof AppError && error.code).toBe("second_factor_policy");
    expect((error as AppError).message).toMatch(/Add another passkey or set up an authenticator app first/);
    // Nothing changed, and no password guess was spent on a refusal the password could not change.
    expect(await listPasskeys(handle.db, user.id)).toHaveLength(1);
    expect((await findUserById(handle.db, user.id))!.sessionVersion).toBe(versionBefore);
    expect((await auditOf(user.id)).some((e) => e.action === "user.password_change_failed")).toBe(false);

    // With a second passkey, the first may go; then the remaining one may not.
    await addPasskey(user.id, "Phone");
    await removeOwnPasskey(handle.db, actorOf(user.id), { passkeyId: only!.id, currentPassword: PASSWORD });
    const [phone] = await listPasskeys(handle.db, user.id);
    expect(phone!.name).toBe("Phone");
    expect(await refusal(removeOwnPasskey(handle.db, actorOf(user.id), { passkeyId: phone!.id, currentPassword: PASSWORD }))).toBe("second_factor_policy");

    // With an app too: the passkey may go, and then the app (now the last factor) may not be turned off.
    const secret = await addTotp(user.id);
    await removeOwnPasskey(handle.db, actorOf(user.id), { passkeyId: phone!.id, currentPassword: PASSWORD });
    const off = await turnOffTotp(handle.db, actorOf(user.id, 30_000), { currentPassword: PASSWORD, code: await code(secret, 30_000) }).catch((e: unknown) => e);
    expect(off instanceof AppError && off.code).toBe("second_factor_policy");
    expect((off as AppError).message).toMatch(/Add a passkey first/);
    // With a passkey again, the app may be turned off: the passkey remains.
    await addPasskey(user.id, "Key");
    await turnOffTotp(handle.db, actorOf(user.id, 60_000), { currentPassword: PASSWORD, code: await code(secret, 60_000) });
    expect(await hasSecondFactor(handle.db, user.id)).toBe(true);
    // A member, whom "admins" does not cover, removes their last passkey freely.
    const member = await withPasskey();
    const [theirs] = await listPasskeys(handle.db, member.user.id);
    await removeOwnPasskey(handle.db, actorOf(member.user.id), { passkeyId: theirs!.id, currentPassword: PASSWORD });
  });

  it("an admin's reset removes the app, its recovery codes and every passkey; sessions and pending sign-ins end; audited", async () => {
    const { user, authenticator } = await withPasskey();
    await addTotp(user.id);
    await addPasskey(user.id, "Phone");
    const admin = await withPasskey({ admin: true });
    const pending = await startSecondFactor(handle.db, user.id, { clockOffsetMs: 0 });
    const step = await passkeyStep(pending);
    const before = (await findUserById(handle.db, user.id))!;
    expect(await adminResetSecondFactor(handle.db, actorOf(admin.user.id), user.id)).toEqual({ email: user.email, totp: true, passkeys: 2 });
    const after = (await findUserById(handle.db, user.id))!;
    expect(after.hasSecondFactor).toBe(false);
    expect(after.sessionVersion).toBe(before.sessionVersion + 1);
    for (const table of [passkeys, totpFactors, recoveryCodes, secondFactorChallenges, passkeyChallenges]) {
      expect(await handle.db.select({ n: sql<number>`count(*)`.mapWith(Number) }).from(table).where(eq(table.userId, user.id))).toEqual([{ n: 0 }]);
    }
    // The pending sign-in cannot be finished with the (now removed) passkey.
    expect(await answer(pending, authenticator.assert(step.challenge, RP), step.token)).toEqual({ ok: false, reason: "invalid" });
    const [event] = (await auditOf(user.id)).filter((e) => e.action === "user.second_factor_reset");
    expect(event).toMatchObject({ actorId: admin.user.id, metadata: { email: user.email, authenticatorApp: true, passkeys: ["Laptop", "Phone"] } });
    expect(await refusal(adminResetSecondFactor(handle.db, actorOf(admin.user.id), user.id))).toBe("second_factor_not_enabled");
    // A passkey-only account is reset the same way.
    const keyOnly = await withPasskey();
    expect(await adminResetSecondFactor(handle.db, actorOf(admin.user.id), keyOnly.user.id)).toEqual({ email: keyOnly.user.email, totp: false, passkeys: 1 });
  });
});
