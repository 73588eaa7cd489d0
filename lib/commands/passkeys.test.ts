import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbHandle } from "@/db/client";
import { listPasskeys } from "@/db/queries/passkeys";
import { auditEvents, passkeyChallenges, passkeys, users } from "@/db/schema";
import { signInWithPasskey } from "@/lib/auth/passkey";
import { CHALLENGE_LIFETIME_MS, userHandleOf } from "@/lib/passkeys/rules";
import { hashPassword } from "@/lib/password";
import { TEST_DRIVER, openTestDb } from "@/test/db";
import { CONTEXT, makeUser, refusal } from "@/test/fixtures";
import { SoftAuthenticator } from "@/test/webauthn";
import type { Actor } from "./actor";
import { CHALLENGES_PER_ADDRESS, beginPasskeyAuthentication, beginPasskeyRegistration, finishPasskeyRegistration, removeOwnPasskey, renameOwnPasskey, verifyPasskeyAssertion } from "./passkeys";

// Passkeys against the real @simplewebauthn/server verification and a software authenticator with
// a real key pair (test/webauthn.ts): challenges once and in time, origin and RP ID, counters,
// owners. The browser half (Chromium's virtual authenticator) is e2e/passkeys.spec.ts.

let handle: DbHandle;
const PASSWORD = "the current passphrase";
const RP = { rpID: "keys.example.test", origin: "https://keys.example.test" };
beforeAll(async () => {
  handle = await openTestDb();
});
afterAll(async () => {
  await handle?.close();
});

async function account() {
  const user = await makeUser(handle.db);
  await handle.db.update(users).set({ passwordHash: await hashPassword(PASSWORD) }).where(eq(users.id, user.id));
  const actor: Actor = { userId: user.id, context: CONTEXT, clockOffsetMs: 0 };
  return { user, actor };
}
const versionOf = async (id: string) => (await handle.db.select({ v: users.sessionVersion }).from(users).where(eq(users.id, id)))[0]!.v;

/** A user with one registered passkey, and the authenticator that holds it. */
async function withPasskey(options: { backedUp?: boolean } = {}) {
  const { user, actor } = await account();
  const authenticator = new SoftAuthenticator(userHandleOf(user.id), options);
  const { token, options: creation } = await beginPasskeyRegistration(handle.db, actor, RP, { currentPassword: PASSWORD });
  await finishPasskeyRegistration(handle.db, actor, RP, { challengeToken: token, name: "Laptop", currentPassword: PASSWORD, response: authenticator.register(creation.challenge, RP) });
  return { user, actor, authenticator };
}

async function signInChallenge(userId?: string, clockOffsetMs = 0) {
  const { token, options } = await beginPasskeyAuthentication(handle.db, RP, { userId, clockOffsetMs, ip: CONTEXT.ip });
  return { token, challenge: options.challenge, allow: options.allowCredentials ?? [] };
}

describe(`adding, renaming and removing passkeys (${TEST_DRIVER})`, () => {
  it("adds a passkey with the current password: stored with its public key, counter and flags; other sessions end; audited", async () => {
    const { user, actor } = await account();
    expect(await refusal(beginPasskeyRegistration(handle.db, actor, RP, { currentPassword: "not it" }))).toBe("wrong_password");
    const before = await versionOf(user.id);
    const authenticator = new SoftAuthenticator(userHandleOf(user.id), { backedUp: true });
    const { token, options } = await beginPasskeyRegistration(handle.db, actor, RP, { currentPassword: PASSWORD });
    expect(token).toMatch(/^kspc_[A-Za-z0-9_-]{43}$/);
    expect(options.rp.id).toBe(RP.rpID);
    expect(options.authenticatorSelection).toMatchObject({ residentKey: "required", userVerification: "required" });
    // Only the token's digest is stored with the challenge.
    const stored = await handle.db.select().from(passkeyChallenges).where(eq(passkeyChallenges.userId, user.id));
    expect(stored).toHaveLength(1);
    expect(JSON.stringify(stored)).not.toContain(token);
    await finishPasskeyRegistration(handle.db, actor, RP, { challengeToken: token, name: "Work laptop", currentPassword: PASSWORD, response: authenticator.register(options.challenge, RP) });
    const [row] = await handle.db.select().from(passkeys).where(eq(passkeys.userId, user.id));
    expect(row).toMatchObject({ name: "Work laptop", credentialId: authenticator.credentialId.toString("base64url"), counter: 0, backedUp: true, deviceType: "multiDevice", transports: ["internal"] });
    expect(await versionOf(user.id)).toBe(before + 1);
    const audit = await handle.db.select().from(auditEvents).where(eq(auditEvents.targetId, user.id));
    expect(audit.map((a) => a.action)).toContain("user.passkey_added");
    // The challenge answered once: the same answer again is refused.
    expect(
      await refusal(finishPasskeyRegistration(handle.db, actor, RP, { challengeToken: token, name: "Again", currentPassword: PASSWORD, response: authenticator.register(options.challenge, RP) })),
    ).toBe("passkey_challenge_invalid");
  });

  it("refuses a registration for another origin, another user's challenge, or after the session changed", async () => {
    const { user, actor } = await account();
    const other = await account();
    const authenticator = new SoftAuthenticator(userHandleOf(user.id));
    let begun = await beginPasskeyRegistration(handle.db, actor, RP, { currentPassword: PASSWORD });
    const evil = { origin: "https://evil.example", rpID: RP.rpID };
    expect(await refusal(finishPasskeyRegistration(handle.db, actor, RP, { challengeToken: begun.token, name: "x", currentPassword: PASSWORD, response: authenticator.register(begun.options.challenge, evil) }))).toBe(
      "passkey_not_accepted",
    );
    begun = await beginPasskeyRegistration(handle.db, actor, RP, { currentPassword: PASSWORD });
    expect(
      await refusal(finishPasskeyRegistration(handle.db, other.actor, RP, { challengeToken: begun.token, name: "x", currentPassword: PASSWORD, response: authenticator.register(begun.options.challenge, RP) })),
    ).toBe("passkey_challenge_invalid");
    begun = await beginPasskeyRegistration(handle.db, actor, RP, { currentPassword: PASSWORD });
    await handle.db.update(users).set({ sessionVersion: (await versionOf(user.id)) + 1 }).where(eq(users.id, user.id));
    expect(await refusal(finishPasskeyRegistration(handle.db, actor, RP, { challengeToken: begun.token, name: "x", currentPassword: PASSWORD, response: authenticator.register(begun.options.challenge, RP) }))).toBe(
      "session_expired",
    );
    expect(await listPasskeys(handle.db, user.id)).toEqual([]);
  });

  it("renames and removes only the owner's passkeys; removing needs the current password and ends other sessions", async () => {
    const { user, actor, authenticator } = await withPasskey();
    const other = await account();
    const [pk] = await listPasskeys(handle.db, user.id);
    expect(await refusal(renameOwnPasskey(handle.db, other.actor, { passkeyId: pk!.id, name: "Mine now" }))).toBe("passkey_not_found");
    await renameOwnPasskey(handle.db, actor, { passkeyId: pk!.id, name: "Phone" });
    expect((await listPasskeys(handle.db, user.id))[0]!.name).toBe("Phone");
    expect(await refusal(removeOwnPasskey(handle.db, other.actor, { passkeyId: pk!.id, currentPassword: PASSWORD }))).toBe("passkey_not_found");
    expect(await refusal(removeOwnPasskey(handle.db, actor, { passkeyId: pk!.id, currentPassword: "wrong" }))).toBe("wrong_password");
    const before = await versionOf(user.id);
    await removeOwnPasskey(handle.db, actor, { passkeyId: pk!.id, currentPassword: PASSWORD });
    expect(await versionOf(user.id)).toBe(before + 1);
    // A removed passkey no longer signs in.
    const { token, challenge } = await signInChallenge();
    expect((await verifyPasskeyAssertion(handle.db, { response: authenticator.assert(challenge, RP), challengeToken: token, rp: RP })).ok).toBe(false);
  });
});

describe(`verifyPasskeyAssertion (${TEST_DRIVER})`, () => {
  it("signs in with a passkey: the account, the counter and the last use recorded", async () => {
    const { user, authenticator } = await withPasskey();
    const { token, challenge, allow } = await signInChallenge();
    expect(allow).toEqual([]); // usernameless: any passkey of this site may answer
    const result = await verifyPasskeyAssertion(handle.db, { response: authenticator.assert(challenge, RP), challengeToken: token, rp: RP });
    expect(result.ok && result.user.id).toBe(user.id);
    const [row] = await handle.db.select().from(passkeys).where(eq(passkeys.userId, user.id));
    expect(row!.counter).toBe(authenticator.counter);
    expect(row!.lastUsedAt).not.toBeNull();
  });

  it("refuses a replayed assertion: with the spent challenge, or with a fresh one", async () => {
    const { authenticator } = await withPasskey();
    const first = await signInChallenge();
    const response = authenticator.assert(first.challenge, RP);
    expect((await verifyPasskeyAssertion(handle.db, { response, challengeToken: first.token, rp: RP })).ok).toBe(true);
    expect(await verifyPasskeyAssertion(handle.db, { response, challengeToken: first.token, rp: RP })).toMatchObject({ ok: false, reason: "invalid" });
    const second = await signInChallenge();
    expect(await verifyPasskeyAssertion(handle.db, { response, challengeToken: second.token, rp: RP })).toMatchObject({ ok: false });
  });

  it("refuses an assertion for another origin or RP ID, without user verification, or with no challenge cookie", async () => {
    const { authenticator } = await withPasskey();
    for (const at of [
      { origin: "https://evil.example", rpID: RP.rpID },
      { origin: RP.origin, rpID: "evil.example" },
    ]) {
      const c = await signInChallenge();
      expect(await verifyPasskeyAssertion(handle.db, { response: authenticator.assert(c.challenge, at), challengeToken: c.token, rp: RP })).toMatchObject({ ok: false, reason: "invalid" });
    }
    const c = await signInChallenge();
    expect(await verifyPasskeyAssertion(handle.db, { response: authenticator.assert(c.challenge, RP), challengeToken: undefined, rp: RP })).toMatchObject({ ok: false });
    const unverified = await withPasskey();
    (unverified.authenticator.options as { uv?: boolean }).uv = false;
    const d = await signInChallenge();
    expect(await verifyPasskeyAssertion(handle.db, { response: unverified.authenticator.assert(d.challenge, RP), challengeToken: d.token, rp: RP })).toMatchObject({ ok: false });
  });

  it("refuses a counter that did not grow (a cloned authenticator)", async () => {
    const { authenticator } = await withPasskey();
    const a = await signInChallenge();
    expect((await verifyPasskeyAssertion(handle.db, { response: authenticator.assert(a.challenge, RP, 5), challengeToken: a.token, rp: RP })).ok).toBe(true);
    authenticator.counter = 2; // a copy that signed fewer times
    const b = await signInChallenge();
    expect(await verifyPasskeyAssertion(handle.db, { response: authenticator.assert(b.challenge, RP), challengeToken: b.token, rp: RP })).toMatchObject({ ok: false, reason: "counter_regressed" });
  });

  it("answers a challenge within five minutes only", async () => {
    const { authenticator } = await withPasskey();
    const late = await signInChallenge();
    const lateAnswer = authenticator.assert(late.challenge, RP);
    expect(await verifyPasskeyAssertion(handle.db, { response: lateAnswer, challengeToken: late.token, rp: RP, clockOffsetMs: CHALLENGE_LIFETIME_MS + 1000 })).toMatchObject({ ok: false });
    const inTime = await signInChallenge();
    authenticator.counter = 100;
    expect((await verifyPasskeyAssertion(handle.db, { response: authenticator.assert(inTime.challenge, RP), challengeToken: inTime.token, rp: RP, clockOffsetMs: CHALLENGE_LIFETIME_MS - 5000 })).ok).toBe(true);
  });

  it("as a second factor, accepts only the named user's passkey, on a challenge issued for that user", async () => {
    const a = await withPasskey();
    const b = await withPasskey();
    const forA = await signInChallenge(a.user.id);
    expect(forA.allow.map((c) => c.id)).toEqual([a.authenticator.credentialId.toString("base64url")]);
    expect(await verifyPasskeyAssertion(handle.db, { response: b.authenticator.assert(forA.challenge, RP), challengeToken: forA.token, userId: a.user.id, rp: RP })).toMatchObject({ ok: false });
    const usernameless = await signInChallenge();
    expect(await verifyPasskeyAssertion(handle.db, { response: a.authenticator.assert(usernameless.challenge, RP), challengeToken: usernameless.token, userId: a.user.id, rp: RP })).toMatchObject({ ok: false });
    const again = await signInChallenge(a.user.id);
    expect((await verifyPasskeyAssertion(handle.db, { response: a.authenticator.assert(again.challenge, RP), challengeToken: again.token, userId: a.user.id, rp: RP })).ok).toBe(true);
  });

  it("bounds the challenges one address may start per 15 minutes", async () => {
    const ip = "198.51.100.9";
    const now = Date.now();
    for (let i = 0; i < CHALLENGES_PER_ADDRESS; i++) await beginPasskeyAuthentication(handle.db, RP, { clockOffsetMs: 0, ip }, now);
    expect(await refusal(beginPasskeyAuthentication(handle.db, RP, { clockOffsetMs: 0, ip }, now))).toBe("rate_limited");
    expect((await beginPasskeyAuthentication(handle.db, RP, { clockOffsetMs: 0, ip: "198.51.100.251" }, now)).token).toMatch(/^kspc_/);
  });

  it("signs in with the method audited, refuses a suspended account with its own reason", async () => {
    const { user, authenticator } = await withPasskey();
    const ok = await signInChallenge();
    const result = await signInWithPasskey(handle.db, { response: authenticator.assert(ok.challenge, RP), challengeToken: ok.token, rp: RP, clockOffsetMs: 0 }, CONTEXT);
    expect(result.ok).toBe(true);
    const events = await handle.db.select().from(auditEvents).where(eq(auditEvents.targetId, user.id));
    expect(events.find((e) => e.action === "user.signed_in")?.metadata).toEqual({ method: "passkey", passkey: "Laptop" });
    await handle.db.update(users).set({ suspendedAt: new Date() }).where(eq(users.id, user.id));
    const refused = await signInChallenge();
    expect(await signInWithPasskey(handle.db, { response: authenticator.assert(refused.challenge, RP), challengeToken: refused.token, rp: RP, clockOffsetMs: 0 }, CONTEXT)).toEqual({ ok: false, reason: "suspended" });
    const after = await handle.db.select().from(auditEvents).where(eq(auditEvents.targetId, user.id));
    expect(after.find((e) => e.action === "user.sign_in_failed")?.metadata).toEqual({ method: "passkey", reason: "suspended" });
  });
});
