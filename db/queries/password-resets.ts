import { and, eq, isNull, sql } from "drizzle-orm";
import type { RequestContext } from "@/lib/audit-events";
import { sqlNow, sqlNowPlus } from "@/lib/clock";
import { AppError } from "@/lib/errors";
import type { Database } from "../client";
import { passwordResetTokens, users } from "../schema";
import { assertActiveAdmin } from "./admin-guard";
import { recordAudit } from "./audit";
import { assertPasswordAllowed, type PasswordPolicy } from "./settings";

/**
 * A new reset link for an account: its older links are deleted in the same transaction (a newer
 * link voids them), the token's digest is stored with the session version it belongs to, and the
 * link is audited: by the admin who made it (whose role is checked here), or as asked for by email
 * (no actor: anyone can ask).
 */
export async function issueResetToken(
  db: Database,
  input: { userId: string; tokenHash: string; lifetimeMs: number; createdBy: string | null; clockOffsetMs: number; passwordPolicy: PasswordPolicy },
  context: RequestContext,
): Promise<{ email: string; name: string; expiresAt: Date }> {
  return db.transaction(async (tx) => {
    // An admin's link: their role is read in the transaction that writes it.
    if (input.createdBy) await assertActiveAdmin(tx, input.createdBy);
    const [user] = await tx
      .select({ email: users.email, name: users.name, role: users.role, sessionVersion: users.sessionVersion })
      .from(users)
      .where(and(eq(users.id, input.userId), isNull(users.deletedAt)))
      .for("update");
    if (!user) throw new AppError("user_not_found");
    await assertPasswordAllowed(tx, user, input.passwordPolicy);
    await tx.delete(passwordResetTokens).where(eq(passwordResetTokens.userId, input.userId));
    const [row] = await tx
      .insert(passwordResetTokens)
      .values({
        userId: input.userId,
        tokenHash: input.tokenHash,
        sessionVersion: user.sessionVersion,
        createdBy: input.createdBy,
        expiresAt: sqlNowPlus(input.clockOffsetMs, input.lifetimeMs),
      })
      .returning({ expiresAt: passwordResetTokens.expiresAt });
    await recordAudit(tx, {
      actorId: input.createdBy,
      action: input.createdBy ? "user.reset_link_created" : "user.reset_requested",
      targetType: "user",
      targetId: input.userId,
      metadata: input.createdBy ? { email: user.email } : undefined,
      context,
    });
    return { email: user.email, name: user.name, expiresAt: row!.expiresAt };
  });
}

/**
 * Spends a reset link: in one transaction, the token's row and its account are locked; the link
 * must exist, be unexpired and belong to the account's current session version; the password is
 * replaced, every session ends (the version moves on), every link of the account is deleted, and
 * the change is audited. Anything wrong answers reset_link_invalid and changes nothing.
 */
export async function consumeResetToken(
  db: Database,
  input: { tokenHash: string; passwordHash: string; clockOffsetMs: number; passwordPolicy: PasswordPolicy },
  context: RequestContext,
): Promise<{ email: string }> {
  return db.transaction(async (tx) => {
    const [link] = await tx
      .select({ userId: passwordResetTokens.userId, sessionVersion: passwordResetTokens.sessionVersion, live: sql<boolean>`${passwordResetTokens.expiresAt} > ${sqlNow(input.clockOffsetMs)}` })
      .from(passwordResetTokens)
      .where(eq(passwordResetTokens.tokenHash, input.tokenHash))
      .for("update");
    if (!link || !link.live) throw new AppError("reset_link_invalid");
    const [user] = await tx
      .update(users)
      .set({ passwordHash: input.passwordHash, sessionVersion: sql`${users.sessionVersion} + 1`, updatedAt: sql`now()` })
      .where(and(eq(users.id, link.userId), eq(users.sessionVersion, link.sessionVersion), isNull(users.deletedAt)))
      .returning({ email: users.email, role: users.role });
    if (!user) throw new AppError("reset_link_invalid");
    // Made before single sign-on became the only way in: the password it would set could not be used.
    await assertPasswordAllowed(tx, user, input.passwordPolicy);
    await tx.delete(passwordResetTokens).where(eq(passwordResetTokens.userId, link.userId));
    await recordAudit(tx, { actorId: link.userId, action: "user.password_reset", targetType: "user", targetId: link.userId, context });
    return { email: user.email };
  });
}
