import "server-only";
// The account recovery commands: password reset by email and by an admin's link. Server actions are thin
// adapters over these. A reset link's token exists in the mail (or the one response that shows it
// to the admin) and nowhere else: the database keeps its SHA-256 digest (db/queries/password-resets.ts).
import type { Database } from "@/db";
import { consumeResetToken, issueResetToken } from "@/db/queries/password-resets";
import { addToWindow } from "@/db/queries/rate-limits";
import { findUserByEmail } from "@/db/queries/users";
import { digestIfLinkToken, linkTokenDigest, linkWithToken, newLinkToken } from "../accounts/link-token";
import { assertRecentAuthentication } from "../accounts/step-up";
import type { RequestContext } from "../audit-events";
import { AppError } from "../errors";
import { errorFields, log } from "../log";
import { mailedLink, mailedLinksAvailable, sendMail } from "../mail";
import { hashPassword } from "../password";
import { HOUR_MS, MINUTE_MS } from "../time";
import type { Actor } from "./actor";
import { passwordPolicy } from "./sso";

/** A reset link works for an hour. */
export const RESET_LIFETIME_MS = HOUR_MS;
/** Reset mails one account may be sent per hour (more requests are answered alike and mail nothing). */
export const RESET_MAILS_PER_ACCOUNT_PER_HOUR = 3;
/** Reset requests one client address may make per 15 minutes. */
export const RESET_REQUESTS_PER_ADDRESS = 10;
const ADDRESS_WINDOW_MS = 15 * MINUTE_MS;

/** The path of the page a link opens; the token rides in the fragment, which browsers never send to a server. */
export const RESET_PATH = "/reset-password";

/** Whether a forgotten password can be reset by email here (lib/mail.ts: SMTP and APP_URL). */
export const resetByEmailAvailable = mailedLinksAvailable;

/**
 * "Email me a reset link." The caller answers the same thing whatever happens here, and runs this
 * after the response (so its time says nothing either): the address limit, the account lookup,
 * the per-account limit and the mail. Unknown addresses mail nothing and write nothing.
 */
export async function requestPasswordReset(db: Database, email: string, context: RequestContext, clockOffsetMs = 0): Promise<void> {
  if (!resetByEmailAvailable()) return;
  try {
    // Fixed windows on the counters every process shares (the table the sign-in limiter uses).
    const now = Date.now() + clockOffsetMs;
    const windowOf = (ms: number) => new Date(Math.floor(now / ms) * ms);
    if ((await addToWindow(db, `reset:ip:${context.ip ?? "unknown"}`, windowOf(ADDRESS_WINDOW_MS), 1)) > RESET_REQUESTS_PER_ADDRESS) {
      log.warn("password_reset.rate_limited", { scope: "address" });
      return;
    }
    const user = await findUserByEmail(db, email);
    if (!user) return;
    if ((await addToWindow(db, `reset:account:${user.id}`, windowOf(HOUR_MS), 1)) > RESET_MAILS_PER_ACCOUNT_PER_HOUR) {
      log.warn("password_reset.rate_limited", { scope: "account" });
      return;
    }
    const token = newLinkToken("ksr");
    const issued = await issueResetToken(db, { userId: user.id, tokenHash: linkTokenDigest(token), lifetimeMs: RESET_LIFETIME_MS, createdBy: null, clockOffsetMs, passwordPolicy: passwordPolicy() }, context);
    await sendMail("password_reset", resetMail(issued.email, issued.name, mailedLink(RESET_PATH, token)));
  } catch (error) {
    // Single sign-on only: a password would not let anyone in, so no link is made or sent (but to a break-glass admin).
    if (error instanceof AppError && error.code === "password_sign_in_off") log.info("password_reset.sso_only", {});
    else log.error("password_reset.failed", errorFields(error));
  }
}

/** The mail with a reset link (plain text: nothing in it can be a lookalike button). */
export function resetMail(to: string, name: string, link: string) {
  return {
    to,
    subject: "Reset your Keysmith password",
    text: [
      `Hello ${name},`,
      "",
      "Someone, hopefully you, asked to reset the password of your Keysmith account. To choose a new one, open this link within an hour:",
      "",
      link,
      "",
      "It works once. Setting a new password signs you out everywhere; your API keys keep working.",
      "If you did not ask for this, ignore this mail: your password stays as it is.",
    ].join("\n"),
  };
}

/**
 * An admin makes a one-time reset link for a user (when mail is not set up, or the user cannot
 * receive it): shown once to the admin, audited. Older links of the account stop working.
 */
export async function createResetLink(db: Database, actor: Actor, userId: string, origin: string): Promise<{ link: string; email: string; expiresAt: Date }> {
  if (actor.key) throw new AppError("not_found");
  // It hands out a way into someone else's account: only after a recent authentication (step-up).
  assertRecentAuthentication(actor);
  // The admin's role is checked inside the transaction that writes the link (issueResetToken).
  const token = newLinkToken("ksr");
  const issued = await issueResetToken(
    db,
    { userId, tokenHash: linkTokenDigest(token), lifetimeMs: RESET_LIFETIME_MS, createdBy: actor.userId, clockOffsetMs: actor.clockOffsetMs, passwordPolicy: passwordPolicy() },
    actor.context,
  );
  return { link: linkWithToken(origin, RESET_PATH, token), email: issued.email, expiresAt: issued.expiresAt };
}

/** Sets a new password with a reset link's token: once, within the hour, every session ended. */
export async function resetPassword(db: Database, token: string, password: string, context: RequestContext, clockOffsetMs = 0): Promise<{ email: string }> {
  // Anything not shaped like a token cannot be one (and is not hashed or looked up).
  const tokenHash = digestIfLinkToken("ksr", token);
  if (!tokenHash) throw new AppError("reset_link_invalid");
  return consumeResetToken(db, { tokenHash, passwordHash: await hashPassword(password), clockOffsetMs, passwordPolicy: passwordPolicy() }, context);
}
