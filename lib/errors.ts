// One list of error codes. Each maps to an HTTP status and a sentence a user can act on; the
// cause is logged on the server, never sent to the client.
const ERRORS = {
  "bad_request:validation": [422, "Some fields need attention."],
  "bad_request:body": [400, "The request body is not valid JSON."],
  "unauthorized:session": [401, "Your session has ended. Sign in again to continue."],
  "unauthorized:api_key": [401, "Provide a valid API key in the Authorization header: Bearer <key>."],
  "forbidden:insufficient_scope": [403, "This API key does not have the scope this request needs."],
  "not_found:api_key": [404, "That API key was not found. It may have been deleted; refresh the page."],
  "not_found:route": [404, "Not found."],
  "not_found:user": [404, "That user was not found. Refresh the page."],
  "conflict:last_admin": [409, "This is the last admin. Promote someone else before changing this role."],
  "conflict:key_quota": [409, "You have reached this deployment's limit of active keys. Delete keys you no longer use, then try again."],
  "conflict:api_key_name": [409, "You already have a key with this name. Choose another name."],
  "conflict:key_already_revoked": [409, "This key is already revoked. Delete it to remove it from your list."],
  "conflict:key_not_active": [409, "Only an active key can be rotated. This one is revoked or expired: create a new key instead."],
  "conflict:key_inactive": [409, "This key is revoked or expired, so it can no longer be changed. Create a new key instead."],
  "conflict:email_taken": [409, "An account with this email already exists. Sign in instead."],
  "rate_limited": [429, "Too many requests. Wait a moment and try again."],
  "unavailable:database": [503, "The service is briefly unavailable. Try again in a few seconds."],
  "internal": [500, "Something went wrong on our side. Try again; if it keeps happening, contact your administrator."],
} as const satisfies Record<string, readonly [number, string]>;

export type ErrorCode = keyof typeof ERRORS;

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly fieldErrors?: Record<string, string>;

  constructor(code: ErrorCode, options: { message?: string; fieldErrors?: Record<string, string>; cause?: unknown } = {}) {
    super(options.message ?? ERRORS[code][1], { cause: options.cause });
    this.name = "AppError";
    this.code = code;
    this.status = ERRORS[code][0];
    this.fieldErrors = options.fieldErrors;
  }
}

export function statusOf(code: ErrorCode): number {
  return ERRORS[code][0];
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
