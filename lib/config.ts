import path from "node:path";

// The environment variables the app reads (the README lists them all). Each is read when asked
// for, never at import, so tests and the e2e servers can set them per process. Read elsewhere
// only outside lib/, by files that run before or beside the app: server.mjs (PORT, HOSTNAME,
// TRUSTED_PROXY_HOPS, NODE_ENV, KEYSMITH_API_VIA_NEXT, METRICS_PORT, METRICS_HOST, METRICS_TOKEN),
// next.config.ts and proxy.ts (NODE_ENV) and instrumentation.ts (NEXT_RUNTIME, which Next.js
// replaces at build time).
export const config = {
  get databaseUrl(): string | undefined {
    return process.env.DATABASE_URL?.trim() || undefined;
  },
  get databaseDriver(): string | undefined {
    return process.env.DATABASE_DRIVER?.trim() || undefined;
  },
  /** `pg`: the server cancels a statement after this long; 0 stops sending it (db/client.ts). */
  get databaseStatementTimeoutMs(): number {
    return nonNegativeInt("DATABASE_STATEMENT_TIMEOUT_MS", 10_000);
  },
  get databaseConnectTimeoutMs(): number {
    return positiveInt("DATABASE_CONNECT_TIMEOUT_MS", 5_000);
  },
  get databasePoolMax(): number {
    return positiveInt("DATABASE_POOL_MAX", 10);
  },
  /** Apply migrations at start on a real database (PGlite always migrates). */
  get autoMigrate(): boolean {
    return process.env.AUTO_MIGRATE === "1";
  },
  /** Tests only: a WebSocket-to-TCP proxy for Neon's driver in front of a plain Postgres. */
  get neonWsProxy(): string | undefined {
    return process.env.NEON_WS_PROXY?.trim() || undefined;
  },
  /** Where the embedded database and generated secrets live when no DATABASE_URL is set. */
  get dataDir(): string {
    return path.resolve(/* turbopackIgnore: true */ process.cwd(), process.env.KEYSMITH_DATA_DIR?.trim() || ".data");
  },
  /** PGlite folder; "memory://" keeps it in memory (tests). */
  get pgliteDir(): string {
    return process.env.PGLITE_DATA_DIR?.trim() || path.join(/* turbopackIgnore: true */ this.dataDir, "pglite");
  },
  /** As set; lib/secrets.ts checks them (and generates them on the embedded default). */
  get authSecret(): string | undefined {
    return process.env.AUTH_SECRET;
  },
  get keyPepper(): string | undefined {
    return process.env.KEY_PEPPER;
  },
  /** Seals second-factor seeds and keys recovery-code digests (lib/crypto/seal.ts). */
  get encryptionKey(): string | undefined {
    return process.env.ENCRYPTION_KEY;
  },
  /** Older ENCRYPTION_KEY values, comma-separated: still open what they sealed, while rotating. */
  get encryptionKeysPrevious(): string[] {
    return (process.env.ENCRYPTION_KEY_PREVIOUS ?? "").split(",").map((k) => k.trim()).filter(Boolean);
  },
  get isProduction(): boolean {
    return process.env.NODE_ENV === "production";
  },
  get adminEmails(): string[] {
    return (process.env.ADMIN_EMAILS ?? "")
      .split(",")
      .map((e) => e.trim().toLowerCase())
      .filter(Boolean);
  },
  /** The public base URL, when set (else lib/request-context.ts derives it from the request). */
  get appUrl(): string | undefined {
    return process.env.APP_URL || undefined;
  },
  /** Reverse proxies in front of the app (lib/request-context.ts); 0 when unset or not a number. */
  get trustedProxyHops(): number {
    return Number(process.env.TRUSTED_PROXY_HOPS ?? 0) || 0;
  },
  /** Failed sign-ins allowed per account in each 15-minute window. */
  get loginFailuresPerAccount(): number {
    return positiveIntOr(process.env.LOGIN_FAILURES_PER_ACCOUNT, 10);
  },
  /** Failed sign-ins allowed per client address in each 15-minute window. */
  get loginFailuresPerIp(): number {
    return positiveIntOr(process.env.LOGIN_FAILURES_PER_IP, 50);
  },
  /** MAX_ACTIVE_KEYS_PER_USER (default 1000): usable keys one account may hold at once. */
  get maxActiveKeysPerUser(): number {
    return positiveIntOr(process.env.MAX_ACTIVE_KEYS_PER_USER, 1000);
  },
  /** KEY_MAX_LIFETIME_DAYS: days after creation a key may live at most; unset or 0 = no maximum. */
  get keyMaxLifetimeDays(): number | null {
    return days("KEY_MAX_LIFETIME_DAYS", null);
  },
  /** ROTATION_PERIOD_DAYS (default 90): a secret older than this is due for rotation; 0 turns it off. */
  get rotationPeriodDays(): number | null {
    return days("ROTATION_PERIOD_DAYS", 90);
  },
  /** RATE_LIMIT_PER_MINUTE (default 600): requests one key may make per minute. */
  get ratePerMinute(): number {
    return positiveIntOr(process.env.RATE_LIMIT_PER_MINUTE, 600);
  },
  /** AUTH_FAILURES_PER_MINUTE (default 60): failed authentications one client address may make per minute. */
  get authFailuresPerMinute(): number {
    return positiveIntOr(process.env.AUTH_FAILURES_PER_MINUTE, 60);
  },
  /** USAGE_FLUSH_MS (default 1 s): how long usage counts wait in memory before being written. */
  get usageFlushMs(): number {
    return positiveIntOr(process.env.USAGE_FLUSH_MS, 1_000);
  },
  /** JOB_POLL_MS (default 2 s): how often each server process asks the database for due background jobs (lib/jobs). */
  get jobPollMs(): number {
    return positiveIntOr(process.env.JOB_POLL_MS, 2_000);
  },
  /**
   * WEBHOOK_ALLOWED_HOSTS (comma-separated `host:port`): webhook endpoints allowed to resolve to a
   * private or loopback address and to use plain http (an internal receiver; the tests' local one).
   */
  get webhookAllowedHosts(): string | undefined {
    return process.env.WEBHOOK_ALLOWED_HOSTS?.trim() || undefined;
  },
  /** SMTP_URL (smtp://user:pass@host:587 or smtps://…:465): where mail goes; unset, nothing is mailed. */
  get smtpUrl(): string | undefined {
    return process.env.SMTP_URL?.trim() || undefined;
  },
  /** MAIL_FROM: the sender of every mail (default "Keysmith <keysmith@localhost>"). */
  get mailFrom(): string {
    return process.env.MAIL_FROM?.trim() || "Keysmith <keysmith@localhost>";
  },
  /**
   * Single sign-on through OpenID Connect: OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET all
   * set, or none (no provider, no button). OIDC_NAME names the provider on the button ("Okta").
   * The client secret is handed to Auth.js only; it is never logged or shown.
   */
  get oidc(): { issuer: string; clientId: string; clientSecret: string; name: string } | null {
    const issuer = process.env.OIDC_ISSUER?.trim();
    const clientId = process.env.OIDC_CLIENT_ID?.trim();
    const clientSecret = process.env.OIDC_CLIENT_SECRET;
    if (!issuer || !clientId || !clientSecret) return null;
    return { issuer, clientId, clientSecret, name: process.env.OIDC_NAME?.trim() || "single sign-on" };
  },
  /**
   * BREAK_GLASS_EMAILS: admin addresses that may still sign in with a password while single sign-on
   * is the only way in (each such sign-in is audited and logged as a warning). Lower-cased.
   */
  get breakGlassEmails(): string[] {
    return (process.env.BREAK_GLASS_EMAILS ?? "")
      .split(",")
      .map((e) => e.trim().toLowerCase())
      .filter(Boolean);
  },
  /** Benchmarks only: enables GET /api/bench/static. */
  get bench(): boolean {
    return process.env.KEYSMITH_BENCH === "1";
  },
  /** Tests only: requests may shift "now" forward (lib/clock.ts). Never in production. */
  get testClock(): boolean {
    return process.env.KEYSMITH_TEST_CLOCK === "1";
  },
};

/** A whole number of days; unset or empty: the fallback; 0: none (null); anything else throws. */
function days(name: string, fallback: number | null): number | null {
  const value = process.env[name];
  if (value === undefined || value.trim() === "") return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`Expected a whole number of days, got "${value}".`);
  return n === 0 ? null : n;
}

/** A positive whole number, else the fallback (unset, empty, zero, negative or not a number). */
function positiveIntOr(value: string | undefined, fallback: number): number {
  const n = Number(value);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}

/** A whole number of milliseconds, 0 or more; the fallback when unset; anything else throws. */
function nonNegativeInt(name: string, fallback: number): number {
  const raw = process.env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a whole number of milliseconds, not "${raw}".`);
  return value;
}

function positiveInt(name: string, fallback: number): number {
  const value = nonNegativeInt(name, fallback);
  if (value === 0) throw new Error(`${name} must be more than 0.`);
  return value;
}
