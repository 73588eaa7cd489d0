"use server";

import { after } from "next/server";
import { cookies, headers } from "next/headers";
import type { PublicKeyCredentialRequestOptionsJSON } from "@simplewebauthn/server";
import { AuthError, CredentialsSignin } from "next-auth";
import { redirect, unstable_rethrow } from "next/navigation";
import { getDb } from "@/db";
import { endSessions } from "@/db/queries/users";
import { parseInput, toActionState } from "@/lib/action";
import type { ActionState } from "@/lib/action-state";
import { readChallengeCookie } from "@/lib/auth/challenge-cookie";
import { OIDC_PROVIDER_ID, SecondFactorRefused, SecondFactorRequired, SignInPasswordOff, SignInRateLimited, SignInSuspended, SignInUnavailable, signIn, signOut } from "@/lib/auth/config";
import { currentUser } from "@/lib/session";
import { config } from "@/lib/config";
import { AppError, messageOf } from "@/lib/errors";
import { contextFromHeaders } from "@/lib/request-context";
import { sameSitePath } from "@/lib/url-filters";
import { confirmSignUpSchema, forgotPasswordSchema, resetPasswordSchema, signInSchema, signUpSchema } from "@/lib/validation/auth.schema";
import { confirmEmailSchema } from "@/lib/validation/account.schema";
import { requestPasswordReset, resetPassword } from "@/lib/commands/recovery";
import { confirmEmailChange } from "@/lib/commands/email-change";
import { beginSecondFactorPasskey } from "@/lib/commands/second-factor";
import { confirmSignUp, signUp } from "@/lib/commands/sign-up";
import { PASSKEY_CHALLENGE_COOKIE, beginPasskeyAuthentication, challengeCookie, relyingParty } from "@/lib/commands/passkeys";
import { responseText } from "@/lib/validation/passkey.schema";
import { clockOffsetMs } from "@/lib/clock";
import { acceptInvitation, describeInvitation } from "@/lib/commands/invitations";
import { acceptInvitationSchema, invitationTokenInput } from "@/lib/validation/invitation.schema";

const AFTER_SIGN_IN = "/settings/api-keys";

// The password is never echoed back: state carries the email and name only.
function formValues(form: FormData) {
  const get = (k: string) => (typeof form.get(k) === "string" ? (form.get(k) as string) : undefined);
  return { name: get("name"), email: get("email"), password: get("password") };
}

// Matched by type and code as well as class: the error crosses next-auth's internals on its way here.
function isCredentialsSignin(error: unknown): error is CredentialsSignin {
  return error instanceof CredentialsSignin || (error as { type?: unknown } | null)?.type === "CredentialsSignin";
}

function isRateLimited(error: unknown): boolean {
  return error instanceof SignInRateLimited || (isCredentialsSignin(error) && error.code === "rate_limited");
}

function isUnavailable(error: unknown): boolean {
  return error instanceof SignInUnavailable || (isCredentialsSignin(error) && error.code === "unavailable");
}

function isSuspended(error: unknown): boolean {
  return error instanceof SignInSuspended || (isCredentialsSignin(error) && error.code === "suspended");
}

function isPasswordOff(error: unknown): boolean {
  return error instanceof SignInPasswordOff || (isCredentialsSignin(error) && error.code === "password_off");
}

function isSecondFactorRequired(error: unknown): boolean {
  return error instanceof SecondFactorRequired || (isCredentialsSignin(error) && error.code === "second_factor");
}

function secondFactorRefusal(error: unknown): SecondFactorRefused["reason"] | null {
  if (error instanceof SecondFactorRefused) return error.reason;
  const code = isCredentialsSignin(error) ? error.code : undefined;
  return code === "wrong_code" || code === "ended" || code === "invalid" || code === "rate_limited" ? code : null;
}


const SIGN_IN_UNAVAILABLE = "Sign-in is briefly unavailable, so your password was not checked. Try again in a few seconds.";

type SignUpState = ActionState<{ email?: string; name?: string; mailed?: boolean }>;
type SignInState = ActionState<{ email?: string }>;

/**
 * Signs up. Where the deployment mails, the answer to an allowed sign-up is the same for every
 * address, byte for byte ({ ok, mailed }: not even the address is echoed; the page shows what was
 * typed), and the lookup, the password's hash and the mail run after it (lib/commands/sign-up.ts,
 * checklist A-02). Otherwise (and for a deployment's first account) the account is made at once
 * and signed in.
 */
export async function signUpAction(_prev: SignUpState, form: FormData): Promise<SignUpState> {
  const raw = formValues(form);
  const values = { email: raw.email ?? "", name: raw.name ?? "" };
  let input: { name: string; email: string; password: string };
  try {
    input = parseInput(signUpSchema, raw);
    const requestHeaders = await headers();
    const outcome = await signUp(await getDb(), input, contextFromHeaders(requestHeaders), clockOffsetMs(requestHeaders), (task) => after(task));
    if ("mailed" in outcome) return { ok: true, data: { mailed: true } };
  } catch (error) {
    unstable_rethrow(error);
    return { ...toActionState<{ email?: string; name?: string }>("signUp", error), data: values };
  }
  return signInNewAccount(input.email, input.password, values);
}

/** Signs a just-created account in; when that alone fails, says the account exists and what to do. */
async function signInNewAccount<T>(email: string, password: string, values: T): Promise<ActionState<T>> {
  try {
    await signIn("credentials", { email, password, redirectTo: AFTER_SIGN_IN });
    return { ok: true };
  } catch (error) {
    unstable_rethrow(error);
    // The account exists; only the automatic sign-in was refused.
    if (isRateLimited(error)) {
      return { ok: false, message: "Your account was created, but sign-in is paused after too many failed attempts from this network. Wait 15 minutes, then sign in.", data: values };
    }
    if (isUnavailable(error)) {
      return { ok: false, message: "Your account was created, but signing you in failed because the service is briefly unavailable. Sign in in a few seconds.", data: values };
    }
    return { ok: false, message: "Your account was created, but signing you in failed. Sign in with your email and password.", data: values };
  }
}

type ConfirmSignUpState = ActionState<{ refused?: "invalid" | "taken" }>;

/**
 * Finishes a sign-up from the mailed link: the token (from the link's fragment) and the password
 * chosen at sign-up create the account (lib/commands/sign-up.ts), which is then signed in with it.
 */
export async function confirmSignUpAction(_prev: ConfirmSignUpState, form: FormData): Promise<ConfirmSignUpState> {
  const get = (k: string) => (typeof form.get(k) === "string" ? (form.get(k) as string) : undefined);
  let email: string;
  let password: string;
  try {
    const input = parseInput(confirmSignUpSchema, { token: get("token"), password: get("password") });
    const requestHeaders = await headers();
    const user = await confirmSignUp(await getDb(), input, contextFromHeaders(requestHeaders), clockOffsetMs(requestHeaders));
    email = user.email;
    password = input.password;
  } catch (error) {
    unstable_rethrow(error);
    const refused = error instanceof AppError && (error.code === "sign_up_link_invalid" ? "invalid" : error.code === "sign_up_link_taken" ? "taken" : undefined);
    return { ...toActionState<{ refused?: "invalid" | "taken" }>("confirmSignUp", error), ...(refused ? { data: { refused } } : {}) };
  }
  return signInNewAccount(email, password, {});
}

export async function signInAction(_prev: SignInState, form: FormData): Promise<SignInState> {
  const raw = formValues(form);
  const values = { email: raw.email ?? "" };
  try {
    const input = parseInput(signInSchema, raw);
    const redirectTo = sameSitePath(form.get("callbackUrl"), AFTER_SIGN_IN);
    await signIn("credentials", { email: input.email, password: input.password, redirectTo });
    return { ok: true };
  } catch (error) {
    unstable_rethrow(error);
    // The password was right and the account has a second factor: its challenge cookie is set.
    if (isSecondFactorRequired(error)) {
      const next = sameSitePath(form.get("callbackUrl"), AFTER_SIGN_IN);
      redirect(next === AFTER_SIGN_IN ? "/login/verify" : `/login/verify?callbackUrl=${encodeURIComponent(next)}`);
    }
    if (isRateLimited(error)) {
      return {
        ok: false,
        message: "Too many failed sign-in attempts. Wait 15 minutes and try again, or ask an admin to check the audit log.",
        data: values,
      };
    }
    if (isUnavailable(error)) return { ok: false, message: SIGN_IN_UNAVAILABLE, data: values };
    if (isSuspended(error)) return { ok: false, message: messageOf("account_suspended"), data: values };
    if (isPasswordOff(error)) return { ok: false, message: messageOf("password_sign_in_off"), data: values };
    if (isCredentialsSignin(error)) {
      return { ok: false, message: "Email or password is incorrect. Check both and try again.", data: values };
    }
    // Any other Auth.js error wraps a failure that is not about the password: report that.
    const cause = error instanceof AuthError ? ((error.cause as { err?: unknown } | undefined)?.err ?? error) : error;
    return { ...toActionState<{ email?: string }>("signIn", cause), data: values };
  }
}

type VerifyState = ActionState<{ ended?: boolean }>;

/**
 * The second step of a sign-in: a code from the authenticator app or a recovery code, checked
 * against the challenge in the httpOnly cookie (second-factor provider, lib/auth/config.ts). Five
 * wrong codes end the challenge; ten in 15 minutes lock the account's codes for the window.
 */
export async function verifySecondFactorAction(_prev: VerifyState, form: FormData): Promise<VerifyState> {
  const code = typeof form.get("code") === "string" ? (form.get("code") as string).trim() : "";
  if (!code) return { ok: false, fieldErrors: { code: "Type the 6-digit code your authenticator app shows, or a recovery code." }, message: "Some fields need attention." };
  try {
    await signIn("second-factor", { code, redirectTo: sameSitePath(form.get("callbackUrl"), AFTER_SIGN_IN) });
    return { ok: true };
  } catch (error) {
    unstable_rethrow(error);
    const reason = secondFactorRefusal(error);
    if (reason === "wrong_code") {
      return { ok: false, message: messageOf("wrong_code"), fieldErrors: { code: "That code is not right. Codes change every 30 seconds and each works once; a recovery code works once too." } };
    }
    if (reason === "rate_limited") return { ok: false, message: messageOf("second_factor_locked") };
    if (reason === "ended") return { ok: false, message: "Too many wrong codes: this sign-in has ended. Sign in again with your email and password.", data: { ended: true } };
    if (reason === "invalid") return { ok: false, message: messageOf("second_factor_challenge_invalid"), data: { ended: true } };
    if (isUnavailable(error)) return { ok: false, message: "Sign-in is briefly unavailable, so your code was not checked. Try again in a few seconds." };
    const cause = error instanceof AuthError ? ((error.cause as { err?: unknown } | undefined)?.err ?? error) : error;
    return toActionState("verifySecondFactor", cause);
  }
}

/**
 * "Use your passkey" on the verify page, step one: a passkey challenge for the pending sign-in's
 * user (the `ksc_` cookie names it; only their passkeys may answer), bound to this browser by an
 * httpOnly `kspc_` cookie, and the options for the browser's prompt. Without a live sign-in
 * challenge nothing is issued and the page is told the sign-in ended.
 */
export async function beginSecondFactorPasskeyAction(): Promise<ActionState<{ options?: PublicKeyCredentialRequestOptionsJSON; ended?: boolean }>> {
  try {
    const requestHeaders = await headers();
    const rp = relyingParty(requestHeaders);
    const { token, options } = await beginSecondFactorPasskey(await getDb(), rp, {
      token: await readChallengeCookie(),
      clockOffsetMs: clockOffsetMs(requestHeaders),
      ip: contextFromHeaders(requestHeaders).ip,
    });
    (await cookies()).set(PASSKEY_CHALLENGE_COOKIE, token, challengeCookie(rp!));
    return { ok: true, data: { options } };
  } catch (error) {
    unstable_rethrow(error);
    if (error instanceof AppError && error.code === "second_factor_challenge_invalid") return { ok: false, message: messageOf("second_factor_challenge_invalid"), data: { ended: true } };
    return toActionState("beginSecondFactorPasskey", error);
  }
}

/**
 * "Use your passkey", step two: the authenticator's answer goes to the "second-factor" provider,
 * which checks it against this browser's passkey challenge, bound to the sign-in's user, in the
 * transaction that spends the sign-in challenge. A refused passkey counts as a wrong code does.
 */
export async function verifySecondFactorPasskeyAction(response: unknown, callbackUrl?: unknown): Promise<VerifyState> {
  try {
    const text = responseText.safeParse(response);
    if (!text.success) return { ok: false, message: messageOf("passkey_not_accepted") };
    await signIn("second-factor", { passkey: text.data, redirectTo: sameSitePath(callbackUrl, AFTER_SIGN_IN) });
    return { ok: true };
  } catch (error) {
    unstable_rethrow(error);
    const reason = secondFactorRefusal(error);
    if (reason === "wrong_code") return { ok: false, message: "That passkey was not accepted. Try again with a passkey you added to this account." };
    if (reason === "rate_limited") return { ok: false, message: "Too many wrong codes or passkey answers for this account. Wait 15 minutes, then try again." };
    if (reason === "ended") return { ok: false, message: "Too many wrong answers: this sign-in has ended. Sign in again with your email and password.", data: { ended: true } };
    if (reason === "invalid") return { ok: false, message: messageOf("second_factor_challenge_invalid"), data: { ended: true } };
    if (isUnavailable(error)) return { ok: false, message: "Sign-in is briefly unavailable, so your passkey was not checked. Try again in a few seconds." };
    const cause = error instanceof AuthError ? ((error.cause as { err?: unknown } | undefined)?.err ?? error) : error;
    return toActionState("verifySecondFactorPasskey", cause);
  } finally {
    // The passkey challenge is spent either way: the cookie has nothing left to name.
    (await cookies()).delete(PASSKEY_CHALLENGE_COOKIE);
  }
}

/**
 * "Sign in with <IdP>": starts the OpenID Connect flow (Auth.js sets the state, PKCE and nonce
 * cookies and redirects to the IdP). Where SSO is not configured there is nothing to start.
 */
export async function ssoSignInAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  try {
    if (!config.oidc) return { ok: false, message: "Single sign-on is not set up here. Sign in with your email and password." };
    await signIn(OIDC_PROVIDER_ID, { redirectTo: sameSitePath(form.get("callbackUrl"), AFTER_SIGN_IN) });
    return { ok: true };
  } catch (error) {
    unstable_rethrow(error);
    const cause = error instanceof AuthError ? ((error.cause as { err?: unknown } | undefined)?.err ?? error) : error;
    return toActionState("ssoSignIn", cause);
  }
}

/**
 * Signs out everywhere: the session version goes up, so this cookie and any copy of it (another
 * device, a stolen one) stop working on their next request, not merely this browser's.
 */
export async function signOutAction() {
  const user = await currentUser();
  if (user) await endSessions(await getDb(), user.id, contextFromHeaders(await headers()));
  await signOut({ redirectTo: "/login" });
}


/**
 * "Sign in with a passkey", step one: a usernameless challenge bound to this browser (its token
 * in an httpOnly cookie) and the options for the browser's prompt. Anyone may ask.
 */
export async function beginPasskeySignInAction(): Promise<ActionState<{ options: PublicKeyCredentialRequestOptionsJSON }>> {
  try {
    const requestHeaders = await headers();
    const rp = relyingParty(requestHeaders);
    if (!rp) return { ok: false, message: messageOf("passkeys_unavailable") };
    const { token, options } = await beginPasskeyAuthentication(await getDb(), rp, { clockOffsetMs: clockOffsetMs(requestHeaders), ip: contextFromHeaders(requestHeaders).ip });
    (await cookies()).set(PASSKEY_CHALLENGE_COOKIE, token, challengeCookie(rp));
    return { ok: true, data: { options } };
  } catch (error) {
    unstable_rethrow(error);
    return toActionState("beginPasskeySignIn", error);
  }
}

/**
 * "Sign in with a passkey", step two: the authenticator's answer goes to next-auth's "passkey"
 * provider, which checks it against this browser's challenge (lib/auth/passkey.ts). Refusals use
 * the password form's words where they mean the same (suspended, too many attempts, unavailable).
 */
export async function passkeySignInAction(response: unknown, callbackUrl?: unknown): Promise<ActionState> {
  try {
    const text = responseText.safeParse(response);
    if (!text.success) return { ok: false, message: messageOf("passkey_not_accepted") };
    await signIn("passkey", { response: text.data, redirectTo: sameSitePath(callbackUrl, AFTER_SIGN_IN) });
    return { ok: true };
  } catch (error) {
    unstable_rethrow(error);
    if (isRateLimited(error)) return { ok: false, message: "Too many failed sign-in attempts. Wait 15 minutes and try again, or ask an admin to check the audit log." };
    if (isUnavailable(error)) return { ok: false, message: "Sign-in is briefly unavailable, so your passkey was not checked. Try again in a few seconds." };
    if (isSuspended(error)) return { ok: false, message: messageOf("account_suspended") };
    if (isPasswordOff(error)) return { ok: false, message: "Passkeys are turned off here, like passwords: sign in with single sign-on instead." };
    if (isCredentialsSignin(error)) return { ok: false, message: messageOf("passkey_not_accepted") };
    const cause = error instanceof AuthError ? ((error.cause as { err?: unknown } | undefined)?.err ?? error) : error;
    return toActionState("passkeySignIn", cause);
  } finally {
    // The challenge is spent either way: the cookie has nothing left to name.
    (await cookies()).delete(PASSKEY_CHALLENGE_COOKIE);
  }
}

type ForgotState = ActionState<{ email?: string; sent?: boolean }>;


/**
 * "Email me a reset link." Known and unknown addresses get the same answer at the same speed: the
 * lookup and the mail run after the response (next/server `after`), and the answer never depends
 * on them. Only a malformed address is refused, which says nothing about accounts.
 */
export async function requestPasswordResetAction(_prev: ForgotState, form: FormData): Promise<ForgotState> {
  const raw = { email: typeof form.get("email") === "string" ? (form.get("email") as string) : undefined };
  try {
    const { email } = parseInput(forgotPasswordSchema, raw);
    const requestHeaders = await headers();
    const context = contextFromHeaders(requestHeaders);
    const offset = clockOffsetMs(requestHeaders);
    after(async () => requestPasswordReset(await getDb(), email, context, offset));
    // Not even the address is echoed: the answer is byte for byte the same for every request.
    return { ok: true, data: { sent: true } };
  } catch (error) {
    unstable_rethrow(error);
    return { ...toActionState<{ email?: string; sent?: boolean }>("requestPasswordReset", error), data: { email: raw.email ?? "" } };
  }
}

/** Sets a new password with a reset link's token, then sends the user to sign in with it. */
export async function resetPasswordAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  const get = (k: string) => (typeof form.get(k) === "string" ? (form.get(k) as string) : undefined);
  try {
    const input = parseInput(resetPasswordSchema, { token: get("token"), password: get("password") });
    const requestHeaders = await headers();
    await resetPassword(await getDb(), input.token, input.password, contextFromHeaders(requestHeaders), clockOffsetMs(requestHeaders));
  } catch (error) {
    unstable_rethrow(error);
    return toActionState("resetPassword", error);
  }
  redirect("/login?reset=done");
}

/** Confirms a new email from the link mailed to it (no session needed: the token is the proof). */
export async function confirmEmailChangeAction(_prev: ActionState<{ email?: string }>, form: FormData): Promise<ActionState<{ email?: string }>> {
  try {
    const { token } = parseInput(confirmEmailSchema, { token: typeof form.get("token") === "string" ? form.get("token") : undefined });
    const requestHeaders = await headers();
    const { to } = await confirmEmailChange(await getDb(), token, contextFromHeaders(requestHeaders), clockOffsetMs(requestHeaders));
    return { ok: true, message: `Your account's email is now ${to}. Sign in with it from now on.`, data: { email: to } };
  } catch (error) {
    unstable_rethrow(error);
    return toActionState("confirmEmailChange", error);
  }
}

type InvitationDetails = ActionState<{ email: string; role: "admin" | "member"; expiresAt: string; ssoProvider: string | null }>;

/**
 * The invited address and role, for the page that accepts an invitation (the token's holder is its
 * invitee). Anything but a usable invitation's token answers invitation_invalid, whatever the reason.
 */
export async function invitationDetailsAction(token: unknown): Promise<InvitationDetails> {
  try {
    const parsed = invitationTokenInput.safeParse(token);
    const requestHeaders = await headers();
    const found = await describeInvitation(await getDb(), parsed.success ? parsed.data : undefined, clockOffsetMs(requestHeaders));
    return { ok: true, data: { email: found.email, role: found.role, expiresAt: found.expiresAt.toISOString(), ssoProvider: found.ssoProvider } };
  } catch (error) {
    unstable_rethrow(error);
    return toActionState("invitationDetails", error);
  }
}

type AcceptState = ActionState<{ name?: string }>;

/**
 * Accepts an invitation: the account is created with the invited address and role (in the
 * transaction that consumes the invitation), then signed in.
 */
export async function acceptInvitationAction(_prev: AcceptState, form: FormData): Promise<AcceptState> {
  const get = (k: string) => (typeof form.get(k) === "string" ? (form.get(k) as string) : undefined);
  const values = { name: get("name") ?? "" };
  let email: string;
  let password: string;
  try {
    const input = parseInput(acceptInvitationSchema, { token: get("token"), name: get("name"), password: get("password") });
    const requestHeaders = await headers();
    const user = await acceptInvitation(await getDb(), input, contextFromHeaders(requestHeaders), clockOffsetMs(requestHeaders));
    email = user.email;
    password = input.password;
  } catch (error) {
    unstable_rethrow(error);
    return { ...toActionState<{ name?: string }>("acceptInvitation", error), data: values };
  }
  try {
    await signIn("credentials", { email, password, redirectTo: AFTER_SIGN_IN });
    return { ok: true };
  } catch (error) {
    unstable_rethrow(error);
    // The account exists; only the automatic sign-in failed: say so, and send them to sign in.
    const why = isRateLimited(error) ? "sign-in is paused after too many failed attempts from this network. Wait 15 minutes, then sign in." : "signing you in failed. Sign in with your email and new password.";
    return { ok: false, message: `Your account was created, but ${why}`, data: values };
  }
}
