import { and, asc, count, eq, isNull, lt, sql } from "drizzle-orm";
import type { RequestContext } from "@/lib/audit-events";
import { sqlNow } from "@/lib/clock";
import { AppError, isUniqueViolation } from "@/lib/errors";
import type { Database } from "../client";
import { passkeyChallenges, passkeys, users, type Passkey } from "../schema";
import { recordAudit } from "./audit";
import { assertMayGiveUpFactor } from "./second-factor";
import { addToWindow, windowCounts } from "./rate-limits";
import { PASSWORD_CHANGE_FAILURES, PASSWORD_CHANGE_WINDOW_MS, type SessionUser } from "./users";

type Tx = Parameters<Parameters<Database["transaction"]>[0]>[0];
type ChallengePurpose = (typeof passkeyChallenges.$inferSelect)["purpose"];

/** A change of factor is refused when the current password is wrong, under the password change's limit. */
export type PasswordRefusal = { ok: false; reason: "wrong_password" | "rate_limited"; retryAfterSeconds: number };
type CheckCurrent = (passwordHash: string) => Promise<boolean>;

/**
 * The current password, checked on the locked user row under the same per-account limit as a
 * password change (one bucket: guesses through either form count together). A wrong one commits
 * only its count and an audit event.
 */
async function checkPassword(tx: Tx, userId: string, passwordHash: string, checkCurrent: CheckCurrent, context: RequestContext, now: number): Promise<PasswordRefusal | null> {
  const windowStart = new Date(Math.floor(now / PASSWORD_CHANGE_WINDOW_MS) * PASSWORD_CHANGE_WINDOW_MS);
  const retryAfterSeconds = Math.max(1, Math.ceil((windowStart.getTime() + PASSWORD_CHANGE_WINDOW_MS - now) / 1000));
  const bucket = `password-change:${userId}`;
  const failures = (await windowCounts(tx as unknown as Database, [bucket], windowStart)).get(bucket) ?? 0;
  if (failures >= PASSWORD_CHANGE_FAILURES) return { ok: false, reason: "rate_limited", retryAfterSeconds };
  if (await checkCurrent(passwordHash)) return null;
  await addToWindow(tx as unknown as Database, bucket, windowStart, 1);
  await recordAudit(tx, { actorId: null, action: "user.password_change_failed", targetType: "user", targetId: userId, metadata: { for: "passkey" }, context });
  return { ok: false, reason: "wrong_password", retryAfterSeconds };
}

/** The signed-in user's row, locked: gone, suspended or signed out since (another session version) is an ended session. */
async function lockActiveUser(tx: Tx, userId: string, sessionVersion?: number) {
  const [row] = await tx
    .select({ email: users.email, name: users.name, role: users.role, passwordHash: users.passwordHash, sessionVersion: users.sessionVersion })
    .from(users)
    .where(and(eq(users.id, userId), isNull(users.deletedAt), isNull(users.suspendedAt), sessionVersion === undefined ? undefined : eq(users.sessionVersion, sessionVersion)))
    .for("update");
  if (!row) throw new AppError("session_expired");
  return row;
}

type NewChallenge = { tokenHash: string; purpose: ChallengePurpose; userId: string | null; sessionVersion: number | null; challenge: string; lifetimeMs: number; clockOffsetMs: number };

async function insertChallenge(db: Database | Tx, input: NewChallenge): Promise<void> {
  // Expired ceremonies are pruned as new ones start (by the database's own clock), so anonymous
  // sign-in attempts cannot pile rows up.
  await db.delete(passkeyChallenges).where(lt(passkeyChallenges.expiresAt, sql`now()`));
  await db.insert(passkeyChallenges).values({
    tokenHash: input.tokenHash,
    purpose: input.purpose,
    userId: input.userId,
    sessionVersion: input.sessionVersion,
    challenge: input.challenge,
    expiresAt: sql`${sqlNow(input.clockOffsetMs)} + make_interval(secs => ${input.lifetimeMs / 1000})`,
  });
}

/** A sign-in challenge (no user: usernameless; a user: their passkeys only, for a second-factor check). */
export async function issueAuthenticationChallenge(db: Database, input: Omit<NewChallenge, "purpose" | "sessionVersion">): Promise<void> {
  await insertChallenge(db, { ...input, purpose: "authentication", sessionVersion: null });
}

/** The credentials a user already has, so the authenticator does not make a second one (and a second-factor check names them). */
export async function credentialsOf(db: Database | Tx, userId: string): Promise<{ credentialId: string; transports: string[] }[]> {
  return db.select({ credentialId: passkeys.credentialId, transports: passkeys.transports }).from(passkeys).where(eq(passkeys.userId, userId)).orderBy(asc(passkeys.createdAt));
}

/**
 * Starts adding a passkey: on the locked user row, the current password is checked (A-03: a new
 * factor needs the current credential), then the challenge is stored bound to this user and
 * session version, with the digest of the browser's cookie token.
 */
export async function startPasskeyRegistration(
  db: Database,
  userId: string,
  input: { checkCurrent: CheckCurrent; tokenHash: string; challenge: string; lifetimeMs: number; clockOffsetMs: number },
  context: RequestContext,
  now = Date.now(),
): Promise<PasswordRefusal | { ok: true; email: string; name: string; existing: { credentialId: string; transports: string[] }[] }> {
  return db.transaction(async (tx) => {
    const user = await lockActiveUser(tx, userId);
    const refused = await checkPassword(tx, userId, user.passwordHash, input.checkCurrent, context, now);
    if (refused) return refused;
    await insertChallenge(tx, { ...input, purpose: "registration", userId, sessionVersion: user.sessionVersion });
    return { ok: true, email: user.email, name: user.name, existing: await credentialsOf(tx, userId) };
  });
}

/**
 * Spends a challenge: found by the digest of the browser's token and deleted in one statement, so
 * it answers once, whether the answer then verifies or not. Null: no such challenge (never issued,
 * already used, another purpose). `live` says whether it was still within its lifetime.
 */
export async function takePasskeyChallenge(
  db: Database,
  input: { tokenHash: string; purpose: ChallengePurpose; clockOffsetMs: number },
): Promise<{ userId: string | null; sessionVersion: number | null; challenge: string; live: boolean } | null> {
  const [row] = await db
    .delete(passkeyChallenges)
    .where(and(eq(passkeyChallenges.tokenHash, input.tokenHash), eq(passkeyChallenges.purpose, input.purpose)))
    .returning({
      userId: passkeyChallenges.userId,
      sessionVersion: passkeyChallenges.sessionVersion,
      challenge: passkeyChallenges.challenge,
      live: sql<boolean>`${passkeyChallenges.expiresAt} > ${sqlNow(input.clockOffsetMs)}`,
    });
  return row ?? null;
}

export type NewPasskey = Pick<Passkey, "name" | "credentialId" | "publicKey" | "counter" | "transports" | "deviceType" | "backedUp">;

/**
 * Stores a verified new passkey. In one transaction, on the user row locked at the session version
 * the challenge was issued under: the current password again (the one the browser then signs in
 * with), the per-account limit, the insert (a credential registered anywhere here already is
 * refused by the unique index), every other session ended, and the audit row.
 */
export async function addPasskey(
  db: Database,
  userId: string,
  input: { sessionVersion: number; checkCurrent: CheckCurrent; passkey: NewPasskey; maxPerUser: number },
  context: RequestContext,
  now = Date.now(),
): Promise<PasswordRefusal | { ok: true; email: string; id: string }> {
  try {
    return await db.transaction(async (tx) => {
      const user = await lockActiveUser(tx, userId, input.sessionVersion);
      const refused = await checkPassword(tx, userId, user.passwordHash, input.checkCurrent, context, now);
      if (refused) return refused;
      const [held] = await tx.select({ n: count() }).from(passkeys).where(eq(passkeys.userId, userId));
      if ((held?.n ?? 0) >= input.maxPerUser) throw new AppError("passkey_limit_reached");
      const [row] = await tx.insert(passkeys).values({ ...input.passkey, userId }).returning({ id: passkeys.id });
      await tx.update(users).set({ sessionVersion: sql`${users.sessionVersion} + 1`, updatedAt: sql`now()` }).where(eq(users.id, userId));
      await recordAudit(tx, { actorId: userId, action: "user.passkey_added", targetType: "user", targetId: userId, metadata: { name: input.passkey.name, backedUp: input.passkey.backedUp }, context });
      return { ok: true as const, email: user.email, id: row!.id };
    });
  } catch (error) {
    if (isUniqueViolation(error, "passkeys_credential_id_key")) throw new AppError("passkey_exists");
    throw error;
  }
}

export type PasskeyListItem = Pick<Passkey, "id" | "name" | "createdAt" | "lastUsedAt" | "backedUp" | "deviceType">;

/** Profile -> Passkeys: the user's own, oldest first. */
export async function listPasskeys(db: Database, userId: string): Promise<PasskeyListItem[]> {
  return db
    .select({ id: passkeys.id, name: passkeys.name, createdAt: passkeys.createdAt, lastUsedAt: passkeys.lastUsedAt, backedUp: passkeys.backedUp, deviceType: passkeys.deviceType })
    .from(passkeys)
    .where(eq(passkeys.userId, userId))
    .orderBy(asc(passkeys.createdAt), asc(passkeys.id));
}

/** Renames one of the user's passkeys (the owner in the same `where` as the id; someone else's is not found). */
export async function renamePasskey(db: Database, userId: string, passkeyId: string, name: string, context: RequestContext): Promise<{ name: string }> {
  return db.transaction(async (tx) => {
    const [old] = await tx.select({ name: passkeys.name }).from(passkeys).where(and(eq(passkeys.id, passkeyId), eq(passkeys.userId, userId))).for("update");
    if (!old) throw new AppError("passkey_not_found");
    await tx.update(passkeys).set({ name, updatedAt: sql`now()` }).where(and(eq(passkeys.id, passkeyId), eq(passkeys.userId, userId)));
    await recordAudit(tx, { actorId: userId, action: "user.passkey_renamed", targetType: "user", targetId: userId, metadata: { from: old.name, to: name }, context });
    return { name };
  });
}

/**
 * Removes one of the user's passkeys: the owner in the same `where` as the id; not the user's last
 * second factor while the policy requires one of them (assertMayGiveUpFactor, the same rule as
 * turning the app off, on the same locked row); with the current password (checked on the locked
 * row, under the limit); every other session ended, audited.
 */
export async function removePasskey(
  db: Database,
  userId: string,
  passkeyId: string,
  input: { checkCurrent: CheckCurrent },
  context: RequestContext,
  now = Date.now(),
): Promise<PasswordRefusal | { ok: true; email: string; name: string }> {
  return db.transaction(async (tx) => {
    const user = await lockActiveUser(tx, userId);
    const [held] = await tx.select({ id: passkeys.id }).from(passkeys).where(and(eq(passkeys.id, passkeyId), eq(passkeys.userId, userId))).for("update");
    if (!held) throw new AppError("passkey_not_found");
    // Refused before the password is asked about: the answer would not change, and a guess would be spent.
    await assertMayGiveUpFactor(tx, userId, user.role, "passkey");
    const refused = await checkPassword(tx, userId, user.passwordHash, input.checkCurrent, context, now);
    if (refused) return refused;
    const [gone] = await tx.delete(passkeys).where(and(eq(passkeys.id, passkeyId), eq(passkeys.userId, userId))).returning({ name: passkeys.name });
    if (!gone) throw new AppError("passkey_not_found");
    await tx.update(users).set({ sessionVersion: sql`${users.sessionVersion} + 1`, updatedAt: sql`now()` }).where(eq(users.id, userId));
    await recordAudit(tx, { actorId: userId, action: "user.passkey_removed", targetType: "user", targetId: userId, metadata: { name: gone.name }, context });
    return { ok: true as const, email: user.email, name: gone.name };
  });
}

/** The passkey an assertion names, with its account (as a session sees it). */
export async function findPasskeyByCredentialId(db: Database, credentialId: string): Promise<{ passkey: Passkey; user: SessionUser } | null> {
  const [row] = await db
    .select({
      passkey: passkeys,
      user: { id: users.id, email: users.email, name: users.name, role: users.role, sessionVersion: users.sessionVersion, suspendedAt: users.suspendedAt, deletedAt: users.deletedAt },
    })
    .from(passkeys)
    .innerJoin(users, eq(users.id, passkeys.userId))
    .where(eq(passkeys.credentialId, credentialId))
    .limit(1);
  return row ?? null;
}

/**
 * Records a verified use: the new counter and backup state, on the condition that the counter is
 * still the one the assertion was checked against. Two answers racing with one counter value: the
 * second changes nothing and is refused (false).
 */
export async function recordPasskeyUse(db: Database, input: { id: string; expectedCounter: number; newCounter: number; backedUp: boolean }): Promise<boolean> {
  const rows = await db
    .update(passkeys)
    .set({ counter: input.newCounter, backedUp: input.backedUp, lastUsedAt: sql`now()`, updatedAt: sql`now()` })
    .where(and(eq(passkeys.id, input.id), eq(passkeys.counter, input.expectedCounter)))
    .returning({ id: passkeys.id });
  return rows.length === 1;
}
