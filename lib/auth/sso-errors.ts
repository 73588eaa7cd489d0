// What the sign-in page says when a single sign-on ends on /login?error=<code>: Auth.js's error
// types (a failed state, PKCE or nonce check, a refused code exchange or ID token, the IdP's own
// error) and Keysmith's refusals (lib/accounts/sso-policy.ts). Pure; every sentence says what to do
// next. An unknown code gets the general sentence, never the code itself.
import { SSO_REFUSALS, type SsoRefusal } from "../accounts/sso-policy";
import { messageOf } from "../errors";

const REFUSALS: Record<SsoRefusal, string> = {
  sso_claims_invalid: "The identity provider's answer did not say who you are, so you were not signed in. Try again; if it keeps happening, ask an administrator to check the single sign-on set-up.",
  sso_email_unverified:
    "Your identity provider has not verified your email address, so Keysmith cannot tell which account is yours. Verify the address with your identity provider (or ask its administrator), then try again.",
  // The same words as a suspended account's password sign-in.
  sso_account_suspended: messageOf("account_suspended"),
  sso_account_deleted: "The account for this sign-in was deleted. Ask an administrator if you need access again.",
  sso_identity_conflict:
    "The account with your email address is already linked to another identity at this provider, so you were not signed in. Sign in with that identity, or ask an administrator.",
  sso_sign_up_closed: `You have no account here yet, and ${messageOf("sign_up_closed").replace(/^Sign-up/, "sign-up")}`,
  sso_sign_up_invite_only: `You have no account here yet, and ${messageOf("sign_up_invite_only").replace(/^Sign-up/, "sign-up")}`,
  sso_email_domain_not_allowed:
    "You have no account here yet, and sign-up here is open to some email domains only, not yours. Ask an administrator for an invitation.",
};

const START_AGAIN = "Start the sign-in again from this page.";

// Auth.js error types (https://authjs.dev/reference/core/errors) that can end an OIDC sign-in.
const AUTHJS: Record<string, string> = {
  InvalidCheck: `The sign-in could not be verified: it was started in another tab or browser, or took too long. ${START_AGAIN}`,
  OAuthCallbackError: `Your identity provider did not sign you in (you may have cancelled). ${START_AGAIN}`,
  CallbackRouteError: `Your identity provider's answer could not be accepted (it was used already, or came from somewhere else). ${START_AGAIN} If it keeps happening, ask an administrator.`,
  OAuthSignInError: "Single sign-on could not start: the identity provider did not answer as expected. Try again in a moment, or ask an administrator to check the set-up.",
  // Auth.js reports every failure it does not deem safe to name (a failed state, PKCE or nonce
  // check, a used or foreign code, an ID token from another issuer, a discovery failure) as this.
  Configuration: `Single sign-on did not complete: your identity provider's answer could not be checked (the sign-in may have been started in another tab, taken too long, been used already or come from elsewhere). ${START_AGAIN} If it keeps happening, ask an administrator to check the set-up.`,
  AccessDenied: `You were not signed in. ${START_AGAIN}`,
  OAuthAccountNotLinked: `You were not signed in. ${START_AGAIN}`,
  sso_unavailable: "Sign-in is briefly unavailable. Try again in a few seconds.",
};

const GENERAL = `Single sign-on did not complete. ${START_AGAIN}`;

/** The sentence for `/login?error=<code>`, or null when there is no error to show. */
export function ssoErrorMessage(code: string | undefined | null): string | null {
  if (!code) return null;
  if ((SSO_REFUSALS as readonly string[]).includes(code)) return REFUSALS[code as SsoRefusal];
  return AUTHJS[code] ?? GENERAL;
}
