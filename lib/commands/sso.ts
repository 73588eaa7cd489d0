import "server-only";
// Single sign-on through OpenID Connect. Auth.js runs the protocol (discovery, PKCE, state, nonce,
// the ID token's signature, issuer and audience: lib/auth/config.ts); this command decides who the
// validated identity is here, in one transaction (db/queries/sso.ts, rules in
// lib/accounts/sso-policy.ts). It is the one place an SSO sign-in is accepted: a later step (a
// second factor) hooks in after it, as after a password.
import { randomBytes } from "node:crypto";
import type { Database } from "@/db";
import { recordAudit } from "@/db/queries/audit";
import { getSsoOnly, type PasswordPolicy } from "@/db/queries/settings";
import { acceptSsoIdentity, type SsoAcceptance } from "@/db/queries/sso";
import { mayHavePassword, ssoClaims, ssoOnlyInEffect } from "../accounts/sso-policy";
import type { RequestContext } from "../audit-events";
import { config } from "../config";
import { log } from "../log";
import { hashPassword } from "../password";

/**
 * Accepts (or refuses) a sign-in by an ID token's claims. An account created here gets a password
 * nobody knows (a hash of 256 random bits, never shown): it signs in with SSO, or sets a password
 * through a reset link where passwords are allowed.
 */
export async function acceptSsoSignIn(db: Database, profile: Record<string, unknown> | null | undefined, context: RequestContext, clockOffsetMs = 0): Promise<SsoAcceptance> {
  const claims = ssoClaims(profile);
  if (!claims) {
    log.warn("sso.claims_invalid", {});
    return { ok: false, reason: "sso_claims_invalid", userId: null };
  }
  const passwordHash = await hashPassword(randomBytes(32).toString("base64url"));
  const result = await acceptSsoIdentity(db, { claims, passwordHash, adminEmails: config.adminEmails, clockOffsetMs }, context);
  if (result.ok) log.info("sso.signed_in", { how: result.how });
  else log.info("sso.refused", { reason: result.reason });
  return result;
}

/**
 * Audits an SSO answer Auth.js refused before any identity was read (a failed state, PKCE or nonce
 * check, a used or foreign code, an ID token from another issuer): no actor, no target, the error
 * type only (Auth.js names most of them "Configuration"; the log line has the cause).
 */
export async function recordSsoAnswerRejected(db: Database, errorType: string, context: RequestContext): Promise<void> {
  await recordAudit(db, {
    actorId: null,
    action: "user.sign_in_failed",
    targetType: "user",
    targetId: null,
    metadata: { method: "sso", reason: "sso_answer_rejected", error: errorType.slice(0, 64) },
    context,
  });
}

/**
 * What decides whether an account may be given a password while single sign-on is the only way in
 * (db/queries/settings.ts assertPasswordAllowed, inside the transaction that would set it).
 */
export function passwordPolicy(): PasswordPolicy {
  return { oidcConfigured: !!config.oidc, breakGlassEmails: config.breakGlassEmails };
}

/**
 * Whether a new account for this address could not be given a password here (single sign-on is the
 * only way in and the address is no break-glass admin's): the sign-up form's early answer, before
 * anything is mailed; the transaction that would create the account checks again.
 */
export async function passwordsOffFor(db: Database, email: string): Promise<boolean> {
  if (!config.oidc) return false;
  const role = config.adminEmails.includes(email) ? "admin" : "member";
  return !mayHavePassword({ ssoOnly: await ssoOnlyNow(db), email, role, breakGlassEmails: config.breakGlassEmails });
}

/**
 * Whether single sign-on is the only way in right now: the setting, in effect only while OIDC is
 * configured (the setting is not even read otherwise). For pages and sign-ins; a transaction that
 * gives a password reads it again, locked (`assertPasswordAllowed` in db/queries/settings.ts).
 */
export async function ssoOnlyNow(db: Database): Promise<boolean> {
  return config.oidc ? ssoOnlyInEffect(await getSsoOnly(db), true) : false;
}
