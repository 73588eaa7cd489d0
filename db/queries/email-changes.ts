import { and, eq, isNull, sql } from "drizzle-orm";
import type { RequestContext } from "@/lib/audit-events";
import { sqlNow, sqlNowPlus } from "@/lib/clock";
import { AppError, isUniqueViolation } from "@/lib/errors";
import type { Database } from "../client";
import { emailChanges, users } from "../schema";
import { recordAudit } from "./audit";
import { addToWindow, windowCounts } from "./rate-limits";
import { PASSWORD_CHANGE_FAILURES, PASSWORD_CHANGE_WINDOW_MS } from "./users";

export type EmailChangeRequest =
  | { ok: true; oldEmail: string; name: string }
  | { ok: false; reason: "wrong_password" | "rate_limited" | "email_taken"; retryAfterSeconds: number };

/**
 * A signed-in user asks to move their account to a new address. In one transaction, on the locked
 * user row: the current password is checked under the same per-account limit as a password change
 * (a wrong one commits only its count and an audit event), the address must be free, the older
 * pending change is deleted, and the new one is stored with its token's digest and audited.
 */
export async function issueEmailChange(
  db: Database,
  userId: string,
  input: { checkCurrent: (passwordHash: string) => Promise<boolean>; newEmail: string; tokenHash: string; lifetimeMs: number; clockOffsetMs: number },
  context: RequestContext,
  now = Date.now(),
): Promise<EmailChangeRequest> {
  const windowStart = new Date(Math.floor(now / PASSWORD_CHANGE_WINDOW_MS) * PASSWORD_CHANGE_WINDOW_MS);
  const retryAfterSeconds = Math.max(1, Math.ceil((windowStart.getTime() + PASSWORD_CHANGE_WINDOW_MS - now) / 1000));
  const bucket = `password-change:${userId}`;
  return db.transaction(async (tx) => {
    const [row] = await tx
      .select({ passwordHash: users.passwordHash, email: users.email, name: users.name, sessionVersion: users.sessionVersion })
      .from(users)
      .where(and(eq(users.id, userId), isNull(users.deletedAt), isNull(users.suspendedAt)))
      .for("update");
    if (!row) throw new AppError("session_expired");
    const failures = (await windowCounts(tx as unknown as Database, [bucket], windowStart)).get(bucket) ?? 0;
    if (failures >= PASSWORD_CHANGE_FAILURES) return { ok: false, reason: "rate_limited", retryAfterSeconds };
    if (!(await input.checkCurrent(row.passwordHash))) {
      await addToWindow(tx as unknown as Database, bucket, windowStart, 1);
      await recordAudit(tx, { actorId: null, action: "user.password_change_failed", targetType: "user", targetId: userId, metadata: { for: "email_change" }, context });
      return { ok: false, reason: "wrong_password", retryAfterSeconds };
    }
    const [taken] = await tx.select({ id: users.id }).from(users).where(eq(users.email, input.newEmail)).limit(1);
    if (taken) return { ok: false, reason: "email_taken", retryAfterSeconds };
    await tx.delete(emailChanges).where(eq(emailChanges.userId, userId));
    await tx.insert(emailChanges).values({
      userId,
      newEmail: input.newEmail,
      tokenHash: input.tokenHash,
      sessionVersion: row.sessionVersion,
      expiresAt: sqlNowPlus(input.clockOffsetMs, input.lifetimeMs),
    });
    await recordAudit(tx, { actorId: userId, action: "user.email_change_requested", targetType: "user", targetId: userId, metadata: { to: input.newEmail }, context });
    return { ok: true, oldEmail: row.email, name: row.name };
  });
}

/**
 * Spends a confirmation link: the pending change and its account are locked; the link must exist,
 * be unexpired and belong to the account's current session version; the email is replaced (still
 * free: the unique index decides), every pending change of the account is deleted, and the change
 * is audited. Anything wrong answers email_change_invalid (or email_taken) and changes nothing.
 */
export async function consumeEmailChange(db: Database, input: { tokenHash: string; clockOffsetMs: number }, context: RequestContext): Promise<{ from: string; to: string }> {
  try {
    return await db.transaction(async (tx) => {
      const [change] = await tx
        .select({
          userId: emailChanges.userId,
          newEmail: emailChanges.newEmail,
          sessionVersion: emailChanges.sessionVersion,
          live: sql<boolean>`${emailChanges.expiresAt} > ${sqlNow(input.clockOffsetMs)}`,
        })
        .from(emailChanges)
        .where(eq(emailChanges.tokenHash, input.tokenHash))
        .for("update");
      if (!change || !change.live) throw new AppError("email_change_invalid");
      const [user] = await tx
        .select({ email: users.email })
        .from(users)
        .where(and(eq(users.id, change.userId), eq(users.sessionVersion, change.sessionVersion), isNull(users.deletedAt), isNull(users.suspendedAt)))
        .for("update");
      if (!user) throw new AppError("email_change_invalid");
      await tx.update(users).set({ email: change.newEmail, updatedAt: sql`now()` }).where(eq(users.id, change.userId));
      await tx.delete(emailChanges).where(eq(emailChanges.userId, change.userId));
      await recordAudit(tx, { actorId: change.userId, action: "user.email_changed", targetType: "user", targetId: change.userId, metadata: { from: user.email, to: change.newEmail }, context });
      return { from: user.email, to: change.newEmail };
    });
  } catch (error) {
    if (isUniqueViolation(error, "users_email_key")) throw new AppError("email_taken");
    throw error;
  }
}
