// The one list of error codes. Server actions, /api/v1 responses and the OpenAPI document all use
// it: each code has its HTTP status and a sentence a user can act on. The cause is logged on the
// server, never sent to the client. A new failure gets a code here first (lib/api/operations.ts
// then lists, per API operation, which codes it can answer).
export const ERRORS = {
  validation_failed: [422, "Some fields need attention."],
  invalid_json: [400, "The request body is not valid JSON."],
  incomplete_body: [400, "The request body ended before its declared length."],
  payload_too_large: [413, "The body must be at most 64 KB."],
  unsupported_media_type: [415, "Send the body as JSON with Content-Type: application/json."],
  method_not_allowed: [405, "This endpoint does not accept that method."],
  unauthorized: [401, "Provide a valid API key in the Authorization header: Bearer <key>."],
  session_expired: [401, "Your session has ended. Sign in again to continue."],
  user_suspended: [403, "The account that owns this API key is suspended. Ask an administrator to reinstate it."],
  account_suspended: [403, "This account is suspended. Ask an administrator to reinstate it."],
  insufficient_scope: [403, "This API key does not have the scope this request needs."],
  expiry_beyond_caller: [403, "A key cannot hand out a credential that outlives it."],
  allowed_ips_beyond_caller: [
    403,
    "A key cannot remove or widen allowed IPs, nor hand out a key usable from addresses it cannot use itself. Make this change in the dashboard.",
  ],
  ip_not_allowed: [403, "This key does not accept requests from this address. Add the address to the key's allowed IP addresses, or call from an allowed one."],
  previous_secret: [
    403,
    "This is the key's previous secret, still in its rotation grace period. Only the current secret can rotate the key: use the newest secret.",
  ],
  not_found: [404, "Not found."],
  key_not_found: [404, "That API key was not found. It may have been deleted; refresh the page."],
  user_not_found: [404, "That user was not found. Refresh the page."],
  team_key_not_allowed: [403, "This key belongs to a team, and a team has no profile. Use a personal key for this request."],
  team_keys_read_only: [403, "Your role in this team lets you see its keys, not change them. Ask a team admin to make you a developer."],
  last_admin: [409, "This is the last active admin. Make someone else an admin first."],
  own_account: [409, "You cannot suspend or delete your own account. Ask another admin."],
  reauthentication_required: [
    403,
    "Confirm it's you: sensitive changes need a sign-in or a password confirmation from the last 15 minutes. Enter your password when asked, or sign in again, then retry.",
  ],
  wrong_password: [403, "Your current password is not correct. Check it and try again."],
  key_quota_reached: [409, "You have reached this deployment's limit of active keys. Delete keys you no longer use, then try again."],
  key_name_taken: [409, "You already have a key with this name. Choose another name."],
  key_already_revoked: [409, "This key is already revoked. Delete it to remove it from your list."],
  selection_changed: [409, "The keys that match these filters changed since you looked. Review the list and try again."],
  key_inactive: [409, "This key is revoked or expired, so it can no longer be changed. Create a new key instead."],
  reset_link_invalid: [400, "This reset link is invalid, already used or expired. Ask for a new one from the sign-in page."],
  email_change_invalid: [400, "This confirmation link is invalid, already used or expired. Ask for the change again from Settings → Profile."],
  mail_unavailable: [409, "This Keysmith does not send mail, so a new address cannot be confirmed. Ask an administrator."],
  email_taken: [409, "An account with this email already exists. Sign in instead."],
  sign_up_link_invalid: [400, "This sign-up link is invalid, already used or expired (it works for 24 hours). Sign up again to get a new one."],
  sign_up_link_taken: [
    409,
    "An account with this address was created after this link was sent, so the link cannot create another. Sign in, or reset your password if you do not know it.",
  ],
  sign_up_closed: [403, "Sign-up here is closed. Ask an administrator if you need an account."],
  sign_up_invite_only: [403, "Sign-up here is by invitation only. Ask an administrator for an invitation."],
  email_domain_not_allowed: [
    403,
    "Sign-up here is open to some email domains only, and this address is not at one of them. Use your work address, or ask an administrator for an invitation.",
  ],
  invitation_invalid: [
    400,
    "This invitation is invalid, already used, revoked or expired. Ask the administrator who invited you for a new one, or sign in if you already have an account.",
  ],
  invitation_not_found: [404, "That invitation was not found. It may have been accepted or revoked already; refresh the page."],
  invitee_has_account: [409, "This person already has an account here. Find them in the list of users instead."],
  passkeys_unavailable: [
    409,
    "Passkeys are not available on this Keysmith (it needs APP_URL set to its https address). Sign in with your email and password, and ask an administrator.",
  ],
  passkey_challenge_invalid: [400, "This passkey request expired or was already used. Start again."],
  passkey_not_accepted: [401, "That passkey was not accepted. Try again with a passkey you added in Settings → Profile, or sign in with your email and password."],
  passkey_exists: [409, "This passkey is already registered here. Use it to sign in, or add a different one."],
  passkey_not_found: [404, "That passkey was not found. It may have been removed already; refresh the page."],
  passkey_limit_reached: [409, "You have the most passkeys an account may hold here. Remove one you no longer use, then add the new one."],
  sso_not_configured: [
    409,
    "Single sign-on is not set up on this Keysmith, so it cannot be the only way in. Set OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET first (see the README).",
  ],
  password_sign_in_off: [403, "Password sign-in is turned off here: sign in with single sign-on instead."],
  wrong_code: [403, "That code is not right. Type the 6-digit code your authenticator app shows now, or one of your recovery codes."],
  second_factor_locked: [429, "Too many wrong codes. Wait 15 minutes, then try again with the code your authenticator app shows."],
  second_factor_required: [
    403,
    "This Keysmith requires a second factor for your account. Add a passkey or set up an authenticator app in Settings → Profile, then continue.",
  ],
  second_factor_challenge_invalid: [400, "This sign-in has expired or ended. Sign in again with your email and password."],
  second_factor_not_enabled: [409, "Two-factor authentication is not on for this account. Refresh the page."],
  second_factor_already_enabled: [409, "Two-factor authentication is already on. Refresh the page; turn it off first to use another app."],
  second_factor_setup_missing: [409, "Start the set-up again: press “Set up authenticator app” to get a new QR code."],
  second_factor_policy: [
    409,
    "This Keysmith requires a second factor for your account, and this is your last one. Add a passkey or an authenticator app first, then remove this one; if you lost your device, ask an administrator.",
  ],
  own_second_factor_missing: [
    409,
    "Set up your own second factor first (a passkey or an authenticator app, in Settings → Profile): a policy that requires one would otherwise lock you out.",
  ],
  team_not_found: [404, "That team was not found, or you are not a member of it. Check the address, or ask one of its admins to add you."],
  team_member_not_found: [404, "That person is not a member of this team any more. Refresh the page."],
  team_slug_taken: [409, "Another team already has this address. Choose another one."],
  team_member_exists: [409, "This person is already a member of the team. Change their role in the list instead."],
  team_member_no_account: [
    409,
    "Nobody has an account with this address here. Ask them to sign up first (or ask an instance administrator to invite them), then add them.",
  ],
  team_audit_admins_only: [403, "Only the team's owners and admins can read its audit log. Ask one of them what changed."],
  team_role_not_allowed: [403, "Your role in this team does not allow this change. Ask a team owner."],
  own_team_membership: [409, "You cannot change your own role or remove yourself here. Use “Leave team”, or ask another owner."],
  last_team_owner: [409, "A team always keeps at least one owner. Make another member an owner first."],
  team_slug_mismatch: [422, "Type the team's address exactly as shown to confirm."],
  approval_required: [
    403,
    "This team's policy needs an admin's approval for keys with this access. Request the key on the team's API Keys page in the dashboard; a team admin will approve or deny it.",
  ],
  approval_not_needed: [409, "This key does not need an approval under the team's policy: create it directly instead."],
  scopes_not_allowed_by_team: [403, "This team's policy does not let developers grant some of these scopes. Choose fewer scopes, or ask a team admin."],
  team_policy_rotation: [
    403,
    "This team's policy puts keys with this access behind an admin's approval, so only a team admin or owner may rotate this key. Ask one of them.",
  ],
  team_reviews_admins_only: [403, "Only the team's owners and admins start and follow its access reviews. Ask one of them."],
  review_no_keys: [422, "No usable key matches these filters. Widen them, or start the review later."],
  review_too_large: [422, "More than 5,000 keys match these filters. Narrow them (a team, an owner or a scope) and start a review for each part."],
  review_item_not_found: [404, "That key was not found among those waiting for your answer in an open review. It may have been answered already, or the review has ended; refresh the page."],
  review_not_found: [404, "That access review was not found. Refresh the page."],
  team_webhooks_admins_only: [403, "Only the team's owners and admins manage its webhooks. Ask one of them."],
  webhook_not_found: [404, "That webhook endpoint was not found. It may have been deleted; refresh the page."],
  webhook_delivery_not_found: [404, "That delivery was not found. Its endpoint may have been deleted; refresh the page."],
  webhook_limit_reached: [409, "You have reached the limit of 20 webhook endpoints. Delete one you no longer use, then try again."],
  webhook_delivery_in_progress: [409, "That delivery is still being tried. Wait for its attempts to end, then send it again."],
  webhook_disabled: [409, "That endpoint is disabled. Enable it first, then send the test event."],
  key_request_not_found: [404, "That key request was not found. It may belong to another team; refresh the page."],
  key_request_decided: [409, "This request was already approved, denied or cancelled. Refresh the page to see its status."],
  own_key_request: [403, "You cannot approve or deny your own request. Ask another team admin or owner."],
  key_request_not_approved: [409, "This request is not approved, so no key can be created from it. Refresh the page to see its status."],
  key_request_issued: [
    409,
    "A key was already created from this request, and its secret was shown once. If you lost it, rotate that key from the team's API Keys page.",
  ],
  key_request_expired: [409, "The expiry date this request asked for has passed. Request the key again with a later date."],
  rate_limited: [429, "Too many requests. Wait a moment and try again."],
  service_unavailable: [503, "The service is briefly unavailable. Try again in a few seconds."],
  internal_error: [500, "Something went wrong on our side. Try again; if it keeps happening, contact your administrator."],
} as const satisfies Record<string, readonly [number, string]>;

export type ErrorCode = keyof typeof ERRORS;
export const ERROR_CODES = Object.keys(ERRORS) as ErrorCode[];

export type AppErrorOptions = {
  /** Replaces the table's sentence when the situation allows a more precise one. */
  message?: string;
  /** One sentence per input field (forms show them beside the field; the API under details.fields). */
  fieldErrors?: Record<string, string>;
  /** Extra machine-readable detail for API clients (e.g. the scopes that were missing). */
  details?: Record<string, unknown>;
  /** Response headers that belong to the error (WWW-Authenticate, Retry-After). */
  headers?: Record<string, string>;
  cause?: unknown;
};

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly fieldErrors?: Record<string, string>;
  readonly details?: Record<string, unknown>;
  readonly headers?: Record<string, string>;

  constructor(code: ErrorCode, options: AppErrorOptions = {}) {
    super(options.message ?? ERRORS[code][1], { cause: options.cause });
    this.name = "AppError";
    this.code = code;
    this.status = ERRORS[code][0];
    this.fieldErrors = options.fieldErrors;
    this.details = options.details;
    this.headers = options.headers;
  }
}

export function messageOf(code: ErrorCode): string {
  return ERRORS[code][1];
}

// Postgres error codes that mean "the database is unreachable or shutting down", not a bug.
// Shutdown, connection failures, too many connections, statement timeout; and the two transient
// conflicts (deadlock detected, serialization failure): the transaction was rolled back whole, so
// the caller gets 503 with Retry-After and a retry succeeds. None is the client's fault.
const UNAVAILABLE_PG_CODES = new Set(["57P01", "57P02", "57P03", "08000", "08001", "08003", "08006", "53300", "57014", "40P01", "40001"]);
const UNAVAILABLE_NODE_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "ENOTFOUND"]);

export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const e = findPgError(error);
  return !!e && e.code === "23505" && (!constraint || e.constraint === constraint);
}

// What the drivers say, without a code, when a connection dies or a wait runs out (pg, pg-pool and
// Neon's fork of them): the socket closed under a query, a connect or client-side query timeout.
const UNAVAILABLE_MESSAGES =
  /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|Query read timeout|terminating connection/i;

/**
 * Whether an error means "the database cannot answer right now" (down, restarting, out of
 * connections, cancelled by a timeout), which the app reports as 503 and retries, as opposed to a
 * bug (500). Looks through the wrappers: drizzle puts the driver's error in `cause`.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth++) {
    const candidate = current as { code?: unknown; message?: unknown; cause?: unknown };
    if (typeof candidate.code === "string" && (UNAVAILABLE_PG_CODES.has(candidate.code) || UNAVAILABLE_NODE_CODES.has(candidate.code))) return true;
    if (typeof candidate.message === "string" && UNAVAILABLE_MESSAGES.test(candidate.message)) return true;
    current = candidate.cause;
  }
  return false;
}

type PgErrorLike = { code?: string; constraint?: string };

// Drivers wrap errors differently (drizzle adds a DrizzleQueryError with the driver's as cause).
function findPgError(error: unknown): PgErrorLike | undefined {
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth++) {
    const candidate = current as PgErrorLike & { cause?: unknown };
    if (typeof candidate.code === "string") return candidate;
    current = candidate.cause;
  }
  return undefined;
}
