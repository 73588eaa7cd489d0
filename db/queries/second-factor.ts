import { and, count, eq, inArray, isNull, sql, type SQL } from "drizzle-orm";
import type { RequestContext } from "@/lib/audit-events";
import { sqlNow } from "@/lib/clock";
import { AppError } from "@/lib/errors";
import { mayDisableSecondFactor, type MfaPolicy } from "@/lib/mfa/policy";
import type { Database } from "../client";
import { appSettings, passkeyChallenges, passkeys, recoveryCodes, secondFactorChallenges, totpFactors, users } from "../schema";
import { recordAudit, recordSignIn } from "./audit";
import { addToWindow, windowCounts } from "./rate-limits";

// Second factors (lib/commands/second-factor.ts is the command layer over these). Every change
// runs in one transaction on the user's locked row: the wrong-guess limit is read there, the
// current password and code checked there, and the change, the new session version and the audit
// event written there. Seeds arrive sealed and recovery codes as keyed digests: nothing here can
// open either.

type Tx = Parameters<Parameters<Database["transaction"]>[0]>[0];
const asDb = (tx: Tx) => tx as unknown as Database;

/** Wrong codes (and wrong current passwords in second-factor changes) allowed per account per window. */
export const SECOND_FACTOR_FAILURES = 10;
export const SECOND_FACTOR_WINDOW_MS = 15 * 60_000;
/** Wrong codes one sign-in challenge allows before it ends. */
export const CHALLENGE_FAILURES = 5;

const bucketOf = (userId: string) => `second-factor:${userId}`;
function windowOf(now: number) {
  const windowStart = new Date(Math.floor(now / SECOND_FACTOR_WINDOW_MS) * SECOND_FACTOR_WINDOW_MS);
  return { windowStart, retryAfterSeconds: Math.max(1, Math.ceil((windowStart.getTime() + SECOND_FACTOR_WINDOW_MS - now) / 1000)) };
}

// An authenticator app turned on; at least one passkey (the two halves of hasSecondFactorSql).
const appOnSql = (userId: SQL) => sql<boolean>`exists (select 1 from ${totpFactors} as tf where tf.user_id = ${userId} and tf.enabled_at is not null)`;
const hasPasskeySql = (userId: SQL) => sql<boolean>`exists (select 1 from ${passkeys} as pk where pk.user_id = ${userId})`;

/**
 * The one definition of "has a second factor", in SQL: an authenticator app that is turned on, or at
 * least one passkey (a passkey verifies its user, so it is a factor of its own). `userId` is the SQL
 * of the user's id in the caller's query: a parameter, or the outer row's column written with its
 * table (`sql\`${users}.id\``): the subqueries name their own tables, and passkeys has an "id" of its own.
 * Used by hasSecondFactor, the session's user (db/queries/users.ts), the Users list's badge
 * (db/queries/admin-users.ts) and the policy change (db/queries/settings.ts).
 */
export function hasSecondFactorSql(userId: SQL): SQL<boolean> {
  return sql<boolean>`(${appOnSql(userId)} or ${hasPasskeySql(userId)})`;
}

/** The user's factors, read in the caller's transaction (after the user's row is locked: every change of factor locks it first). */
async function factorsOf(tx: Tx, userId: string): Promise<{ totp: boolean; passkeys: number }> {
  const [row] = await tx
    .select({
      totp: appOnSql(sql`${users}.id`).mapWith(Boolean),
      passkeys: sql<number>`(select count(*) from ${passkeys} as pk where pk.user_id = ${users}.id)`.mapWith(Number),
    })
    .from(users)
    .where(eq(users.id, userId));
  return row ?? { totp: false, passkeys: 0 };
}

/**
 * Whether the policy lets this user give up one factor (the app, or one passkey), on their locked
 * row: never their last one while the policy requires a second factor of them. Turning off the app
 * and removing a passkey both ask here (mayDisableSecondFactor, lib/mfa/policy.ts).
 */
export async function assertMayGiveUpFactor(tx: Tx, userId: string, role: "admin" | "member", giving: "totp" | "passkey"): Promise<void> {
  const held = await factorsOf(tx, userId);
  const left = (held.totp ? 1 : 0) + held.passkeys - 1;
  if (!mayDisableSecondFactor(await getMfaPolicy(tx), role, left)) {
    throw new AppError("second_factor_policy", {
      message:
        giving === "totp"
          ? "This Keysmith requires a second factor for your account, and the authenticator app is your only one. Add a passkey first (Passkeys, above), then turn the app off."
          : "This Keysmith requires a second factor for your account, and this passkey is your only one. Add another passkey or set up an authenticator app first, then remove this one.",
    });
  }
}

export type SecondFactorStatus = { enabled: boolean; enabledAt: Date | null; recoveryCodesLeft: number };

/** The Profile page's view of the user's factor. */
export async function secondFactorStatus(db: Database, userId: string): Promise<SecondFactorStatus> {
  const [row] = await db.select({ enabledAt: totpFactors.enabledAt }).from(totpFactors).where(eq(totpFactors.userId, userId));
  const [{ n }] = (await db
    .select({ n: count() })
    .from(recoveryCodes)
    .where(and(eq(recoveryCodes.userId, userId), isNull(recoveryCodes.usedAt)))) as [{ n: number }];
  return { enabled: !!row?.enabledAt, enabledAt: row?.enabledAt ?? null, recoveryCodesLeft: Number(n) };
}

/** The deployment's second-factor policy. */
export async function getMfaPolicy(db: Database | Tx): Promise<MfaPolicy> {
  const [row] = await db.select({ policy: appSettings.mfaPolicy }).from(appSettings).where(eq(appSettings.id, 1));
  return row?.policy ?? "optional";
}

/**
 * Keeps a new, unconfirmed seed for the user (sealed): set-up shows it once, and it becomes the
 * factor only when a code from it is confirmed with the current password. A newer set-up replaces it.
 */
export async function savePendingSecret(db: Database, userId: string, sealed: string): Promise<{ email: string }> {
  return db.transaction(async (tx) => {
    const [user] = await tx.select({ email: users.email }).from(users).where(and(eq(users.id, userId), isNull(users.deletedAt), isNull(users.suspendedAt))).for("update");
    if (!user) throw new AppError("session_expired");
    const [factor] = await tx.select({ enabledAt: totpFactors.enabledAt }).from(totpFactors).where(eq(totpFactors.userId, userId)).for("update");
    if (factor?.enabledAt) throw new AppError("second_factor_already_enabled");
    await tx
      .insert(totpFactors)
      .values({ userId, pendingSecret: sealed })
      .onConflictDoUpdate({ target: totpFactors.userId, set: { pendingSecret: sealed, updatedAt: sql`now()` } });
    return user;
  });
}

type LockedFactor = { passwordHash: string; role: "admin" | "member"; email: string; secret: string | null; pendingSecret: string | null; lastStep: number | null };
export type FactorCheck = (row: LockedFactor) => Promise<{ ok: true; step: number | null } | { ok: false; reason: "wrong_password" | "wrong_code" }>;
export type FactorChange =
  | { ok: true; email: string; sessionVersion: number }
  | { ok: false; reason: "wrong_password" | "wrong_code" | "rate_limited"; retryAfterSeconds: number };

/**
 * The one path of every change to a user's own factor: the user's row and factor locked, the
 * attempt limit read, `check` (current password and code) run on the locked row; a failure commits
 * only its count and an audit event. On success `apply` changes the factor and the change is
 * audited; turning the app on or off also moves the session version on (every session ends), while
 * new recovery codes leave sessions as they are (the app, the factor itself, is unchanged).
 */
async function changeOwnFactor(
  db: Database,
  userId: string,
  kind: "enable" | "disable" | "regenerate",
  check: FactorCheck,
  apply: (tx: Tx, step: number | null) => Promise<Record<string, unknown> | void>,
  context: RequestContext,
  now: number,
): Promise<FactorChange> {
  const { windowStart, retryAfterSeconds } = windowOf(now);
  return db.transaction(async (tx) => {
    const [user] = await tx
      .select({ passwordHash: users.passwordHash, role: users.role, email: users.email })
      .from(users)
      .where(and(eq(users.id, userId), isNull(users.deletedAt), isNull(users.suspendedAt)))
      .for("update");
    if (!user) throw new AppError("session_expired");
    const [factor] = await tx
      .select({ secret: totpFactors.secret, pendingSecret: totpFactors.pendingSecret, enabledAt: totpFactors.enabledAt, lastStep: totpFactors.lastStep })
      .from(totpFactors)
      .where(eq(totpFactors.userId, userId))
      .for("update");
    if (kind === "enable" && factor?.enabledAt) throw new AppError("second_factor_already_enabled");
    if (kind === "enable" && !factor?.pendingSecret) throw new AppError("second_factor_setup_missing");
    if (kind !== "enable" && !factor?.enabledAt) throw new AppError("second_factor_not_enabled");
    if (kind === "disable") await assertMayGiveUpFactor(tx, userId, user.role, "totp");
    const failures = (await windowCounts(asDb(tx), [bucketOf(userId)], windowStart)).get(bucketOf(userId)) ?? 0;
    if (failures >= SECOND_FACTOR_FAILURES) return { ok: false, reason: "rate_limited", retryAfterSeconds };
    const result = await check({ ...user, secret: factor!.secret, pendingSecret: factor!.pendingSecret, lastStep: factor!.lastStep });
    if (!result.ok) {
      await addToWindow(asDb(tx), bucketOf(userId), windowStart, 1);
      await recordAudit(tx, { actorId: null, action: "user.second_factor_failed", targetType: "user", targetId: userId, metadata: { during: kind, reason: result.reason }, context });
      return { ok: false, reason: result.reason, retryAfterSeconds };
    }
    const metadata = (await apply(tx, result.step)) ?? undefined;
    const [updated] = await tx
      .update(users)
      .set({ sessionVersion: kind === "regenerate" ? users.sessionVersion : sql`${users.sessionVersion} + 1`, updatedAt: sql`now()` })
      .where(eq(users.id, userId))
      .returning({ sessionVersion: users.sessionVersion });
    const action = kind === "enable" ? "user.second_factor_enabled" : kind === "disable" ? "user.second_factor_disabled" : "user.recovery_codes_regenerated";
    await recordAudit(tx, { actorId: userId, action, targetType: "user", targetId: userId, metadata, context });
    return { ok: true, email: user.email, sessionVersion: updated!.sessionVersion };
  });
}

async function replaceRecoveryCodes(tx: Tx, userId: string, codeHashes: string[]) {
  await tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId));
  await tx.insert(recoveryCodes).values(codeHashes.map((codeHash) => ({ userId, codeHash })));
}

/** Turns the pending seed into the user's factor, with new recovery codes. */
export function enableTotp(db: Database, userId: string, input: { check: FactorCheck; codeHashes: string[]; now: number }, context: RequestContext) {
  return changeOwnFactor(
    db,
    userId,
    "enable",
    input.check,
    async (tx, step) => {
      await tx
        .update(totpFactors)
        .set({ secret: totpFactors.pendingSecret, pendingSecret: null, enabledAt: sql`now()`, lastStep: step, updatedAt: sql`now()` })
        .where(eq(totpFactors.userId, userId));
      await replaceRecoveryCodes(tx, userId, input.codeHashes);
    },
    context,
    input.now,
  );
}

/** Turns the factor off (unless the policy requires one): the seed and recovery codes are deleted. */
export function disableTotp(db: Database, userId: string, input: { check: FactorCheck; now: number }, context: RequestContext) {
  return changeOwnFactor(
    db,
    userId,
    "disable",
    input.check,
    async (tx) => {
      await tx.delete(totpFactors).where(eq(totpFactors.userId, userId));
      await tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId));
    },
    context,
    input.now,
  );
}

/** New recovery codes; the old ones stop working. */
export function regenerateRecoveryCodes(db: Database, userId: string, input: { check: FactorCheck; codeHashes: string[]; now: number }, context: RequestContext) {
  return changeOwnFactor(
    db,
    userId,
    "regenerate",
    input.check,
    async (tx, step) => {
      if (step !== null) await tx.update(totpFactors).set({ lastStep: step, updatedAt: sql`now()` }).where(eq(totpFactors.userId, userId));
      await replaceRecoveryCodes(tx, userId, input.codeHashes);
    },
    context,
    input.now,
  );
}

/**
 * An admin resets a user's second factors (lost phone, recovery codes or passkey device): the
 * authenticator app, its recovery codes and every passkey are deleted (a passkey is a second factor
 * and a way in, so a lost device must not keep either), pending challenges of both kinds too, every
 * session of the user ends, audited with what was removed. The admin's role is read in this transaction.
 */
export async function resetSecondFactor(db: Database, adminId: string, userId: string, context: RequestContext): Promise<{ email: string; totp: boolean; passkeys: number }> {
  return db.transaction(async (tx) => {
    const [admin] = await tx.select({ role: users.role }).from(users).where(and(eq(users.id, adminId), isNull(users.deletedAt), isNull(users.suspendedAt))).for("share");
    if (admin?.role !== "admin") throw new AppError("not_found");
    const [user] = await tx.select({ email: users.email }).from(users).where(and(eq(users.id, userId), isNull(users.deletedAt))).for("update");
    if (!user) throw new AppError("user_not_found");
    const apps = await tx.delete(totpFactors).where(eq(totpFactors.userId, userId)).returning({ enabledAt: totpFactors.enabledAt });
    const totp = apps.some((a) => a.enabledAt !== null);
    const removed = await tx.delete(passkeys).where(eq(passkeys.userId, userId)).returning({ name: passkeys.name });
    if (!totp && removed.length === 0) throw new AppError("second_factor_not_enabled", { message: `${user.email} has no second factor to reset. Refresh the page.` });
    await tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId));
    await tx.delete(secondFactorChallenges).where(eq(secondFactorChallenges.userId, userId));
    await tx.delete(passkeyChallenges).where(eq(passkeyChallenges.userId, userId));
    await tx.update(users).set({ sessionVersion: sql`${users.sessionVersion} + 1`, updatedAt: sql`now()` }).where(eq(users.id, userId));
    await recordAudit(tx, {
      actorId: adminId,
      action: "user.second_factor_reset",
      targetType: "user",
      targetId: userId,
      metadata: { email: user.email, authenticatorApp: totp, passkeys: removed.map((p) => p.name) },
      context,
    });
    return { email: user.email, totp, passkeys: removed.length };
  });
}

export type StepUpCodeResult = { ok: true } | { ok: false; reason: "wrong_code" | "rate_limited"; retryAfterSeconds: number };

/**
 * A signed-in user confirms who they are (step-up) with a code from their authenticator app, in one
 * transaction on the locked user and factor, by the sign-in's rules: the account's wrong-code
 * window (shared with the sign-in's second step and factor changes) is read first; the code must
 * be from a step after the last one accepted, which is then recorded (so a code used here cannot
 * sign in, and one used to sign in cannot confirm). Audited either way with the method. Recovery
 * codes never reach here: they are for a lost device, not for a sensitive change.
 */
export async function confirmWithTotp(
  db: Database,
  userId: string,
  input: { verify: (sealedSecret: string, lastStep: number | null) => Promise<number | null>; now: number },
  context: RequestContext,
): Promise<StepUpCodeResult> {
  const { windowStart, retryAfterSeconds } = windowOf(input.now);
  return db.transaction(async (tx): Promise<StepUpCodeResult> => {
    const [user] = await tx.select({ id: users.id }).from(users).where(and(eq(users.id, userId), isNull(users.deletedAt), isNull(users.suspendedAt))).for("update");
    if (!user) throw new AppError("session_expired");
    const [factor] = await tx
      .select({ secret: totpFactors.secret, lastStep: totpFactors.lastStep })
      .from(totpFactors)
      .where(and(eq(totpFactors.userId, userId), sql`${totpFactors.enabledAt} is not null`))
      .for("update");
    if (!factor?.secret) throw new AppError("second_factor_not_enabled", { message: "Your account has no authenticator app any more. Confirm with your password or a passkey." });
    const bucket = bucketOf(userId);
    if (((await windowCounts(asDb(tx), [bucket], windowStart)).get(bucket) ?? 0) >= SECOND_FACTOR_FAILURES) return { ok: false, reason: "rate_limited", retryAfterSeconds };
    const step = await input.verify(factor.secret, factor.lastStep);
    if (step === null) {
      await addToWindow(asDb(tx), bucket, windowStart, 1);
      await recordAudit(tx, { actorId: null, action: "user.reauthentication_failed", targetType: "user", targetId: userId, metadata: { method: "totp" }, context });
      return { ok: false, reason: "wrong_code", retryAfterSeconds };
    }
    await tx.update(totpFactors).set({ lastStep: step, updatedAt: sql`now()` }).where(eq(totpFactors.userId, userId));
    await recordAudit(tx, { actorId: userId, action: "user.reauthenticated", targetType: "user", targetId: userId, metadata: { method: "totp" }, context });
    return { ok: true };
  });
}

/** Whether the user has a second factor (an app turned on, or a passkey): a password or SSO sign-in asks for it then. */
export async function hasSecondFactor(db: Database, userId: string): Promise<boolean> {
  const [row] = await db.select({ has: hasSecondFactorSql(sql`${userId}::uuid`) }).from(users).where(eq(users.id, userId));
  return !!row?.has;
}

/**
 * A sign-in waiting for its second factor: the user's older challenges are deleted (a newer sign-in
 * voids them), the token's digest stored with the session version the first factor saw.
 * `verified`: the factor was already proven in this request (a change the user just confirmed
 * with their code), so the challenge only carries the session over; it never leaves the server.
 */
export async function createChallenge(
  db: Database,
  input: { userId: string; tokenHash: string; lifetimeMs: number; clockOffsetMs: number; verified?: boolean },
): Promise<void> {
  await db.transaction(async (tx) => {
    const [user] = await tx.select({ sessionVersion: users.sessionVersion }).from(users).where(eq(users.id, input.userId)).for("update");
    if (!user) throw new AppError("user_not_found");
    await tx.delete(secondFactorChallenges).where(eq(secondFactorChallenges.userId, input.userId));
    await tx.insert(secondFactorChallenges).values({
      userId: input.userId,
      tokenHash: input.tokenHash,
      sessionVersion: user.sessionVersion,
      // A pre-verified challenge is marked by failures = -1: it needs no code and is spent at once.
      failures: input.verified ? -1 : 0,
      expiresAt: sql`${sqlNow(input.clockOffsetMs)} + make_interval(secs => ${input.lifetimeMs / 1000})`,
    });
  });
}

/**
 * A live challenge's user and the second factors they can answer it with (the verify page offers
 * those, and only to the browser holding the challenge's cookie); null: no live challenge.
 */
export async function liveChallenge(db: Database, tokenHash: string, clockOffsetMs: number): Promise<{ userId: string; totp: boolean; passkey: boolean } | null> {
  const [row] = await db
    .select({
      userId: secondFactorChallenges.userId,
      totp: appOnSql(sql`${secondFactorChallenges}.user_id`).mapWith(Boolean),
      passkey: hasPasskeySql(sql`${secondFactorChallenges}.user_id`).mapWith(Boolean),
    })
    .from(secondFactorChallenges)
    .where(and(eq(secondFactorChallenges.tokenHash, tokenHash), sql`${secondFactorChallenges.expiresAt} > ${sqlNow(clockOffsetMs)}`, sql`${secondFactorChallenges.failures} >= 0`));
  return row ?? null;
}

export type ChallengeProof =
  | { kind: "totp"; verify: (sealedSecret: string, lastStep: number | null, userId: string) => Promise<number | null> }
  /** The code's digest under each configured key (current first): codes made before a key rotation keep working. */
  | { kind: "recovery"; codeHashes: string[] }
  // A passkey's assertion, checked by the command layer against this user's passkeys, in this
  // transaction (`db` is the transaction): the passkey challenge and the counter change commit with it.
  | { kind: "passkey"; verify: (db: Database, userId: string) => Promise<{ passkeyName: string } | null> }
  | { kind: "verified" };
export type ChallengeResult =
  | { ok: true; user: { id: string; email: string; name: string; role: "admin" | "member"; sessionVersion: number } }
  | { ok: false; reason: "invalid" | "wrong_code" | "ended" | "rate_limited" };

/**
 * Spends a challenge with a code or a passkey, in one transaction on the locked challenge, user and
 * factor: the challenge must be live and belong to the user's current session version; the attempt
 * limit is read (before anything is verified); a TOTP code must be from a step after the last one
 * accepted (then recorded), a recovery code unused (then marked used), a passkey's assertion one of
 * this user's passkeys on a passkey challenge issued for this user. A wrong answer of any kind
 * counts against the challenge (five end it) and the account's window (ten lock it), audited.
 * Success deletes the challenge and audits the sign-in.
 */
export async function completeChallenge(
  db: Database,
  input: { tokenHash: string; clockOffsetMs: number; proof: ChallengeProof; now: number },
  context: RequestContext,
): Promise<ChallengeResult> {
  const { windowStart } = windowOf(input.now);
  return db.transaction(async (tx): Promise<ChallengeResult> => {
    const [challenge] = await tx
      .select({
        id: secondFactorChallenges.id,
        userId: secondFactorChallenges.userId,
        sessionVersion: secondFactorChallenges.sessionVersion,
        failures: secondFactorChallenges.failures,
        live: sql<boolean>`${secondFactorChallenges.expiresAt} > ${sqlNow(input.clockOffsetMs)}`,
      })
      .from(secondFactorChallenges)
      .where(eq(secondFactorChallenges.tokenHash, input.tokenHash))
      .for("update");
    if (!challenge) return { ok: false, reason: "invalid" };
    const preVerified = challenge.failures < 0;
    // A pre-verified challenge is only ever spent by the server that made it, never with a code.
    if (!challenge.live || preVerified !== (input.proof.kind === "verified")) {
      await tx.delete(secondFactorChallenges).where(eq(secondFactorChallenges.id, challenge.id));
      return { ok: false, reason: "invalid" };
    }
    const [user] = await tx
      .select({ id: users.id, email: users.email, name: users.name, role: users.role, sessionVersion: users.sessionVersion })
      .from(users)
      .where(and(eq(users.id, challenge.userId), eq(users.sessionVersion, challenge.sessionVersion), isNull(users.deletedAt), isNull(users.suspendedAt)))
      .for("update");
    if (!user) {
      await tx.delete(secondFactorChallenges).where(eq(secondFactorChallenges.id, challenge.id));
      return { ok: false, reason: "invalid" };
    }
    if (input.proof.kind === "verified") {
      await tx.delete(secondFactorChallenges).where(eq(secondFactorChallenges.id, challenge.id));
      return { ok: true, user };
    }
    const bucket = bucketOf(user.id);
    if (((await windowCounts(asDb(tx), [bucket], windowStart)).get(bucket) ?? 0) >= SECOND_FACTOR_FAILURES) return { ok: false, reason: "rate_limited" };
    let accepted: { action: "user.second_factor_verified" | "user.recovery_code_used"; metadata?: Record<string, unknown> } | null = null;
    if (input.proof.kind === "passkey") {
      const verified = await input.proof.verify(asDb(tx), user.id);
      if (verified) accepted = { action: "user.second_factor_verified", metadata: { method: "passkey", passkey: verified.passkeyName } };
    } else {
      const [factor] = await tx
        .select({ secret: totpFactors.secret, lastStep: totpFactors.lastStep })
        .from(totpFactors)
        .where(and(eq(totpFactors.userId, user.id), sql`${totpFactors.enabledAt} is not null`))
        .for("update");
      if (!factor?.secret) {
        // No app (turned off since the password was checked, or the account has passkeys only): a code cannot finish this sign-in.
        await tx.delete(secondFactorChallenges).where(eq(secondFactorChallenges.id, challenge.id));
        return { ok: false, reason: "invalid" };
      }
      if (input.proof.kind === "totp") {
        const step = await input.proof.verify(factor.secret, factor.lastStep, user.id);
        if (step !== null) {
          await tx.update(totpFactors).set({ lastStep: step, updatedAt: sql`now()` }).where(eq(totpFactors.userId, user.id));
          accepted = { action: "user.second_factor_verified" };
        }
      } else {
        const used = await tx
          .update(recoveryCodes)
          .set({ usedAt: sql`now()` })
          .where(and(eq(recoveryCodes.userId, user.id), inArray(recoveryCodes.codeHash, input.proof.codeHashes), isNull(recoveryCodes.usedAt)))
          .returning({ id: recoveryCodes.id });
        if (used.length > 0) {
          const [{ n }] = (await tx.select({ n: count() }).from(recoveryCodes).where(and(eq(recoveryCodes.userId, user.id), isNull(recoveryCodes.usedAt)))) as [{ n: number }];
          accepted = { action: "user.recovery_code_used", metadata: { remaining: Number(n) } };
        }
      }
    }
    if (!accepted) {
      await addToWindow(asDb(tx), bucket, windowStart, 1);
      const metadata = input.proof.kind === "passkey" ? { during: "sign_in", method: "passkey" } : { during: "sign_in" };
      await recordAudit(tx, { actorId: null, action: "user.second_factor_failed", targetType: "user", targetId: user.id, metadata, context });
      if (challenge.failures + 1 >= CHALLENGE_FAILURES) {
        await tx.delete(secondFactorChallenges).where(eq(secondFactorChallenges.id, challenge.id));
        return { ok: false, reason: "ended" };
      }
      await tx.update(secondFactorChallenges).set({ failures: challenge.failures + 1 }).where(eq(secondFactorChallenges.id, challenge.id));
      return { ok: false, reason: "wrong_code" };
    }
    await tx.delete(secondFactorChallenges).where(eq(secondFactorChallenges.id, challenge.id));
    await recordAudit(tx, { actorId: user.id, action: accepted.action, targetType: "user", targetId: user.id, metadata: accepted.metadata, context });
    // The sign-in happens now, not when the password was accepted (lib/auth/credentials.ts).
    await recordSignIn(tx, user.id, context);
    return { ok: true, user };
  });
}
