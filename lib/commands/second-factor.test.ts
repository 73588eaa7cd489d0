import { SECOND_FACTOR_WINDOW_MS } from "@/db/queries/second-factor";
import { eq, sql } from "drizzle-orm";
import { generate } from "otplib";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { DbHandle } from "@/db/client";
import { findUserById } from "@/db/queries/users";
import { appSettings, auditEvents, recoveryCodes, secondFactorChallenges, totpFactors, users } from "@/db/schema";
import { hashPassword } from "@/lib/password";
import { resetSecretsCache } from "@/lib/secrets";
import { openTestDb } from "@/test/db";
import { CONTEXT, makeUser, refusal } from "@/test/fixtures";
import type { Actor } from "./actor";
import { changeMfaPolicy } from "./settings";
import {
  adminResetSecondFactor,
  confirmTotpSetup,
  finishSecondFactor,
  renewRecoveryCodes,
  renewSessionChallenge,
  startSecondFactor,
  startTotpSetup,
  turnOffTotp,
} from "./second-factor";

// Second factors on a real database (PGlite, or Postgres with TEST_DRIVER=pg): set-up, the sign-in
// challenge, replay, lockout, recovery codes, the policy and an admin's reset. Checklist.

let handle: DbHandle;
const PASSWORD = "correct horse battery staple";
let passwordHash: string;
const env = { ...process.env };
beforeAll(async () => {
  process.env.AUTH_SECRET = "mfa-test-auth-secret-0123456789abcdefghijklmnop";
  process.env.KEY_PEPPER = "mfa-test-key-pepper-0123456789abcdefghijklmnopq";
  process.env.ENCRYPTION_KEY = "mfa-test-encryption-key-0123456789abcdefghijkl";
  resetSecretsCache();
  handle = await openTestDb();
  passwordHash = await hashPassword(PASSWORD);
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

async function member(options: { admin?: boolean } = {}) {
  const email = `mfa-${crypto.randomUUID()}@example.test`;
  const user = await makeUser(handle.db, { email, adminEmails: options.admin ? [email] : [] });
  await handle.db.update(users).set({ passwordHash }).where(eq(users.id, user.id));
  return user;
}

async function withTotp(options: { admin?: boolean } = {}) {
  const user = await member(options);
  const setup = await startTotpSetup(handle.db, actorOf(user.id));
  const { recoveryCodes: codes } = await confirmTotpSetup(handle.db, actorOf(user.id), { currentPassword: PASSWORD, code: await code(setup.secret) });
  return { user, secret: setup.secret, codes };
}

async function dumpOf(userId: string): Promise<string> {
  const factor = await handle.db.select().from(totpFactors).where(eq(totpFactors.userId, userId));
  const rcs = await handle.db.select().from(recoveryCodes).where(eq(recoveryCodes.userId, userId));
  const events = await handle.db.select().from(auditEvents).where(eq(auditEvents.targetId, userId));
  return JSON.stringify({ factor, rcs, events });
}

describe("setting up an authenticator app", () => {
  it("shows the seed once, keeps it sealed, and turns on only with the password and a current code", async () => {
    const user = await member();
    const setup = await startTotpSetup(handle.db, actorOf(user.id));
    expect(setup.secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(setup.qr.length).toBeGreaterThan(20);
    expect(await dumpOf(user.id)).not.toContain(setup.secret.slice(0, 16));

    expect(await refusal(confirmTotpSetup(handle.db, actorOf(user.id), { currentPassword: "wrong password", code: await code(setup.secret) }))).toBe("wrong_password");
    expect(await refusal(confirmTotpSetup(handle.db, actorOf(user.id), { currentPassword: PASSWORD, code: "000000" }))).toBe("wrong_code");
    const before = (await findUserById(handle.db, user.id))!;
    expect(before.hasSecondFactor).toBe(false);

    const { recoveryCodes: codes } = await confirmTotpSetup(handle.db, actorOf(user.id), { currentPassword: PASSWORD, code: await code(setup.secret) });
    expect(codes).toHaveLength(10);
    const after = (await findUserById(handle.db, user.id))!;
    expect(after.hasSecondFactor).toBe(true);
    // Every other session ends.
    expect(after.sessionVersion).toBe(before.sessionVersion + 1);
    // Neither the seed nor any recovery code is stored in the clear.
    const dump = await dumpOf(user.id);
    expect(dump).not.toContain(setup.secret.slice(0, 16));
    for (const c of codes) expect(dump).not.toContain(c);
    const actions = (await handle.db.select({ action: auditEvents.action }).from(auditEvents).where(eq(auditEvents.targetId, user.id))).map((e) => e.action);
    expect(actions).toContain("user.second_factor_enabled");
    expect(actions.filter((a) => a === "user.second_factor_failed")).toHaveLength(2);
  });

  it("refuses a key as the actor, and a second set-up while one is on", async () => {
    const { user } = await withTotp();
    expect(await refusal(startTotpSetup(handle.db, { ...actorOf(user.id), key: { id: crypto.randomUUID() } } as unknown as Actor))).toBe("not_found");
    expect(await refusal(startTotpSetup(handle.db, actorOf(user.id)))).toBe("second_factor_already_enabled");
  });
});

describe("signing in with a second factor", () => {
  it("finishes a challenge once with a current code, and refuses the same code again", async () => {
    const { user, secret } = await withTotp();
    // The set-up's code used this step: the sign-in needs the next one (each code works once).
    const next = await code(secret, 30_000);
    const token = await startSecondFactor(handle.db, user.id, { clockOffsetMs: 30_000 });
    expect(token).toMatch(/^ksc_[\w-]{43}$/);
    const [row] = await handle.db.select().from(secondFactorChallenges).where(eq(secondFactorChallenges.userId, user.id));
    expect(JSON.stringify(row)).not.toContain(token);
    const ok = await finishSecondFactor(handle.db, { token, code: next }, CONTEXT, 30_000);
    expect(ok.ok && ok.user.id).toBe(user.id);
    // The challenge is spent.
    expect(await finishSecondFactor(handle.db, { token, code: next }, CONTEXT, 30_000)).toEqual({ ok: false, reason: "invalid" });
    // A new challenge with the same code: replay refused.
    const again = await startSecondFactor(handle.db, user.id, { clockOffsetMs: 30_000 });
    expect(await finishSecondFactor(handle.db, { token: again, code: next }, CONTEXT, 30_000)).toEqual({ ok: false, reason: "wrong_code" });
  });

  it("ends a challenge after five wrong codes, and locks the account's codes after ten in the window", async () => {
    const { user, secret } = await withTotp();
    // Every attempt at one moment of the test clock, two minutes into a 15-minute window: run across
    // a window's end, the ten failures used to be split between two windows and the lock never came.
    const at = Math.ceil(Date.now() / SECOND_FACTOR_WINDOW_MS) * SECOND_FACTOR_WINDOW_MS + 2 * 60_000 - Date.now();
    const wrong = (token: string) => finishSecondFactor(handle.db, { token, code: "000000" }, CONTEXT, at);
    const token = await startSecondFactor(handle.db, user.id, { clockOffsetMs: at });
    for (let i = 0; i < 4; i++) expect((await wrong(token)).ok).toBe(false);
    expect(await wrong(token)).toEqual({ ok: false, reason: "ended" });
    expect(await finishSecondFactor(handle.db, { token, code: await code(secret, at + 30_000) }, CONTEXT, at + 30_000)).toEqual({ ok: false, reason: "invalid" });
    const second = await startSecondFactor(handle.db, user.id, { clockOffsetMs: at });
    for (let i = 0; i < 4; i++) await wrong(second);
    const third = await startSecondFactor(handle.db, user.id, { clockOffsetMs: at });
    await wrong(third);
    await wrong(third);
    // Ten wrong codes in this window: even the right code is refused now (the step is locked).
    expect(await finishSecondFactor(handle.db, { token: third, code: await code(secret, at + 30_000) }, CONTEXT, at + 30_000)).toEqual({ ok: false, reason: "rate_limited" });
  });

  it("takes each recovery code once", async () => {
    const { user, codes } = await withTotp();
    const token = await startSecondFactor(handle.db, user.id, { clockOffsetMs: 0 });
    const used = await finishSecondFactor(handle.db, { token, code: codes[0]!.toLowerCase() }, CONTEXT);
    expect(used.ok).toBe(true);
    const again = await startSecondFactor(handle.db, user.id, { clockOffsetMs: 0 });
    expect(await finishSecondFactor(handle.db, { token: again, code: codes[0]! }, CONTEXT)).toEqual({ ok: false, reason: "wrong_code" });
    expect((await finishSecondFactor(handle.db, { token: again, code: codes[1]! }, CONTEXT)).ok).toBe(true);
    const events = await handle.db.select({ metadata: auditEvents.metadata }).from(auditEvents).where(sql`${auditEvents.targetId} = ${user.id} and ${auditEvents.action} = 'user.recovery_code_used'`);
    expect(events.map((e) => (e.metadata as { remaining: number }).remaining).sort()).toEqual([8, 9]);
  });

  it("binds a challenge to the session version: a sign-out elsewhere voids it", async () => {
    const { user, secret } = await withTotp();
    const token = await startSecondFactor(handle.db, user.id, { clockOffsetMs: 0 });
    await handle.db.update(users).set({ sessionVersion: sql`${users.sessionVersion} + 1` }).where(eq(users.id, user.id));
    expect(await finishSecondFactor(handle.db, { token, code: await code(secret, 30_000) }, CONTEXT, 30_000)).toEqual({ ok: false, reason: "invalid" });
  });

  it("expires a challenge after five minutes, and never takes a pre-verified one with a code or a code's one without", async () => {
    const { user, secret } = await withTotp();
    const token = await startSecondFactor(handle.db, user.id, { clockOffsetMs: 0 });
    expect(await finishSecondFactor(handle.db, { token, code: await code(secret, 5 * 60_000 + 1000) }, CONTEXT, 5 * 60_000 + 1000)).toEqual({ ok: false, reason: "invalid" });
    const plain = await startSecondFactor(handle.db, user.id, { clockOffsetMs: 0 });
    expect(await finishSecondFactor(handle.db, { token: plain, renewal: true }, CONTEXT)).toEqual({ ok: false, reason: "invalid" });
    const renewal = await renewSessionChallenge(handle.db, user.id, 0);
    expect(await finishSecondFactor(handle.db, { token: renewal, code: "000000" }, CONTEXT)).toEqual({ ok: false, reason: "invalid" });
    const renewal2 = await renewSessionChallenge(handle.db, user.id, 0);
    expect((await finishSecondFactor(handle.db, { token: renewal2, renewal: true }, CONTEXT)).ok).toBe(true);
    expect(await finishSecondFactor(handle.db, { token: "ksc_not-a-token", code: "123456" }, CONTEXT)).toEqual({ ok: false, reason: "invalid" });
  });
});

describe("changing and removing a factor", () => {
  it("makes new recovery codes (old ones void) and turns off with the password and a code", async () => {
    const { user, secret, codes } = await withTotp();
    const fresh = await renewRecoveryCodes(handle.db, actorOf(user.id, 30_000), { currentPassword: PASSWORD, code: await code(secret, 30_000) });
    expect(fresh.recoveryCodes).not.toContain(codes[0]);
    const token = await startSecondFactor(handle.db, user.id, { clockOffsetMs: 0 });
    expect(await finishSecondFactor(handle.db, { token, code: codes[0]! }, CONTEXT)).toEqual({ ok: false, reason: "wrong_code" });
    expect(await refusal(turnOffTotp(handle.db, actorOf(user.id, 60_000), { currentPassword: "nope", code: await code(secret, 60_000) }))).toBe("wrong_password");
    await turnOffTotp(handle.db, actorOf(user.id, 60_000), { currentPassword: PASSWORD, code: await code(secret, 60_000) });
    expect((await findUserById(handle.db, user.id))!.hasSecondFactor).toBe(false);
    expect(await handle.db.select().from(recoveryCodes).where(eq(recoveryCodes.userId, user.id))).toHaveLength(0);
  });

  it("keeps a factor the policy requires, and lets no admin without one require it", async () => {
    const bare = await member({ admin: true });
    expect(await refusal(changeMfaPolicy(handle.db, actorOf(bare.id), "everyone"))).toBe("own_second_factor_missing");
    const { user: admin, secret } = await withTotp({ admin: true });
    await changeMfaPolicy(handle.db, actorOf(admin.id), "admins");
    expect((await findUserById(handle.db, admin.id))!.mfaPolicy).toBe("admins");
    expect(await refusal(turnOffTotp(handle.db, actorOf(admin.id, 30_000), { currentPassword: PASSWORD, code: await code(secret, 30_000) }))).toBe("second_factor_policy");
    const events = await handle.db.select().from(auditEvents).where(eq(auditEvents.action, "settings.mfa_policy_changed"));
    expect(events.at(-1)?.metadata).toEqual({ from: "optional", to: "admins" });
  });

  it("lets an admin reset a member's factor (sessions end, audited), and no member reset anyone's", async () => {
    const { user } = await withTotp();
    const { user: admin } = await withTotp({ admin: true });
    const other = await member();
    expect(await refusal(adminResetSecondFactor(handle.db, actorOf(other.id), user.id))).toBe("not_found");
    const before = (await findUserById(handle.db, user.id))!;
    await adminResetSecondFactor(handle.db, actorOf(admin.id), user.id);
    const after = (await findUserById(handle.db, user.id))!;
    expect(after.hasSecondFactor).toBe(false);
    expect(after.sessionVersion).toBe(before.sessionVersion + 1);
    expect(await refusal(adminResetSecondFactor(handle.db, actorOf(admin.id), user.id))).toBe("second_factor_not_enabled");
    expect(await refusal(adminResetSecondFactor(handle.db, actorOf(admin.id), "not-a-uuid"))).toBe("user_not_found");
    const [event] = await handle.db.select().from(auditEvents).where(sql`${auditEvents.action} = 'user.second_factor_reset' and ${auditEvents.targetId} = ${user.id}`);
    expect(event?.actorId).toBe(admin.id);
  });
});
