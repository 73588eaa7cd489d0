import "server-only";
// Changing an account's email: asked for with the current password, confirmed from a link mailed
// to the new address (so nobody moves an account to an address they do not read), with a notice to
// the old one. The link's token lives in that mail only; the database keeps its SHA-256 digest.
import type { Database } from "@/db";
import { consumeEmailChange, issueEmailChange } from "@/db/queries/email-changes";
import { digestIfLinkToken, linkTokenDigest, newLinkToken } from "../accounts/link-token";
import { AppError } from "../errors";
import { mailedLink, mailedLinksAvailable, sendMail } from "../mail";
import { verifyPassword } from "../password";
import { DAY_MS } from "../time";
import type { Actor } from "./actor";

/** A confirmation link works for a day. */
export const EMAIL_CHANGE_LIFETIME_MS = DAY_MS;
export const CONFIRM_EMAIL_PATH = "/confirm-email";

/** Whether an email change can be confirmed here: mail, and APP_URL to build the link from. */
export const emailChangeAvailable = mailedLinksAvailable;

/**
 * The signed-in user asks to move their account to `newEmail`: checked against the current
 * password (the same limit as a password change), then a link goes to the new address and a notice
 * to the old one. Nothing changes until the link is opened.
 */
export async function requestEmailChange(db: Database, actor: Actor, input: { currentPassword: string; newEmail: string }): Promise<{ newEmail: string }> {
  if (actor.key) throw new AppError("not_found");
  if (!emailChangeAvailable()) throw new AppError("mail_unavailable");
  const token = newLinkToken("kse");
  const result = await issueEmailChange(
    db,
    actor.userId,
    {
      checkCurrent: (hash) => verifyPassword(hash, input.currentPassword),
      newEmail: input.newEmail,
      tokenHash: linkTokenDigest(token),
      lifetimeMs: EMAIL_CHANGE_LIFETIME_MS,
      clockOffsetMs: actor.clockOffsetMs,
    },
    actor.context,
  );
  if (!result.ok) {
    if (result.reason === "email_taken") throw new AppError("email_taken", { fieldErrors: { newEmail: "Another account uses this address. Choose another." } });
    if (result.reason === "rate_limited") {
      const minutes = Math.ceil(result.retryAfterSeconds / 60);
      throw new AppError("rate_limited", { message: `Too many wrong current passwords. Wait ${minutes} minute${minutes === 1 ? "" : "s"}, then try again.` });
    }
    throw new AppError("wrong_password", { fieldErrors: { currentPassword: "This is not your current password. Type the password you sign in with." } });
  }
  const link = mailedLink(CONFIRM_EMAIL_PATH, token);
  await sendMail("email_change", {
    to: input.newEmail,
    subject: "Confirm your new Keysmith email",
    text: [
      `Hello ${result.name},`,
      "",
      `To move your Keysmith account from ${result.oldEmail} to this address, open this link within a day:`,
      "",
      link,
      "",
      "It works once. Until you open it, the account keeps its old address.",
      "If you did not ask for this, ignore this mail.",
    ].join("\n"),
  });
  await sendMail("email_change_notice", {
    to: result.oldEmail,
    subject: "Your Keysmith email is about to change",
    text: [
      `Hello ${result.name},`,
      "",
      `Someone signed in to your Keysmith account asked to change its email to ${input.newEmail}. It changes only once that address confirms.`,
      "",
      "If this was not you, sign in, change your password in Settings → Profile (that also cancels the change), and tell your administrator.",
    ].join("\n"),
  });
  return { newEmail: input.newEmail };
}

/** Opens a confirmation link: the account's email becomes the new address. */
export async function confirmEmailChange(db: Database, token: string, context: Actor["context"], clockOffsetMs = 0): Promise<{ from: string; to: string }> {
  const tokenHash = digestIfLinkToken("kse", token);
  if (!tokenHash) throw new AppError("email_change_invalid");
  return consumeEmailChange(db, { tokenHash, clockOffsetMs }, context);
}
