import { and, count, eq, isNull, sql } from "drizzle-orm";
import type { RequestContext } from "@/lib/audit-events";
import { AppError, isUniqueViolation } from "@/lib/errors";
import type { Database } from "../client";
import type { MfaPolicy } from "@/lib/mfa/policy";
import { appSettings, users, type User } from "../schema";
import { signUpRefusal, signUpRefusalError } from "@/lib/accounts/sign-up-policy";
import { recordAudit } from "./audit";
import { addToWindow, windowCounts } from "./rate-limits";
import { hasSecondFactorSql } from "./second-factor";
import { assertPasswordAllowed, lockSignUpSettings, type PasswordPolicy } from "./settings";

export type SessionUser = Pick<User, "id" | "email" | "name" | "role" | "sessionVersion" | "suspendedAt" | "deletedAt">;
/** The session's user with what the second-factor policy needs (lib/session.ts). */
export type SessionUserWithFactor = SessionUser & { hasSecondFactor: boolean; mfaPolicy: MfaPolicy };
const sessionColumns = {
  id: users.id,
  email: users.email,
  name: users.name,
  role: users.role,
  sessionVersion: users.sessionVersion,
  suspendedAt: users.suspendedAt,
  deletedAt: users.deletedAt,
};

/** Whether any account exists yet (the first one to sign up becomes the admin). */
export async function hasAnyUser(db: Database): Promise<boolean> {
  const [row] = await db.select({ id: users.id }).from(users).limit(1);
  return !!row;
}

export async function findUserByEmail(db: Database, email: string): Promise<User | undefined> {
  const [user] = await db.select().from(users).where(eq(users.email, email)).limit(1);
  return user;
}

export async function findUserById(db: Database, id: string): Promise<SessionUserWithFactor | undefined> {
  // One round trip per request: the user, whether they have a second factor, and the policy.
  const [user] = await db
    .select({
      ...sessionColumns,
      hasSecondFactor: hasSecondFactorSql(sql`${users}.id`),
      mfaPolicy: sql<MfaPolicy | null>`(select ${appSettings.mfaPolicy} from ${appSettings} where ${appSettings.id} = 1)`,
    })
    .from(users)
    .where(eq(users.id, id))
    .limit(1);
  return user ? { ...user, hasSecondFactor: !!user.hasSecondFactor, mfaPolicy: user.mfaPolicy ?? "optional" } : undefined;
}

type Tx = Parameters<Parameters<Database["transaction"]>[0]>[0];
/** `passwordPolicy`: while single sign-on is the only way in, only a break-glass admin's account may be made with a password (assertPasswordAllowed). */
type SignUp = { email: string; name: string; passwordHash: string; adminEmails: string[]; passwordPolicy?: PasswordPolicy };

/**
 * The account a sign-up creates, inside the caller's transaction. The first account becomes an
 * admin, as do addresses in ADMIN_EMAILS. A transaction-level advisory lock serialises concurrent
 * sign-ups, so two people racing on an empty database cannot both become "the first". Who may sign
 * up (the mode an admin sets, lib/accounts/sign-up-policy.ts) is read and share-locked in this
 * transaction and decided before the address is looked at: a refusal is the same whether it has an
 * account or not. `onlyFirst`: create nothing (null) unless this is the deployment's first account.
 * An address that has an account fails on the unique index (users_email_key): the caller says what
 * that means.
 */
export async function insertSignedUpUser(
  tx: Tx,
  input: SignUp,
  context: RequestContext,
  options: { onlyFirst?: boolean; confirmedByEmail?: boolean } = {},
): Promise<SessionUser | null> {
  await tx.execute(sql`select pg_advisory_xact_lock(7310001)`);
  const [{ n }] = (await tx.select({ n: count() }).from(users)) as [{ n: number }];
  if (options.onlyFirst && n > 0) return null;
  const settings = await lockSignUpSettings(tx);
  const refusal = signUpRefusal({ ...settings, email: input.email, firstAccount: n === 0 });
  if (refusal) throw signUpRefusalError(refusal);
  const role = n === 0 || input.adminEmails.includes(input.email) ? "admin" : "member";
  if (n > 0 && input.passwordPolicy) await assertPasswordAllowed(tx, { email: input.email, role }, input.passwordPolicy);
  const [user] = await tx
    .insert(users)
    .values({ email: input.email, name: input.name, passwordHash: input.passwordHash, role })
    .returning(sessionColumns);
  await recordAudit(tx, {
    actorId: user!.id,
    action: "user.signed_up",
    targetType: "user",
    targetId: user!.id,
    metadata: { role, ...(options.confirmedByEmail ? { confirmed: "email" } : {}) },
    context,
  });
  return user!;
}

const EMAIL_TAKEN = () => new AppError("email_taken", { fieldErrors: { email: "An account with this email already exists. Sign in instead." } });

/**
 * Creates an account by signing up, at once (a deployment that cannot mail a confirmation link,
 * the first account, tests and scripts): insertSignedUpUser in a transaction of its own; an
 * address that has an account answers email_taken.
 */
export async function createUser(db: Database, input: SignUp, context: RequestContext): Promise<SessionUser> {
  try {
    return (await db.transaction(async (tx) => insertSignedUpUser(tx, input, context)))!;
  } catch (error) {
    if (isUniqueViolation(error, "users_email_key")) throw EMAIL_TAKEN();
    throw error;
  }
}

/** Creates the deployment's first account, or nothing (null) when it already has one. */
export async function createFirstUser(db: Database, input: SignUp, context: RequestContext): Promise<SessionUser | null> {
  return db.transaction(async (tx) => insertSignedUpUser(tx, input, context, { onlyFirst: true }));
}

export async function updateUserName(db: Database, userId: string, name: string, context: RequestContext, via?: { keyId: string }) {
  return db.transaction(async (tx) => {
    const [user] = await tx
      .update(users)
      .set({ name, updatedAt: sql`now()` })
      .where(eq(users.id, userId))
      .returning({ id: users.id, email: users.email, name: users.name, role: users.role, createdAt: users.createdAt });
    if (!user) throw new AppError("user_not_found");
    await recordAudit(tx, {
      actorId: userId,
      action: "user.profile_updated",
      targetType: "user",
      targetId: userId,
      metadata: { name, ...(via ? { via: "api_key", viaKeyId: via.keyId } : {}) },
      context,
    });
    return user;
  });
}

/** The account's profile; user_not_found (404) when it is gone (deleted since the caller was checked). */
export async function getProfile(db: Database, userId: string) {
  const [user] = await db
    .select({ id: users.id, email: users.email, name: users.name, role: users.role, createdAt: users.createdAt })
    .from(users)
    .where(eq(users.id, userId))
    .limit(1);
  if (!user) throw new AppError("user_not_found");
  return user;
}

/**
 * Signs a user out everywhere: each session cookie carries the version it was issued under, and
 * currentUser() refuses any other, so every copy of the cookie stops working on its next request.
 * The user signing out (actor = user) or an admin ending their sessions; audited in the same
 * transaction.
 */
export async function endSessions(db: Database, userId: string, context: RequestContext, actorId: string = userId): Promise<{ email: string }> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(users)
      .set({ sessionVersion: sql`${users.sessionVersion} + 1`, updatedAt: sql`now()` })
      // A deleted account has no sessions left to end: not found, like an unknown id.
      .where(and(eq(users.id, userId), isNull(users.deletedAt)))
      .returning({ email: users.email });
    if (!row) throw new AppError("user_not_found");
    await recordAudit(tx, {
      actorId,
      action: actorId === userId ? "user.signed_out" : "user.sessions_ended",
      targetType: "user",
      targetId: userId,
      metadata: actorId === userId ? undefined : { email: row.email },
      context,
    });
    return row;
  });
}

/** The password change's window for wrong current passwords, and how many it allows per account. */
export const PASSWORD_CHANGE_WINDOW_MS = 15 * 60_000;
export const PASSWORD_CHANGE_FAILURES = 5;

export type PasswordChange =
  | { ok: true; email: string; sessionVersion: number }
  | { ok: false; reason: "wrong_password" | "rate_limited"; retryAfterSeconds: number };

type CurrentPasswordCheck =
  | { ok: true; email: string }
  | { ok: false; reason: "wrong_password" | "rate_limited"; retryAfterSeconds: number };

/**
 * Checks a user's current password on their locked row, under one wrong-guess limit per account
 * shared by everything that asks for it (changing the password, confirming who you are): the count
 * is read on the locked row, so parallel guesses queue and each sees the ones before. A wrong
 * password commits its count and `failedAction` as an audit event, in the caller's transaction.
 */
async function checkCurrentPassword(
  tx: Database,
  userId: string,
  checkCurrent: (passwordHash: string) => Promise<boolean>,
  failedAction: "user.password_change_failed" | "user.reauthentication_failed",
  context: RequestContext,
  now: number,
  metadata?: Record<string, unknown>,
): Promise<CurrentPasswordCheck> {
  const windowStart = new Date(Math.floor(now / PASSWORD_CHANGE_WINDOW_MS) * PASSWORD_CHANGE_WINDOW_MS);
  const retryAfterSeconds = Math.max(1, Math.ceil((windowStart.getTime() + PASSWORD_CHANGE_WINDOW_MS - now) / 1000));
  const bucket = `password-change:${userId}`;
  const [row] = await tx
    .select({ passwordHash: users.passwordHash, email: users.email })
    .from(users)
    .where(and(eq(users.id, userId), isNull(users.deletedAt), isNull(users.suspendedAt)))
    .for("update");
  if (!row) throw new AppError("session_expired");
  const failures = (await windowCounts(tx, [bucket], windowStart)).get(bucket) ?? 0;
  if (failures >= PASSWORD_CHANGE_FAILURES) return { ok: false, reason: "rate_limited", retryAfterSeconds };
  if (!(await checkCurrent(row.passwordHash))) {
    await addToWindow(tx, bucket, windowStart, 1);
    await recordAudit(tx, { actorId: null, action: failedAction, targetType: "user", targetId: userId, metadata, context });
    return { ok: false, reason: "wrong_password", retryAfterSeconds };
  }
  return { ok: true, email: row.email };
}

/**
 * Changes a user's password, in one transaction on the user's locked row: the current password is
 * checked under the wrong-guess limit (checkCurrentPassword), then the new hash is written and the
 * session version moves on, which ends every other session. A wrong current password commits only
 * its count and an audit event. The caller re-issues its own session at the new version.
 */
export async function changePassword(
  db: Database,
  userId: string,
  input: { checkCurrent: (passwordHash: string) => Promise<boolean>; newHash: string },
  context: RequestContext,
  now = Date.now(),
): Promise<PasswordChange> {
  return db.transaction(async (tx) => {
    const checked = await checkCurrentPassword(tx as unknown as Database, userId, input.checkCurrent, "user.password_change_failed", context, now);
    if (!checked.ok) return checked;
    const [updated] = await tx
      .update(users)
      .set({ passwordHash: input.newHash, sessionVersion: sql`${users.sessionVersion} + 1`, updatedAt: sql`now()` })
      .where(eq(users.id, userId))
      .returning({ sessionVersion: users.sessionVersion });
    await recordAudit(tx, { actorId: userId, action: "user.password_changed", targetType: "user", targetId: userId, context });
    return { ok: true, email: checked.email, sessionVersion: updated!.sessionVersion };
  });
}

/**
 * A signed-in user proves again that they are who the session says (before a sensitive action):
 * the current password under the same wrong-guess limit as a password change, audited either way.
 */
export async function confirmPassword(
  db: Database,
  userId: string,
  checkCurrent: (passwordHash: string) => Promise<boolean>,
  context: RequestContext,
  now = Date.now(),
): Promise<CurrentPasswordCheck> {
  return db.transaction(async (tx) => {
    const method = { method: "password" };
    const checked = await checkCurrentPassword(tx as unknown as Database, userId, checkCurrent, "user.reauthentication_failed", context, now, method);
    if (checked.ok) await recordAudit(tx, { actorId: userId, action: "user.reauthenticated", targetType: "user", targetId: userId, metadata: method, context });
    return checked;
  });
}

/**
 * Audits a step-up checked elsewhere (a passkey: lib/commands/passkeys.ts), with the method and
 * what the check said; the password's and the code's are audited in their own transactions.
 */
export async function recordReauthentication(db: Database, userId: string, outcome: { ok: boolean; metadata: Record<string, unknown> }, context: RequestContext): Promise<void> {
  await recordAudit(db, {
    actorId: outcome.ok ? userId : null,
    action: outcome.ok ? "user.reauthenticated" : "user.reauthentication_failed",
    targetType: "user",
    targetId: userId,
    metadata: outcome.metadata,
    context,
  });
}
