import "server-only";
// Signing up (checklist A-02). Where this deployment can mail a link (SMTP_URL and APP_URL), an open
// sign-up creates no account at once: every address gets the same answer, and only after it (the
// caller's `defer`, next/server's after()) does the address get a mail: a link to finish creating
// the account or, for an address that already has one, a notice. So neither the answer nor its
// time says whether an address has an account. The link's token lives in that mail only; the
// database keeps its SHA-256 digest (db/queries/sign-ups.ts). Opening the link and typing the
// password chosen at sign-up creates the account, in the transaction that spends the link and
// re-applies the sign-up mode. Without mail nothing could confirm an address, so sign-up creates
// the account at once and an address that has one answers email_taken (README, SECURITY.md A-02).
import { createHash } from "node:crypto";
import type { Database } from "@/db";
import { addToWindow } from "@/db/queries/rate-limits";
import { getSignUpSettings } from "@/db/queries/settings";
import { consumePendingSignUp, issuePendingSignUp } from "@/db/queries/sign-ups";
import { createFirstUser, createUser, findUserByEmail, hasAnyUser, type SessionUser } from "@/db/queries/users";
import { digestIfLinkToken, linkTokenDigest, newLinkToken } from "../accounts/link-token";
import { signUpRefusal, signUpRefusalError } from "../accounts/sign-up-policy";
import type { RequestContext } from "../audit-events";
import { config } from "../config";
import { AppError } from "../errors";
import { errorFields, log } from "../log";
import { mailedLink, mailedLinksAvailable, mailedPageLink, sendMail } from "../mail";
import { hashPassword, verifyPassword } from "../password";
import { DAY_MS, HOUR_MS, MINUTE_MS } from "../time";
import { passwordPolicy, passwordsOffFor } from "./sso";

/** A sign-up link works for 24 hours. */
export const SIGN_UP_LINK_LIFETIME_MS = DAY_MS;
/** Sign-up mails (links or notices) one address may be sent per hour; more sign-ups are answered alike and mail nothing. */
export const SIGN_UP_MAILS_PER_ADDRESS_PER_HOUR = 3;
/** Sign-ups one client address may ask for per 15 minutes (answered alike beyond that; nothing is mailed). */
export const SIGN_UP_REQUESTS_PER_CLIENT = 10;
const CLIENT_WINDOW_MS = 15 * MINUTE_MS;
/** Wrong passwords typed at a link before it stops working. */
export const SIGN_UP_PASSWORD_ATTEMPTS = 5;

/** The path of the page a link opens; the token rides in the fragment, which browsers never send to a server. */
export const SIGN_UP_CONFIRM_PATH = "/signup/confirm";

/** Whether sign-up confirms the address by mail here (lib/mail.ts: SMTP and APP_URL). */
export const signUpByEmail = mailedLinksAvailable;

export type SignUpInput = { name: string; email: string; password: string };
/** Created at once (and the caller signs the person in), or a mail is on its way to the address. */
export type SignUpOutcome = { created: SessionUser } | { mailed: true };

/**
 * Signs someone up. Without mail, or for a deployment's first account, the account is created at
 * once. Otherwise the sign-up mode is applied (a refusal depends on the mode and the domain only,
 * never on whether the address has an account), then `defer` is handed the rest, to run after the
 * answer: the limits, the password's hash, the lookup and the mail.
 */
export async function signUp(
  db: Database,
  input: SignUpInput,
  context: RequestContext,
  clockOffsetMs: number,
  defer: (task: () => Promise<void>) => void,
): Promise<SignUpOutcome> {
  const account = { email: input.email, name: input.name, adminEmails: config.adminEmails, passwordPolicy: passwordPolicy() };
  if (!signUpByEmail()) return { created: await createUser(db, { ...account, passwordHash: await hashPassword(input.password) }, context) };
  // An empty deployment has no account to reveal: its first one (the admin) is made at once.
  if (!(await hasAnyUser(db))) {
    const first = await createFirstUser(db, { ...account, passwordHash: await hashPassword(input.password) }, context);
    if (first) return { created: first };
  }
  // Checked again, on the share-locked settings row, in the transaction that spends the link.
  const { mode, domains } = await getSignUpSettings(db);
  const refusal = signUpRefusal({ mode, domains, email: input.email, firstAccount: false });
  if (refusal) throw signUpRefusalError(refusal);
  // Single sign-on only: a password account could not sign in, so none is offered (but to a break-glass
  // admin). Like the mode, this depends on the address's listing, never on whether it has an account.
  if (await passwordsOffFor(db, input.email)) throw new AppError("password_sign_in_off");
  defer(() => mailSignUp(db, input, context, clockOffsetMs));
  return { mailed: true };
}

/**
 * After the answer: the per-client limit, the password's hash (for every address, so the work
 * after the answer is alike too), the per-address limit, then a link for an address without an
 * account or a notice for one with an account. Never throws: a failure is logged (without the
 * token or the address) and mails nothing.
 */
export async function mailSignUp(db: Database, input: SignUpInput, context: RequestContext, clockOffsetMs = 0): Promise<void> {
  try {
    const now = Date.now() + clockOffsetMs;
    const windowOf = (ms: number) => new Date(Math.floor(now / ms) * ms);
    if ((await addToWindow(db, `sign-up:ip:${context.ip ?? "unknown"}`, windowOf(CLIENT_WINDOW_MS), 1)) > SIGN_UP_REQUESTS_PER_CLIENT) {
      log.warn("sign_up.rate_limited", { scope: "address" });
      return;
    }
    const passwordHash = await hashPassword(input.password);
    // The counter is named by the address's digest: the table keeps no address of someone who never got an account.
    const addressKey = createHash("sha256").update(input.email, "utf8").digest("hex").slice(0, 32);
    if ((await addToWindow(db, `sign-up:email:${addressKey}`, windowOf(HOUR_MS), 1)) > SIGN_UP_MAILS_PER_ADDRESS_PER_HOUR) {
      log.warn("sign_up.rate_limited", { scope: "email" });
      return;
    }
    const existing = await findUserByEmail(db, input.email);
    if (existing) {
      await sendMail("sign_up_existing_account", accountExistsMail(existing.email, existing.name));
      return;
    }
    const token = newLinkToken("kss");
    await issuePendingSignUp(db, { email: input.email, name: input.name, passwordHash, tokenHash: linkTokenDigest(token), lifetimeMs: SIGN_UP_LINK_LIFETIME_MS, clockOffsetMs });
    await sendMail("sign_up", signUpMail(input.email, input.name, mailedLink(SIGN_UP_CONFIRM_PATH, token)));
  } catch (error) {
    log.error("sign_up.failed", errorFields(error));
  }
}

/** The mail with a sign-up link (plain text: nothing in it can be a lookalike button). */
export function signUpMail(to: string, name: string, link: string) {
  return {
    to,
    subject: "Finish creating your Keysmith account",
    text: [
      `Hello ${name},`,
      "",
      "Someone, hopefully you, asked to create a Keysmith account with this address. To finish, open this link within 24 hours and type the password you chose:",
      "",
      link,
      "",
      "It works once. If you did not ask for this, ignore this mail: no account is created.",
    ].join("\n"),
  };
}

/** The notice to an address that already has an account. */
export function accountExistsMail(to: string, name: string) {
  return {
    to,
    subject: "Someone tried to create a Keysmith account with your address",
    text: [
      `Hello ${name},`,
      "",
      "Someone tried to create a Keysmith account with this address, which already has one. No second account was created.",
      "",
      `If it was you, sign in: ${mailedPageLink("/login")}`,
      `or, if you forgot your password, reset it: ${mailedPageLink("/forgot-password")}`,
      "",
      "If it was not you, ignore this mail: nothing changed.",
    ].join("\n"),
  };
}

/**
 * Opens a sign-up link: with the password chosen at sign-up, the account is created (the mode
 * re-applied, the link spent), and the caller signs the person in with that password. The password
 * proves the person at the link is the one who signed up: someone who signed up with another
 * person's address cannot have them finish it unknowingly.
 */
export async function confirmSignUp(
  db: Database,
  input: { token: unknown; password: string },
  context: RequestContext,
  clockOffsetMs = 0,
): Promise<SessionUser> {
  const tokenHash = digestIfLinkToken("kss", input.token);
  if (!tokenHash) throw new AppError("sign_up_link_invalid");
  const result = await consumePendingSignUp(
    db,
    {
      tokenHash,
      checkPassword: (hash) => verifyPassword(hash, input.password),
      maxFailedAttempts: SIGN_UP_PASSWORD_ATTEMPTS,
      adminEmails: config.adminEmails,
      passwordPolicy: passwordPolicy(),
      clockOffsetMs,
    },
    context,
  );
  if (result.ok) return result.user;
  if (result.voided) throw new AppError("sign_up_link_invalid", { message: "Too many wrong passwords: this link no longer works. Sign up again to get a new one." });
  throw new AppError("wrong_password", {
    message: "This is not the password you chose when you signed up.",
    fieldErrors: { password: "This is not the password you chose when you signed up. Type that one (the link works for 24 hours)." },
  });
}
