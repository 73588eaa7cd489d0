import "server-only";
// The account commands: a user's own profile and password, and an admin's changes to other users
// (role, suspension, deletion). Server actions and /api/v1 handlers are thin adapters over these.
// Every permission check that depends on a user row (the actor still an active admin, the target
// not deleted, the last active admin kept) runs inside the transaction that changes the row, on
// the rows as locked (db/queries/admin-users.ts, db/queries/users.ts).
import type { Database } from "@/db";
import { deleteUser, reinstateUser, setUserRole, suspendUser } from "@/db/queries/admin-users";
import { credentialsOf } from "@/db/queries/passkeys";
import { secondFactorStatus } from "@/db/queries/second-factor";
import { changePassword, confirmPassword, updateUserName } from "@/db/queries/users";
import { assertRecentAuthentication } from "../accounts/step-up";
import { mintStepUpProof } from "../auth/step-up-proof";
import { appNow } from "../clock";
import { AppError } from "../errors";
import type { RelyingParty } from "../passkeys/rules";
import { hashPassword, verifyPassword } from "../password";
import type { IdentityConfirmation } from "../validation/account.schema";
import { uuidSchema } from "../validation/common";
import type { Actor } from "./actor";
import { checkStepUpPasskey } from "./passkeys";
import { checkStepUpCode } from "./second-factor";

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

/** The ways the signed-in user can confirm who they are besides the password ("Confirm it's you" offers these). */
export async function stepUpMethods(db: Database, actor: Actor): Promise<{ passkey: boolean; totp: boolean }> {
  if (actor.key) throw new AppError("not_found");
  const [passkeys, factor] = await Promise.all([credentialsOf(db, actor.userId), secondFactorStatus(db, actor.userId)]);
  return { passkey: passkeys.length > 0, totp: factor.enabled };
}

/** A confirmation as the command takes it: the parsed form, plus for a passkey this browser's challenge token and the relying party. */
export type IdentityProof = IdentityConfirmation & { challengeToken?: string; rp?: RelyingParty | null };

/**
 * The signed-in user confirms who they are (step-up), the one command for every way: the password
 * (under the same wrong-guess limit as a password change), a code from the authenticator app (one
 * time, under the sign-in's wrong-code limit: lib/commands/second-factor.ts), or a passkey (an
 * assertion bound to this user: lib/commands/passkeys.ts). A recovery code never counts: it is for
 * a lost device. Audited either way as `user.reauthenticated` / `user.reauthentication_failed`
 * with the method. Returns the proof the session update takes (lib/auth/step-up-proof.ts) and when
 * it was made.
 */
export async function confirmIdentity(db: Database, actor: Actor, input: IdentityProof, sessionVersion: number): Promise<{ proof: string; at: Date }> {
  if (actor.key) throw new AppError("not_found");
  const now = appNow(actor.clockOffsetMs);
  if (input.method === "totp") await checkStepUpCode(db, actor, { code: input.code });
  else if (input.method === "passkey") await checkStepUpPasskey(db, actor, input.rp ?? null, { response: input.response, challengeToken: input.challengeToken });
  else await checkPassword(db, actor, input.password, now);
  const at = Math.floor(now.getTime() / 1000);
  return { proof: mintStepUpProof(actor.userId, sessionVersion, at), at: new Date(at * 1000) };
}

async function checkPassword(db: Database, actor: Actor, password: string, now: Date): Promise<void> {
  const result = await confirmPassword(db, actor.userId, (hash) => verifyPassword(hash, password), actor.context, now.getTime());
  if (result.ok) return;
  if (result.reason === "rate_limited") {
    const minutes = Math.ceil(result.retryAfterSeconds / 60);
    throw new AppError("rate_limited", { message: `Too many wrong passwords. Wait ${minutes} minute${minutes === 1 ? "" : "s"}, then try again, or sign out and sign in again.` });
  }
  throw new AppError("wrong_password", { fieldErrors: { password: "This is not your password. Type the password you sign in with." } });
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
