import "server-only";
// The account commands: a user's own profile and password, and an admin's changes to other users
// (role, suspension, deletion). Server actions and /api/v1 handlers are thin adapters over these.
// Every permission check that depends on a user row (the actor still an active admin, the target
// not deleted, the last active admin kept) runs inside the transaction that changes the row, on
// the rows as locked (db/queries/admin-users.ts, db/queries/users.ts).
import type { Database } from "@/db";
import { deleteUser, reinstateUser, setUserRole, suspendUser } from "@/db/queries/admin-users";
import { changePassword, confirmPassword, updateUserName } from "@/db/queries/users";
import { assertRecentAuthentication } from "../accounts/step-up";
import { mintStepUpProof } from "../auth/step-up-proof";
import { appNow } from "../clock";
import { AppError } from "../errors";
import { hashPassword, verifyPassword } from "../password";
import { uuidSchema } from "../validation/common";
import type { Actor } from "./actor";

/** A user id from a form or a URL: anything else is a user that does not exist. */
function userIdOrNotFound(id: unknown): string {
  const parsed = uuidSchema.safeParse(id);
  if (!parsed.success) throw new AppError("user_not_found");
  return parsed.data;
}

/** Renames the actor's own account (the Profile page, or PATCH /api/v1/profile with a key). */
export async function updateProfile(db: Database, actor: Actor, input: { name: string }) {
  return updateUserName(db, actor.userId, input.name, actor.context, actor.key ? { keyId: actor.key.id } : undefined);
}

/**
 * Changes the actor's own password. Only from a session (a key cannot: it is not the password's
 * holder), and only with the current password, checked on the server on the locked row; wrong
 * guesses are limited per account. Every session ends (the session version moves on): the caller
 * signs its own browser in again with the new password.
 */
export async function changeOwnPassword(db: Database, actor: Actor, input: { currentPassword: string; newPassword: string }): Promise<{ email: string }> {
  if (actor.key) throw new AppError("not_found");
  const newHash = await hashPassword(input.newPassword);
  const result = await changePassword(db, actor.userId, { checkCurrent: (hash) => verifyPassword(hash, input.currentPassword), newHash }, actor.context);
  if (result.ok) return { email: result.email };
  if (result.reason === "rate_limited") {
    const minutes = Math.ceil(result.retryAfterSeconds / 60);
    throw new AppError("rate_limited", {
      message: `Too many wrong current passwords. Wait ${minutes} minute${minutes === 1 ? "" : "s"}, then try again with the password you sign in with.`,
    });
  }
  throw new AppError("wrong_password", { fieldErrors: { currentPassword: "This is not your current password. Type the password you sign in with." } });
}

/** An admin promotes or demotes a user (after a recent authentication); the last active admin cannot be demoted. */
export async function changeUserRole(db: Database, actor: Actor, userId: unknown, role: "admin" | "member") {
  if (actor.key) throw new AppError("not_found");
  assertRecentAuthentication(actor);
  return setUserRole(db, actor.userId, userIdOrNotFound(userId), role, actor.context);
}

/**
 * The signed-in user confirms who they are (step-up) with their password, under the same
 * wrong-guess limit as a password change. Returns the proof the session update takes
 * (lib/auth/step-up-proof.ts) and when it was made; audited either way.
 */
export async function confirmIdentity(db: Database, actor: Actor, input: { password: string }, sessionVersion: number): Promise<{ proof: string; at: Date }> {
  if (actor.key) throw new AppError("not_found");
  const now = appNow(actor.clockOffsetMs);
  const result = await confirmPassword(db, actor.userId, (hash) => verifyPassword(hash, input.password), actor.context, now.getTime());
  if (!result.ok) {
    if (result.reason === "rate_limited") {
      const minutes = Math.ceil(result.retryAfterSeconds / 60);
      throw new AppError("rate_limited", { message: `Too many wrong passwords. Wait ${minutes} minute${minutes === 1 ? "" : "s"}, then try again, or sign out and sign in again.` });
    }
    throw new AppError("wrong_password", { fieldErrors: { password: "This is not your password. Type the password you sign in with." } });
  }
  const at = Math.floor(now.getTime() / 1000);
  return { proof: mintStepUpProof(actor.userId, sessionVersion, at), at: new Date(at * 1000) };
}

/** An admin suspends a user: sessions end and keys stop verifying at once; nothing is deleted. */
export async function suspendAccount(db: Database, actor: Actor, userId: unknown) {
  return suspendUser(db, actor.userId, userIdOrNotFound(userId), actor.context);
}

/** An admin reinstates a suspended user: their otherwise valid keys work again; they sign in again. */
export async function reinstateAccount(db: Database, actor: Actor, userId: unknown) {
  return reinstateUser(db, actor.userId, userIdOrNotFound(userId), actor.context);
}

/** An admin deletes a user: keys revoked, the row anonymised, the audit log kept whole. */
export async function deleteAccount(db: Database, actor: Actor, userId: unknown) {
  return deleteUser(db, actor.userId, userIdOrNotFound(userId), actor.context);
}
