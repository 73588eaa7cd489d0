import { eq, lte, sql } from "drizzle-orm";
import type { RequestContext } from "@/lib/audit-events";
import { sqlNow, sqlNowPlus } from "@/lib/clock";
import { AppError, isUniqueViolation } from "@/lib/errors";
import type { Database } from "../client";
import { pendingSignUps } from "../schema";
import type { PasswordPolicy } from "./settings";
import { insertSignedUpUser, type SessionUser } from "./users";

/**
 * Stores a sign-up waiting for its address to confirm: one per address, so a newer one replaces
 * the older (its token, name and password; its wrong-password count starts again), which voids the
 * older link. Expired ones are cleared on the way, so unconfirmed addresses and password hashes do
 * not linger. Nothing is audited: nothing has happened to any account yet.
 */
export async function issuePendingSignUp(
  db: Database,
  input: { email: string; name: string; passwordHash: string; tokenHash: string; lifetimeMs: number; clockOffsetMs: number },
): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.delete(pendingSignUps).where(lte(pendingSignUps.expiresAt, sqlNow(input.clockOffsetMs)));
    const row = {
      name: input.name,
      passwordHash: input.passwordHash,
      tokenHash: input.tokenHash,
      failedAttempts: 0,
      expiresAt: sqlNowPlus(input.clockOffsetMs, input.lifetimeMs),
      createdAt: sql`now()`,
    };
    await tx
      .insert(pendingSignUps)
      .values({ email: input.email, ...row })
      .onConflictDoUpdate({ target: pendingSignUps.email, set: row });
  });
}

export type SignUpConfirmation =
  | { ok: true; user: SessionUser }
  | { ok: false; reason: "wrong_password"; voided: boolean };

/**
 * Spends a sign-up link, in one transaction: its row is locked (FOR UPDATE) and must exist and be
 * unexpired; the password typed at the link must be the one chosen at sign-up (`checkPassword`
 * against the stored hash; a wrong one commits only its count, and the last allowed wrong one
 * deletes the link); then the account is created as a sign-up creates one (insertSignedUpUser:
 * the sign-up mode re-applied on the settings row it share-locks) and the link deleted. An address
 * that meanwhile has an account answers sign_up_link_taken and writes nothing.
 */
export async function consumePendingSignUp(
  db: Database,
  input: { tokenHash: string; checkPassword: (passwordHash: string) => Promise<boolean>; maxFailedAttempts: number; adminEmails: string[]; passwordPolicy: PasswordPolicy; clockOffsetMs: number },
  context: RequestContext,
): Promise<SignUpConfirmation> {
  try {
    return await db.transaction(async (tx) => {
      const [pending] = await tx
        .select({
          id: pendingSignUps.id,
          email: pendingSignUps.email,
          name: pendingSignUps.name,
          passwordHash: pendingSignUps.passwordHash,
          failedAttempts: pendingSignUps.failedAttempts,
          live: sql<boolean>`${pendingSignUps.expiresAt} > ${sqlNow(input.clockOffsetMs)}`,
        })
        .from(pendingSignUps)
        .where(eq(pendingSignUps.tokenHash, input.tokenHash))
        .for("update");
      if (!pending || !pending.live) throw new AppError("sign_up_link_invalid");
      if (!(await input.checkPassword(pending.passwordHash))) {
        const voided = pending.failedAttempts + 1 >= input.maxFailedAttempts;
        if (voided) await tx.delete(pendingSignUps).where(eq(pendingSignUps.id, pending.id));
        else await tx.update(pendingSignUps).set({ failedAttempts: sql`${pendingSignUps.failedAttempts} + 1` }).where(eq(pendingSignUps.id, pending.id));
        return { ok: false, reason: "wrong_password", voided };
      }
      const user = await insertSignedUpUser(
        tx,
        { email: pending.email, name: pending.name, passwordHash: pending.passwordHash, adminEmails: input.adminEmails, passwordPolicy: input.passwordPolicy },
        context,
        { confirmedByEmail: true },
      );
      await tx.delete(pendingSignUps).where(eq(pendingSignUps.id, pending.id));
      return { ok: true, user: user! };
    });
  } catch (error) {
    if (isUniqueViolation(error, "users_email_key")) throw new AppError("sign_up_link_taken");
    throw error;
  }
}
