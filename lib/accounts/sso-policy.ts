// Who a single sign-on identity is, and whether it may come in. Pure: db/queries/sso.ts applies
// ssoDecision inside the transaction that reads the link, the account and the sign-up settings
// (so a mode change or a second sign-in cannot race it); lib/auth/credentials.ts asks
// passwordRefusal; the sign-in page says the same words (lib/auth/sso-errors.ts).
//
// Decisions (README "Single sign-on"):
// - An identity is its issuer and subject. Once linked, later sign-ins match by that pair only; a
//   subject linked to one account wins over an email that names another.
// - An unlinked identity needs a verified email (`email_verified` true) to do anything: an IdP that
//   lets users type any address must not let them take over the account that has it.
// - A verified email that names an existing account links the identity to it (once per issuer).
// - Otherwise the account is created just in time where sign-up would allow it: open mode, a listed
//   domain, or (invite-only and domain modes) an open invitation to the address, which is consumed.
//   Closed mode creates nobody; an invitee there accepts the invitation's link instead.
// - Suspended accounts are refused with the password sign-in's words; a deleted account's identity
//   stays refused (an admin's deletion is not undone by signing in again).
import type { SignUpMode } from "./sign-up-policy";
import { signUpRefusal } from "./sign-up-policy";

/** The claims Keysmith reads from a validated ID token (Auth.js checked signature, issuer, audience, nonce). */
export type SsoClaims = { issuer: string; subject: string; email: string | null; emailVerified: boolean; name: string | null };

/** Why an SSO sign-in was refused; each has a sentence in lib/auth/sso-errors.ts. */
export const SSO_REFUSALS = [
  "sso_claims_invalid",
  "sso_email_unverified",
  "sso_account_suspended",
  "sso_account_deleted",
  "sso_identity_conflict",
  "sso_sign_up_closed",
  "sso_sign_up_invite_only",
  "sso_email_domain_not_allowed",
] as const;
export type SsoRefusal = (typeof SSO_REFUSALS)[number];

/** Longest issuer, subject and name kept (OIDC Core: subject at most 255 ASCII characters). */
const MAX_ISSUER = 2048;
const MAX_SUBJECT = 255;
const MAX_NAME = 80;

/** The claims of an ID token as Keysmith uses them, or null when the token lacks a usable issuer or subject. */
export function ssoClaims(profile: Record<string, unknown> | null | undefined): SsoClaims | null {
  if (!profile) return null;
  const { iss, sub, email, email_verified: verified, name } = profile;
  if (typeof iss !== "string" || iss.length === 0 || iss.length > MAX_ISSUER) return null;
  if (typeof sub !== "string" || sub.length === 0 || sub.length > MAX_SUBJECT) return null;
  const address = typeof email === "string" ? email.trim().toLowerCase() : "";
  const validAddress = address.length > 0 && address.length <= 254 && /^[^\s@]+@[^\s@]+$/.test(address);
  // Only a literal true (some IdPs send the string "true") counts: absent or anything else is unverified.
  const emailVerified = validAddress && (verified === true || verified === "true");
  const cleanName = typeof name === "string" ? name.replace(/[\p{Cc}\p{Cf}]/gu, "").trim().slice(0, MAX_NAME) : "";
  return { issuer: iss, subject: sub, email: validAddress ? address : null, emailVerified, name: cleanName || null };
}

type AccountState = { id: string; suspendedAt: Date | null; deletedAt: Date | null };

export type SsoDecisionInput = {
  claims: SsoClaims;
  /** The account the identity is linked to, if any. */
  linked: AccountState | null;
  /** The account whose email is the identity's (verified) email, if any, and whether it already has an identity from this issuer. */
  byEmail: (AccountState & { linkedToIssuer: boolean }) | null;
  settings: { mode: SignUpMode; domains: readonly string[] };
  firstAccount: boolean;
  /** Whether an open invitation to the identity's email exists. */
  invited: boolean;
};

export type SsoDecision =
  | { kind: "sign_in"; userId: string }
  | { kind: "link"; userId: string }
  | { kind: "create"; viaInvitation: boolean }
  | { kind: "refuse"; reason: SsoRefusal };

function refuseState(account: AccountState): SsoDecision | null {
  if (account.deletedAt) return { kind: "refuse", reason: "sso_account_deleted" };
  if (account.suspendedAt) return { kind: "refuse", reason: "sso_account_suspended" };
  return null;
}

/** What an SSO sign-in does: sign in a linked account, link an account by verified email, create one, or refuse (and why). */
export function ssoDecision(input: SsoDecisionInput): SsoDecision {
  if (input.linked) return refuseState(input.linked) ?? { kind: "sign_in", userId: input.linked.id };
  if (!input.claims.email || !input.claims.emailVerified) return { kind: "refuse", reason: "sso_email_unverified" };
  if (input.byEmail) {
    const refused = refuseState(input.byEmail);
    if (refused) return refused;
    // The account already has another identity from this issuer: a second one is not added by email.
    if (input.byEmail.linkedToIssuer) return { kind: "refuse", reason: "sso_identity_conflict" };
    return { kind: "link", userId: input.byEmail.id };
  }
  const refusal = signUpRefusal({ ...input.settings, email: input.claims.email, firstAccount: input.firstAccount });
  // An open invitation is spent, and its role given, whenever the mode lets it count (not "closed").
  if (refusal !== "sign_up_closed" && input.invited) return { kind: "create", viaInvitation: true };
  if (!refusal) return { kind: "create", viaInvitation: false };
  const reasons: Partial<Record<string, SsoRefusal>> = {
    sign_up_closed: "sso_sign_up_closed",
    sign_up_invite_only: "sso_sign_up_invite_only",
    email_domain_not_allowed: "sso_email_domain_not_allowed",
  };
  return { kind: "refuse", reason: reasons[refusal] ?? "sso_sign_up_closed" };
}

/** Whether single sign-on is the only way in: the admin's setting, while OIDC is configured (else nobody could get in). */
export function ssoOnlyInEffect(ssoOnly: boolean, oidcConfigured: boolean): boolean {
  return ssoOnly && oidcConfigured;
}

/**
 * Whether a password may be tried for this address: always, unless SSO is the only way in; then
 * only for a break-glass address (the account must also turn out to be an admin: isBreakGlassAdmin).
 */
export function passwordAllowed(input: { ssoOnly: boolean; email: string; breakGlassEmails: readonly string[] }): boolean {
  return !input.ssoOnly || input.breakGlassEmails.includes(input.email.trim().toLowerCase());
}

/** A break-glass sign-in: SSO only, a listed address, and an active admin's account. */
export function isBreakGlassAdmin(input: { email: string; role: "admin" | "member"; breakGlassEmails: readonly string[] }): boolean {
  return input.role === "admin" && input.breakGlassEmails.includes(input.email.trim().toLowerCase());
}

/**
 * Whether an account may be given a password (a reset link made or used, an invitation accepted with
 * one): always, unless single sign-on is the only way in; then only a break-glass admin's, since no
 * other password would let anyone in.
 */
export function mayHavePassword(input: { ssoOnly: boolean; email: string; role: "admin" | "member"; breakGlassEmails: readonly string[] }): boolean {
  return !input.ssoOnly || isBreakGlassAdmin(input);
}
