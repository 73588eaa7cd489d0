// Audit events as sentences a person reads ("You rotated Production backend; the old secret
// worked until Dec 6, 2026, 15:04 CET"), for Settings -> Activity and Admin -> Audit log. Pure:
// the page passes who did it (as it may name them) and the viewer's time zone. The raw action
// and metadata stay in the database and the CSV export.
import type { AuditAction } from "./audit-events";
import { formatDateTime } from "./format";

/** A piece of a sentence: words, who did it, or a key's name (the page may link the last two). */
export type Part = { text: string } | { actor: string } | { key: { id: string | null; name: string } };

export type EventInput = {
  action: string;
  actor: string | null;
  targetId: string | null;
  metadata: Record<string, unknown>;
  createdAt: Date;
};

const str = (v: unknown): string | null => (typeof v === "string" && v.length > 0 ? v : null);
const list = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []);
/** Addresses for a sentence: the first five, then how many more. */
const addresses = (ips: string[]): string => (ips.length <= 5 ? ips.join(", ") : `${ips.slice(0, 5).join(", ")} and ${ips.length - 5} more`);
const date = (v: unknown): Date | null => {
  const d = typeof v === "string" || v instanceof Date ? new Date(v) : null;
  return d && !Number.isNaN(d.getTime()) ? d : null;
};

/** The team policy fields that changed, in words ("; maximum lifetime 30 days (was none)"). */
function policyChangeWords(from: unknown, to: unknown): string {
  const a = (from && typeof from === "object" ? from : {}) as Record<string, unknown>;
  const b = (to && typeof to === "object" ? to : {}) as Record<string, unknown>;
  const words: Record<string, (v: unknown) => string> = {
    maxLifetimeDays: (v) => (typeof v === "number" ? `${v} days` : "the deployment's maximum"),
    requireExpiry: (v) => (v === true ? "yes" : "no"),
    developerScopes: (v) => (Array.isArray(v) ? list(v).join(", ") || "none" : "every scope"),
    approvalFrom: (v) => (typeof v === "string" ? (ACCESS[v] ?? v) + " or broader" : "none"),
    ipsRequiredForFull: (v) => (v === true ? "yes" : "no"),
  };
  const labels: Record<string, string> = {
    maxLifetimeDays: "maximum lifetime",
    requireExpiry: "expiry required",
    developerScopes: "developer scopes",
    approvalFrom: "approval for",
    ipsRequiredForFull: "IP allowlist for Full access",
  };
  const changed = Object.keys(labels).filter((k) => JSON.stringify(a[k] ?? null) !== JSON.stringify(b[k] ?? null));
  return changed.length ? `: ${changed.map((k) => `${labels[k]} ${words[k]!(b[k] ?? null)} (was ${words[k]!(a[k] ?? null)})`).join("; ")}` : "";
}

const ACCESS: Record<string, string> = { full: "full access", read_only: "read-only access", restricted: "restricted access" };
const MFA_WORDS: Record<string, string> = { optional: "nobody (optional)", admins: "administrators", everyone: "everyone" };
const LEAK_SOURCES: Record<string, string> = { report: "a leak report", scanner: "a secret scanner" };

/** The sentence for one event; unknown actions (from a newer version) still read as words. */
export function describeEvent(event: EventInput, timeZone: string, now: Date = new Date()): Part[] {
  const m = event.metadata;
  const actor: Part = event.actor ? { actor: event.actor } : { text: "Someone" };
  const key = (name: unknown = m.name): Part => ({ key: { id: event.targetId, name: str(name) ?? `the key ${str(m.hint) ?? ""}`.trim() } });
  const t = (text: string): Part => ({ text });
  const via = m.via === "api_key" ? t(" using an API key") : t("");
  const when = (v: unknown) => {
    const d = date(v);
    return d ? formatDateTime(d, timeZone) : null;
  };
  switch (event.action as AuditAction) {
    case "user.signed_up":
      return [actor, t(` signed up${m.method === "sso" ? " with single sign-on" : m.confirmed === "email" ? ", confirming the address from the mailed link" : ""}${m.role === "admin" ? ", as the first account and so an administrator" : ""}`)];
    case "user.signed_in":
      return [actor, t(m.method === "passkey" ? ` signed in with the passkey “${str(m.passkey) ?? "a passkey"}”` : m.method === "sso" ? ` signed in with single sign-on` : ` signed in`)];
    case "user.break_glass_sign_in":
      return [actor, t(` signed in with a password as a break-glass administrator while single sign-on is the only way in`)];
    case "user.sso_linked":
      return [actor, t(` signed in with single sign-on for the first time, linking the account to that identity (${str(m.email) ?? "a verified email"})`)];
    case "user.sign_in_failed":
      if (m.reason === "suspended") return [t(m.method === "passkey" ? "A passkey sign-in to the suspended account was refused" : "A sign-in to the suspended account was refused")];
      if (m.method === "passkey") return [t(m.reason === "counter_regressed" ? "A passkey sign-in was refused: its signature counter went back, as a copied authenticator's would" : m.reason === "sso_only" ? "A passkey sign-in was refused: single sign-on is the only way in" : "A passkey sign-in failed")];
      if (m.reason === "sso_only") return [t(`A password sign-in as ${str(m.email) ?? "an address"} was refused: single sign-on is the only way in`)];
      if (m.method === "sso") return [t(`A single sign-on${str(m.email) ? ` as ${str(m.email)}` : ""} was refused: ${SSO_REFUSAL_WORDS[str(m.reason) ?? ""] ?? "not allowed"}`)];
      return [t(m.reason === "unknown_email" ? `A sign-in as ${str(m.email) ?? "an unknown email"} failed: no such account` : "A sign-in failed: wrong password")];
    case "user.signed_out":
      return [actor, t(` signed out`)];
    case "user.sessions_ended":
      return [actor, t(` ended every session of ${str(m.email) ?? "the account"}`)];
    case "user.profile_updated":
      return [actor, t(` changed the display name to “${str(m.name) ?? ""}”`), via];
    case "user.role_changed":
      return [actor, t(` made ${str(m.email) ?? "an account"} ${m.to === "admin" ? "an administrator" : "a member"}`)];
    case "user.reset_requested":
      return [t("A password reset link was emailed to the account")];
    case "user.reset_link_created":
      return [actor, t(` created a password reset link for ${str(m.email) ?? "an account"}`)];
    case "user.password_reset":
      return [actor, t(` set a new password with a reset link; every session was signed out`)];
    case "user.email_change_requested":
      return [actor, t(` asked to change the account's email to ${str(m.to) ?? "a new address"}, waiting for it to be confirmed`)];
    case "user.email_changed":
      return [actor, t(` changed the account's email from ${str(m.from) ?? "the old address"} to ${str(m.to) ?? "a new one"}`)];
    case "user.password_changed":
      return [actor, t(` changed their password; every other session was signed out`)];
    case "user.password_change_failed":
      return [t(`A password change was refused: the current password was wrong`)];
    case "user.reauthenticated":
      return [actor, t(` confirmed ${confirmedWith(m)} to continue with a sensitive change`)];
    case "user.reauthentication_failed":
      return [t(refusedConfirmation(m))];
    case "user.passkey_added":
      return [actor, t(` added the passkey “${str(m.name) ?? ""}”; every other session was signed out`)];
    case "user.passkey_renamed":
      return [actor, t(` renamed the passkey “${str(m.from) ?? ""}” to “${str(m.to) ?? ""}”`)];
    case "user.passkey_removed":
      return [actor, t(` removed the passkey “${str(m.name) ?? ""}”; every other session was signed out`)];
    case "user.suspended":
      return [actor, t(` suspended ${str(m.email) ?? "an account"}; their sessions ended and their keys stopped working`)];
    case "user.reinstated":
      return [actor, t(` reinstated ${str(m.email) ?? "an account"}`)];
    case "user.deleted": {
      const n = typeof m.keysRevoked === "number" ? m.keysRevoked : 0;
      const teams = typeof m.teamsHandedOver === "number" ? m.teamsHandedOver : 0;
      const handedOver = teams > 0 ? `; ${teams === 1 ? "the team" : `${teams} teams`} it was the last owner of passed to another member` : "";
      return [actor, t(` deleted the account ${str(m.email) ?? ""}${n > 0 ? ` and revoked its ${n === 1 ? "key" : `${n} keys`}` : ""}${handedOver}`.replace(/ +/g, " "))];
    }
    case "user.second_factor_enabled":
      return [actor, t(` turned on two-factor authentication with an authenticator app; every session was signed out`)];
    case "user.second_factor_disabled":
      return [actor, t(` turned off two-factor authentication; every other session was signed out`)];
    case "user.recovery_codes_regenerated":
      return [actor, t(` made new recovery codes; the old ones stopped working`)];
    case "user.second_factor_reset": {
      const keys = Array.isArray(m.passkeys) ? m.passkeys.length : 0;
      const what = [m.authenticatorApp === true ? "the authenticator app" : null, keys > 0 ? (keys === 1 ? "a passkey" : `${keys} passkeys`) : null].filter(Boolean).join(" and ");
      return [actor, t(` reset the two-factor authentication of ${str(m.email) ?? "an account"}${what ? ` (${what} removed)` : ""}; their sessions ended`)];
    }
    case "user.second_factor_failed":
      if (m.method === "passkey") return [t(`A passkey was refused as the second step of a sign-in`)];
      return [t(`A wrong two-factor code was typed${m.during === "sign_in" ? " at sign-in" : ""}`)];
    case "user.second_factor_verified":
      if (m.method === "passkey") return [actor, t(` confirmed a sign-in with the passkey “${str(m.passkey) ?? "a passkey"}”`)];
      return [actor, t(` confirmed a sign-in with a two-factor code`)];
    case "user.recovery_code_used": {
      const left = typeof m.remaining === "number" ? m.remaining : null;
      return [actor, t(` signed in with a recovery code${left === null ? "" : `; ${left} left`}`)];
    }
    case "invitation.created":
      return [actor, t(` invited ${str(m.email) ?? "an address"} to join as ${m.role === "admin" ? "an administrator" : "a member"}${Array.isArray(m.replaced) ? ", replacing the earlier invitation" : ""}`)];
    case "invitation.revoked":
      return [actor, t(` revoked the invitation of ${str(m.email) ?? "an address"}`)];
    case "invitation.accepted":
      return [actor, t(` accepted an invitation and joined as ${m.role === "admin" ? "an administrator" : "a member"}`)];
    case "settings.sign_up_changed":
      return [actor, t(` changed who may sign up to: ${signUpWords(str(m.to), list(m.domains))}`)];
    case "settings.sso_only_changed":
      return [actor, t(m.to === true ? ` made single sign-on the only way in (passwords refused but for break-glass administrators)` : ` allowed password sign-in again beside single sign-on`)];
    case "settings.mfa_policy_changed":
      return [actor, t(` changed who must use two-factor authentication to: ${MFA_WORDS[str(m.to) ?? ""] ?? "an unknown setting"}`)];
    case "team.created":
      return [actor, t(` created the team “${teamName(m)}”${str(m.slug) ? ` at /t/${str(m.slug)}` : ""}`)];
    case "team.renamed":
      return [actor, t(` renamed the team “${str(m.from) ?? ""}” to “${str(m.to) ?? ""}”`)];
    case "team.deleted":
      return [actor, t(` deleted the team “${teamName(m)}”${typeof m.keysRevoked === "number" && m.keysRevoked > 0 ? ` and revoked its ${m.keysRevoked === 1 ? "key" : `${m.keysRevoked} keys`}` : ""}`)];
    case "team.member_added":
      return [actor, t(` added ${str(m.email) ?? "an account"} to the team “${teamName(m)}” as ${roleWords(m.role)}`)];
    case "team.member_role_changed":
      return [actor, t(` made ${str(m.email) ?? "a member"} ${roleWords(m.to)} of the team “${teamName(m)}” (was ${roleWords(m.from)})`)];
    case "team.member_removed":
      return [actor, t(` removed ${str(m.email) ?? "a member"} (${roleWords(m.role)}) from the team “${teamName(m)}”`)];
    case "team.member_left":
      return [actor, t(` left the team “${teamName(m)}”, where they were ${roleWords(m.role)}`)];
    case "team.ownership_transferred":
      return [
        actor,
        t(
          ` made ${str(m.email) ?? "a member"} an owner of the team “${teamName(m)}”${m.steppedDown === true ? " and stepped down to admin" : ""}${
            m.reason === "account deleted" ? ", because its last owner's account was deleted" : ""
          }`,
        ),
      ];
    case "team.policy_changed":
      return [actor, t(` changed the key policy of the team “${teamName(m)}”${policyChangeWords(m.from, m.to)}`)];
    case "api_key.requested":
      return [actor, t(` asked for approval of a key “${str(m.name) ?? ""}” with ${ACCESS[str(m.access) ?? ""] ?? "access"} in the team “${teamName(m)}”`)];
    case "api_key.request_cancelled":
      return [actor, t(` cancelled the request for a key “${str(m.name) ?? ""}” in the team “${teamName(m)}”`)];
    case "api_key.request_approved":
      return [actor, t(` approved ${str(m.requesterEmail) ?? "a member"}'s request for a key “${str(m.name) ?? ""}” in the team “${teamName(m)}”${str(m.reason) ? `: “${str(m.reason)}”` : ""}`)];
    case "api_key.request_denied":
      return [actor, t(` denied ${str(m.requesterEmail) ?? "a member"}'s request for a key “${str(m.name) ?? ""}” in the team “${teamName(m)}”: “${str(m.reason) ?? ""}”`)];
    case "webhook.created":
      return [actor, t(` added the webhook endpoint ${str(m.url) ?? ""} for ${list(m.events).join(", ") || "no events"}`)];
    case "webhook.updated":
      return [actor, t(` changed the webhook endpoint ${str(m.url) ?? ""}${m.enabled === true ? ": enabled it" : m.enabled === false ? ": disabled it" : ""}`)];
    case "webhook.secret_rotated":
      return [actor, t(` made a new signing secret for the webhook endpoint ${str(m.url) ?? ""}`)];
    case "webhook.deleted":
      return [actor, t(` deleted the webhook endpoint ${str(m.url) ?? ""}`)];
    case "webhook.disabled":
      return [t(`The webhook endpoint ${str(m.url) ?? ""} was disabled after its deliveries failed for 3 days`)];
    case "review.started": {
      const n = typeof m.keys === "number" ? m.keys : 0;
      return [actor, t(` started the access review “${str(m.name) ?? ""}” of ${n === 1 ? "1 key" : `${n} keys`}, due ${when(m.dueAt) ?? "later"}; keys nobody confirms will be ${m.onDue === "revoke" ? "revoked" : "flagged"}`)];
    }
    case "review.key_confirmed":
      return [actor, t(` confirmed that `), key(), t(` is still needed, in the access review “${str(m.review) ?? ""}”`)];
    case "review.closed": {
      const n = typeof m.unanswered === "number" ? m.unanswered : 0;
      return [t(`The access review “${str(m.name) ?? ""}” ended: ${n === 1 ? "1 key was" : `${n} keys were`} not confirmed${n > 0 ? (m.onDue === "revoke" ? " and revoked" : " and flagged") : ""}`)];
    }
    case "api_key.created": {
      const expires = when(m.expiresAt);
      const ips = list(m.allowedIps);
      return [actor, t(` created `), key(), t(` with ${ACCESS[str(m.access) ?? ""] ?? "access"}, ${expires ? `expiring ${expires}` : "never expiring"}${ips.length > 0 ? `, usable only from ${addresses(ips)}` : ""}`), via];
    }
    case "api_key.revoked":
      return [actor, t(` revoked `), key(), via];
    case "api_key.deleted":
      return [actor, t(` deleted `), key(), via];
    case "api_key.renamed":
      return [actor, t(` renamed “${str(m.from) ?? ""}” to `), key(m.to), via];
    case "api_key.rescoped":
      return [actor, t(` changed the scopes of `), key(m.name ?? null), t(` to ${list(m.to).join(", ") || "none"}`), via];
    case "api_key.updated": {
      const expires = "expiresAt" in m ? when(m.expiresAt) : undefined;
      return [actor, t(` changed the description or expiry of `), key(), t(expires === undefined ? "" : expires ? `; it expires ${expires}` : "; it never expires"), via];
    }
    case "api_key.allowed_ips_changed": {
      const to = list(m.to);
      return to.length === 0
        ? [actor, t(` let `), key(), t(` be used from any address again`), via]
        : [actor, t(` limited `), key(), t(` to requests from ${addresses(to)}`), via];
    }
    case "api_key.rotated": {
      const until = date(m.graceUntil);
      const grace = !until || until.getTime() <= event.createdAt.getTime() + 1000 ? "; the old secret stopped at once" : `; the old secret ${until <= now ? "worked" : "works"} until ${when(until)}`;
      return [actor, t(` rotated `), key(), t(grace), via];
    }
    case "api_key.reported_leaked":
      return [key(), t(` was revoked after ${LEAK_SOURCES[str(m.source) ?? ""] ?? `a report from ${str(m.source) ?? "a scanner"}`} found its ${m.secret === "previous" ? "previous " : ""}secret`)];
    case "api_key.admin_revoked":
      return [actor, t(` revoked `), key(), t(str(m.reason) ? `: “${str(m.reason)}”` : "")];
    default:
      return [actor, t(`: ${event.action.replace(/[._]/g, " ")}`)];
  }
}

const SSO_REFUSAL_WORDS: Record<string, string> = {
  sso_claims_invalid: "the identity provider's answer had no usable identity",
  sso_answer_rejected: "the identity provider's answer failed its checks (state, code, issuer or nonce)",
  sso_email_unverified: "the email was not verified by the identity provider",
  sso_account_suspended: "the account is suspended",
  sso_account_deleted: "the account was deleted",
  sso_identity_conflict: "the account is already linked to another identity",
  sso_sign_up_closed: "sign-up is closed",
  sso_sign_up_invite_only: "sign-up is by invitation only",
  sso_email_domain_not_allowed: "the email's domain may not sign up",
};

/** How a step-up was confirmed (events from before passkeys and codes carry no method: a password). */
function confirmedWith(m: Record<string, unknown>): string {
  if (m.method === "passkey") return str(m.passkey) ? `it's them with the passkey “${str(m.passkey)}”` : "it's them with a passkey";
  if (m.method === "totp") return "it's them with a code from their authenticator app";
  return "their password";
}

function refusedConfirmation(m: Record<string, unknown>): string {
  if (m.method === "passkey") return "A passkey confirmation was refused: the passkey did not check out";
  if (m.method === "totp") return "A code confirmation was refused: the authenticator code was wrong or already used";
  return "A password confirmation was refused: the password was wrong";
}

const TEAM_ROLE_WORDS: Record<string, string> = { owner: "an owner", admin: "an admin", developer: "a developer", viewer: "a viewer" };
const roleWords = (v: unknown): string => TEAM_ROLE_WORDS[str(v) ?? ""] ?? "a member";
const teamName = (m: Record<string, unknown>): string => str(m.team) ?? str(m.slug) ?? "a team";

function signUpWords(mode: string | null, domains: string[]): string {
  switch (mode) {
    case "open":
      return "anyone";
    case "domains":
      return `addresses at ${domains.join(", ") || "no domain"}`;
    case "invite_only":
      return "invited people only";
    case "closed":
      return "nobody (sign-up closed)";
    default:
      return mode ?? "unknown";
  }
}

/** Each action's name in words, for the audit log's filter. */
export const ACTION_LABELS: Record<AuditAction, string> = {
  "user.signed_up": "Signed up",
  "user.signed_in": "Signed in",
  "user.sign_in_failed": "Sign-in failed",
  "user.break_glass_sign_in": "Break-glass password sign-in",
  "user.sso_linked": "Single sign-on identity linked",
  "user.signed_out": "Signed out",
  "user.sessions_ended": "Sessions ended by an administrator",
  "user.profile_updated": "Display name changed",
  "user.role_changed": "Role changed",
  "user.reset_requested": "Password reset emailed",
  "user.reset_link_created": "Password reset link created by an administrator",
  "user.password_reset": "Password reset",
  "user.email_change_requested": "Email change requested",
  "user.email_changed": "Email changed",
  "user.password_changed": "Password changed",
  "user.password_change_failed": "Password change refused",
  "user.reauthenticated": "Identity confirmed for a sensitive change",
  "user.reauthentication_failed": "Identity confirmation refused",
  "user.passkey_added": "Passkey added",
  "user.passkey_renamed": "Passkey renamed",
  "user.passkey_removed": "Passkey removed",
  "user.suspended": "Account suspended",
  "user.reinstated": "Account reinstated",
  "user.deleted": "Account deleted",
  "user.second_factor_enabled": "Two-factor authentication turned on",
  "user.second_factor_disabled": "Two-factor authentication turned off",
  "user.recovery_codes_regenerated": "Recovery codes made anew",
  "user.second_factor_reset": "Two-factor authentication reset by an administrator",
  "user.second_factor_failed": "Two-factor check failed",
  "user.second_factor_verified": "Two-factor check passed",
  "user.recovery_code_used": "Recovery code used",
  "invitation.created": "Invitation sent or created",
  "invitation.revoked": "Invitation revoked",
  "invitation.accepted": "Invitation accepted",
  "settings.sign_up_changed": "Sign-up mode changed",
  "settings.sso_only_changed": "Single sign-on only changed",
  "settings.mfa_policy_changed": "Two-factor policy changed",
  "team.created": "Team created",
  "team.renamed": "Team renamed",
  "team.deleted": "Team deleted",
  "team.member_added": "Team member added",
  "team.member_role_changed": "Team member's role changed",
  "team.member_removed": "Team member removed",
  "team.member_left": "Team member left",
  "team.ownership_transferred": "Team ownership transferred",
  "team.policy_changed": "Team key policy changed",
  "api_key.created": "Key created",
  "api_key.revoked": "Key revoked by its owner",
  "api_key.deleted": "Key deleted",
  "api_key.renamed": "Key renamed",
  "api_key.rescoped": "Key scopes changed",
  "api_key.updated": "Key description or expiry changed",
  "api_key.allowed_ips_changed": "Key allowed IPs changed",
  "api_key.rotated": "Key rotated",
  "api_key.reported_leaked": "Key revoked after a leak report",
  "api_key.admin_revoked": "Key revoked by an administrator",
  "api_key.requested": "Key requested for approval",
  "api_key.request_cancelled": "Key request cancelled",
  "api_key.request_approved": "Key request approved",
  "api_key.request_denied": "Key request denied",
  "webhook.created": "Webhook endpoint added",
  "webhook.updated": "Webhook endpoint changed",
  "webhook.secret_rotated": "Webhook signing secret made anew",
  "webhook.deleted": "Webhook endpoint deleted",
  "webhook.disabled": "Webhook endpoint disabled after failing",
  "review.started": "Access review started",
  "review.key_confirmed": "Key confirmed in an access review",
  "review.closed": "Access review ended",
};

/** A sentence as plain text (for titles and tests). */
export function sentenceText(parts: Part[]): string {
  return parts.map((p) => ("text" in p ? p.text : "actor" in p ? p.actor : p.key.name)).join("");
}

/**
 * A user-agent string as a person names it: "Chrome on macOS", "Firefox on Windows", "curl",
 * "Node.js". The full string stays in the export and on hover.
 */
export function shortUserAgent(ua: string | null): string | null {
  if (!ua) return null;
  const tools: [RegExp, string][] = [
    [/^curl\//i, "curl"],
    [/^Wget\//i, "Wget"],
    [/^node|undici/i, "Node.js"],
    [/^python-requests|^python|aiohttp/i, "Python"],
    [/^Go-http-client/i, "Go"],
    [/^okhttp/i, "OkHttp"],
    [/^Postman/i, "Postman"],
    [/^keysmith/i, "Keysmith CLI"],
  ];
  for (const [re, name] of tools) if (re.test(ua)) return name;
  const browser = /Edg\//.test(ua)
    ? "Edge"
    : /OPR\//.test(ua)
      ? "Opera"
      : /Firefox\//.test(ua)
        ? "Firefox"
        : /(Chrome|Chromium|CriOS)\//.test(ua)
          ? "Chrome"
          : /Safari\//.test(ua) && /Version\//.test(ua)
            ? "Safari"
            : null;
  const os = /iPhone|iPad|iPod/.test(ua)
    ? "iOS"
    : /Android/.test(ua)
      ? "Android"
      : /Mac OS X|Macintosh/.test(ua)
        ? "macOS"
        : /Windows/.test(ua)
          ? "Windows"
          : /CrOS/.test(ua)
            ? "ChromeOS"
            : /Linux/.test(ua)
              ? "Linux"
              : null;
  if (browser && os) return `${browser} on ${os}`;
  return browser ?? os ?? (ua.length > 24 ? `${ua.slice(0, 24)}…` : ua);
}
