import { sql } from "drizzle-orm";
import {
  check,
  date,
  index,
  bigint,
  boolean,
  integer,
  jsonb,
  primaryKey,
  pgTable,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { JOB_STATUSES } from "../lib/jobs/labels";
import { NOTIFICATION_KINDS } from "../lib/notifications/kinds";
import { WEBHOOK_DELIVERY_STATUSES, type WebhookAttempt } from "../lib/webhooks/delivery-status";
import { REVIEW_DECISIONS, REVIEW_ON_DUE, REVIEW_STATUSES } from "../lib/reviews/rules";

const timestamps = {
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
};

export const users = pgTable(
  "users",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    // Stored lower-cased and trimmed; the unique index makes "email taken" a database fact.
    email: text("email").notNull(),
    name: text("name").notNull(),
    passwordHash: text("password_hash").notNull(),
    role: text("role", { enum: ["admin", "member"] }).notNull().default("member"),
    // Sessions are stateless JWTs; each carries the version it was issued under. Signing out
    // (or an admin ending the user's sessions) bumps it, so every older cookie stops working.
    sessionVersion: integer("session_version").notNull().default(0),
    // Set while an admin has suspended the account: no sign-in, no session, and every key of the
    // account refused (USER_SUSPENDED) by the verification lookup, which reads this column in the
    // join it already makes. Nothing is deleted; reinstating clears it.
    suspendedAt: timestamp("suspended_at", { withTimezone: true }),
    // A deleted account stays as an anonymised row (email, name and password replaced), so the
    // append-only audit log keeps its actor and target ids and its keys stay, revoked, for the trail.
    deletedAt: timestamp("deleted_at", { withTimezone: true }),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("users_email_key").on(t.email),
    // Substring search over owners' emails (admin key list, users page): trigram GIN (pg_trgm)
    // serves ILIKE '%…%', which a btree cannot.
    index("users_email_trgm_idx").using("gin", t.email.op("gin_trgm_ops")),
    index("users_created_id_idx").on(t.createdAt, t.id),
    // The last-active-admin guard locks every active admin (lockActiveAdmins in db/queries/accounts.ts).
    index("users_active_admins_idx").on(t.id).where(sql`${t.role} = 'admin' and ${t.suspendedAt} is null and ${t.deletedAt} is null`),
  ],
);
export type User = typeof users.$inferSelect;
export type NewUser = typeof users.$inferInsert;

export const apiKeys = pgTable(
  "api_keys",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    // The owner is a person (user_id) or a team (team_id), never both (api_keys_one_owner). A
    // personal key's queries filter on user_id, which a team key never has: a team key is never
    // reached through the person who created it.
    userId: uuid("user_id").references(() => users.id, { onDelete: "cascade" }),
    teamId: uuid("team_id").references(() => teams.id, { onDelete: "cascade" }),
    // Who made the key (shown on team keys). Not an owner: a team key outlives its creator.
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    name: text("name").notNull(),
    description: text("description"),
    // HMAC-SHA-256(pepper, key) as hex. Never the key itself; hash_version allows a future scheme.
    keyHash: text("key_hash").notNull(),
    hashVersion: smallint("hash_version").notNull().default(1),
    // Display hint only: the prefix and the last four characters, e.g. "ks_…a1B2".
    hint: text("hint").notNull(),
    access: text("access", { enum: ["full", "read_only", "restricted"] }).notNull(),
    scopes: text("scopes").array().notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
    lastUsedIp: text("last_used_ip"),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    revokedReason: text("revoked_reason"),
    // When the current secret was issued (creation or last rotation): drives "Rotation due".
    secretCreatedAt: timestamp("secret_created_at", { withTimezone: true }).notNull().defaultNow(),
    // A key the owner deleted stays (revoked) for the audit trail but leaves their list.
    deletedAt: timestamp("deleted_at", { withTimezone: true }),
    // The client addresses the key is accepted from: IPv4/IPv6 CIDR blocks in canonical form
    // (lib/keys/cidr.ts). Null = from anywhere. Read by the verification lookup it already makes.
    allowedIps: text("allowed_ips").array(),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("api_keys_key_hash_key").on(t.keyHash),
    check("api_keys_allowed_ips_size", sql`${t.allowedIps} is null or cardinality(${t.allowedIps}) between 1 and 100`),
    uniqueIndex("api_keys_user_name_key")
      .on(t.userId, sql`lower(${t.name})`)
      .where(sql`${t.deletedAt} is null`),
    index("api_keys_user_created_idx").on(t.userId, t.createdAt),
    // A team's live key names are unique like a person's (createApiKey's name check for a team).
    uniqueIndex("api_keys_team_name_key")
      .on(t.teamId, sql`lower(${t.name})`)
      .where(sql`${t.deletedAt} is null`),
    // A team's key list, newest first (listApiKeys / pageApiKeys for a team owner); a team's keys for
    // its usage overview (db/queries/team-usage.ts), their days then by the usage table's key.
    index("api_keys_team_created_idx").on(t.teamId, t.createdAt),
    check("api_keys_one_owner", sql`(${t.userId} is null) <> (${t.teamId} is null)`),
    // The admin list across all keys: each sort order has an index that yields rows already in
    // that order (id breaks ties), so a page reads ~50 index entries instead of sorting 100,000
    // rows. The nullable columns are sorted through coalesce (never used = -infinity, never
    // expires = +infinity): the same order as NULLS LAST/FIRST, but with no NULLs a row
    // comparison can continue from any row, which the CSV export's keyset batches rely on.
    index("api_keys_created_id_idx").on(t.createdAt, t.id),
    index("api_keys_name_sort_idx").on(sql`lower(${t.name})`, t.id),
    // Admin -> All keys, a 1-2 character search: the start of the name (LIKE 'ci%' in any collation).
    index("api_keys_name_prefix_idx").on(sql`lower(${t.name}) text_pattern_ops`),
    index("api_keys_last_used_sort_idx").on(sql`coalesce(${t.lastUsedAt}, '-infinity'::timestamptz)`, t.id),
    index("api_keys_expires_sort_idx").on(sql`coalesce(${t.expiresAt}, 'infinity'::timestamptz)`, t.id),
    // Status filters (expired / expiring soon) look up expires_at ranges.
    index("api_keys_expires_idx").on(t.expiresAt),
    // scope filter: scopes @> '{keys:write}'.
    index("api_keys_scopes_idx").using("gin", t.scopes),
    // Substring search over names and hints (ILIKE '%…%').
    index("api_keys_name_trgm_idx").using("gin", t.name.op("gin_trgm_ops")),
    index("api_keys_hint_trgm_idx").using("gin", t.hint.op("gin_trgm_ops")),
  ],
);
export type ApiKey = typeof apiKeys.$inferSelect;
export type NewApiKey = typeof apiKeys.$inferInsert;

export const auditEvents = pgTable(
  "audit_events",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    actorId: uuid("actor_id").references(() => users.id, { onDelete: "set null" }),
    action: text("action").notNull(),
    targetType: text("target_type"),
    targetId: uuid("target_id"),
    metadata: jsonb("metadata").$type<Record<string, unknown>>().notNull().default({}),
    ip: text("ip"),
    userAgent: text("user_agent"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    // The team the event belongs to (its team log, /t/<slug>/settings/audit): a team's own events
    // and its keys' events. No foreign key: teams are only ever soft-deleted, and the log outlives them.
    teamId: uuid("team_id"),
  },
  (t) => [
    index("audit_events_actor_created_idx").on(t.actorId, t.createdAt),
    // A team's log, newest first, id breaking ties (listTeamAudit in db/queries/audit-log.ts).
    index("audit_events_team_created_idx").on(t.teamId, t.createdAt, t.id).where(sql`${t.teamId} is not null`),
    index("audit_events_target_idx").on(t.targetId),
    // Newest first with id breaking ties, for paging and the export's keyset batches.
    index("audit_events_created_id_idx").on(t.createdAt, t.id),
    index("audit_events_action_created_idx").on(t.action, t.createdAt),
  ],
);
export type AuditEvent = typeof auditEvents.$inferSelect;

/**
 * One row per rotation: the history on the key's page, and the old secret's digest, which keeps
 * verifying (as the same key) until grace_until.
 */
export const apiKeyRotations = pgTable(
  "api_key_rotations",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    keyId: uuid("key_id")
      .notNull()
      .references(() => apiKeys.id, { onDelete: "cascade" }),
    oldKeyHash: text("old_key_hash").notNull(),
    oldHint: text("old_hint").notNull(),
    newHint: text("new_hint").notNull(),
    graceUntil: timestamp("grace_until", { withTimezone: true }).notNull(),
    actorId: uuid("actor_id").references(() => users.id, { onDelete: "set null" }),
    via: text("via", { enum: ["dashboard", "api"] }).notNull(),
    rotatedAt: timestamp("rotated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("api_key_rotations_old_hash_key").on(t.oldKeyHash),
    index("api_key_rotations_key_idx").on(t.keyId, t.rotatedAt),
  ],
);
export type ApiKeyRotation = typeof apiKeyRotations.$inferSelect;

/** Requests per key per UTC day, written in batches (never once per request). */
export const apiKeyUsageDaily = pgTable(
  "api_key_usage_daily",
  {
    keyId: uuid("key_id")
      .notNull()
      .references(() => apiKeys.id, { onDelete: "cascade" }),
    day: date("day", { mode: "string" }).notNull(),
    successCount: integer("success_count").notNull().default(0),
    failureCount: integer("failure_count").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.keyId, t.day] })],
);
export type ApiKeyUsageDaily = typeof apiKeyUsageDaily.$inferSelect;

/**
 * Fixed-window counters shared by every server process (per-key request limits, failed
 * authentications per client IP). Rows are tiny and old windows are pruned.
 */
export const rateLimitCounters = pgTable(
  "rate_limit_counters",
  {
    bucket: text("bucket").notNull(),
    windowStart: timestamp("window_start", { withTimezone: true, mode: "date" }).notNull(),
    count: integer("count").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.bucket, t.windowStart] }), index("rate_limit_counters_window_idx").on(t.windowStart)],
);

/**
 * Password reset links (lib/commands/accounts.ts). Only the SHA-256 digest of the link's token is
 * stored; a token works once, for an hour, and only while the account's session version is the one
 * it was issued under (a password change, "sign out everywhere" or a newer link voids it). A newer
 * link for the same account deletes the older ones.
 */
export const passwordResetTokens = pgTable(
  "password_reset_tokens",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    tokenHash: text("token_hash").notNull(),
    sessionVersion: integer("session_version").notNull(),
    /** The admin who made the link for the user; null when the user asked for it by email. */
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // consumeResetToken: the link's token is found by its digest.
    uniqueIndex("password_reset_tokens_hash_key").on(t.tokenHash),
    // issueResetToken: an account's older links are deleted.
    index("password_reset_tokens_user_idx").on(t.userId, t.createdAt),
  ],
);

/**
 * A change of email waiting for the new address to confirm it (lib/commands/email-change.ts). As
 * with reset links, only the SHA-256 digest of the link's token is stored; a link works once, for a
 * day, while the account's session version is the one it was issued under. One pending change per
 * account: a newer request deletes the older one.
 */
export const emailChanges = pgTable(
  "email_changes",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    newEmail: text("new_email").notNull(),
    tokenHash: text("token_hash").notNull(),
    sessionVersion: integer("session_version").notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // consumeEmailChange: the link's token is found by its digest.
    uniqueIndex("email_changes_hash_key").on(t.tokenHash),
    // issueEmailChange: an account's older pending change is deleted.
    index("email_changes_user_idx").on(t.userId),
  ],
);

/**
 * Sign-ups waiting for their address to confirm (lib/commands/sign-up.ts): where the deployment
 * mails, an open sign-up creates no account until the link mailed to the address is opened. As
 * with reset links, only the SHA-256 digest of the link's `kss_` token is stored; the password is
 * kept as its argon2 hash. A link works once, for a day; one per address (a newer sign-up replaces
 * the older); a few wrong passwords at the link void it.
 */
export const pendingSignUps = pgTable(
  "pending_sign_ups",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    // Lower-cased and trimmed, like users.email.
    email: text("email").notNull(),
    name: text("name").notNull(),
    passwordHash: text("password_hash").notNull(),
    tokenHash: text("token_hash").notNull(),
    /** Wrong passwords typed at the link so far. */
    failedAttempts: integer("failed_attempts").notNull().default(0),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // consumePendingSignUp: the link's token is found by its digest.
    uniqueIndex("pending_sign_ups_token_hash_key").on(t.tokenHash),
    // issuePendingSignUp: one per address, a newer sign-up replaces the older (upsert on it).
    uniqueIndex("pending_sign_ups_email_key").on(t.email),
    // issuePendingSignUp: expired ones are cleared.
    index("pending_sign_ups_expires_idx").on(t.expiresAt),
  ],
);

/**
 * The deployment's settings an admin changes in Admin -> Settings: one row (id 1, inserted by the
 * migration). Who may sign up (lib/accounts/sign-up-policy.ts): the sign-up transaction reads the
 * row FOR SHARE and a change updates it, so a change and a sign-up never interleave.
 */
export const appSettings = pgTable(
  "app_settings",
  {
    id: smallint("id").primaryKey().default(1),
    signUpMode: text("sign_up_mode", { enum: ["open", "domains", "invite_only", "closed"] }).notNull().default("open"),
    // Exact domains (lower-case) that may sign up in the "domains" mode; kept when the mode changes.
    signUpDomains: text("sign_up_domains").array().notNull().default(sql`'{}'::text[]`),
    // Single sign-on is the only way in (lib/accounts/sso-policy.ts): passwords refused but for
    // BREAK_GLASS_EMAILS admins. In effect only while OIDC_* is configured (lib/config.ts).
    ssoOnly: boolean("sso_only").notNull().default(false),
    // Who must have a second factor (lib/mfa/policy.ts): nobody, admins, or everyone.
    mfaPolicy: text("mfa_policy", { enum: ["optional", "admins", "everyone"] }).notNull().default("optional"),
    updatedBy: uuid("updated_by").references(() => users.id, { onDelete: "set null" }),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [check("app_settings_one_row", sql`${t.id} = 1`)],
);
export type AppSettings = typeof appSettings.$inferSelect;

/**
 * Invitations (lib/commands/invitations.ts): an admin invites an address with a role; the link's
 * token is `ksi_` + 256 random bits and only its SHA-256 digest is stored. A link works once,
 * for 7 days, until revoked or replaced by a newer invitation to the same address, and only while
 * its inviter is still an active admin.
 */
export const invitations = pgTable(
  "invitations",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    // Lower-cased and trimmed, like users.email.
    email: text("email").notNull(),
    role: text("role", { enum: ["admin", "member"] }).notNull(),
    tokenHash: text("token_hash").notNull(),
    invitedBy: uuid("invited_by").references(() => users.id, { onDelete: "set null" }),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    acceptedAt: timestamp("accepted_at", { withTimezone: true }),
    acceptedBy: uuid("accepted_by").references(() => users.id, { onDelete: "set null" }),
    // Revoked by an admin, or replaced by a newer invitation to the same address.
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // acceptInvitation and describeInvitation: the link's token is found by its digest.
    uniqueIndex("invitations_token_hash_key").on(t.tokenHash),
    // createInvitation: one open invitation per address (an older one is revoked first).
    uniqueIndex("invitations_open_email_key").on(t.email).where(sql`${t.acceptedAt} is null and ${t.revokedAt} is null`),
    // listOpenInvitations: Admin -> Users, newest first.
    index("invitations_open_created_idx").on(t.createdAt, t.id).where(sql`${t.acceptedAt} is null and ${t.revokedAt} is null`),
  ],
);
export type Invitation = typeof invitations.$inferSelect;

/**
 * Passkeys (lib/commands/passkeys.ts): WebAuthn credentials a user registered in Settings ->
 * Profile, each a first factor (with user verification, two). Nothing here is secret: the public
 * key, the credential id the authenticator chose, its signature counter and backup flags.
 */
export const passkeys = pgTable(
  "passkeys",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    // base64url, as the browser sends it back in every assertion.
    credentialId: text("credential_id").notNull(),
    // The COSE public key, base64url.
    publicKey: text("public_key").notNull(),
    // The authenticator's signature counter (0 for authenticators that keep none, as synced passkeys do).
    counter: bigint("counter", { mode: "number" }).notNull().default(0),
    transports: text("transports").array().notNull().default(sql`'{}'::text[]`),
    deviceType: text("device_type", { enum: ["singleDevice", "multiDevice"] }).notNull(),
    backedUp: boolean("backed_up").notNull(),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
    ...timestamps,
  },
  (t) => [
    // verifyPasskeyAssertion: the credential an assertion names is found by its id.
    uniqueIndex("passkeys_credential_id_key").on(t.credentialId),
    // listPasskeys (Profile, oldest first), the excluded credentials of a new registration, and
    // "has a second factor" (hasSecondFactorSql: the session's user, the Users list, the policy).
    index("passkeys_user_created_idx").on(t.userId, t.createdAt),
  ],
);
export type Passkey = typeof passkeys.$inferSelect;

/**
 * A WebAuthn ceremony in progress: the challenge the browser must sign, for 5 minutes, once. It is
 * bound to the browser that asked for it by a `kspc_` token in an httpOnly cookie, of which only
 * the SHA-256 digest is stored; a registration is also bound to the signed-in user and the session
 * version it was asked under.
 */
export const passkeyChallenges = pgTable(
  "passkey_challenges",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    tokenHash: text("token_hash").notNull(),
    purpose: text("purpose", { enum: ["registration", "authentication"] }).notNull(),
    // Registration: the signed-in user. Authentication: null for a usernameless sign-in, or the
    // user whose passkey must answer (a second-factor check).
    userId: uuid("user_id").references(() => users.id, { onDelete: "cascade" }),
    sessionVersion: integer("session_version"),
    challenge: text("challenge").notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // takePasskeyChallenge: the cookie's token is found by its digest (and the row deleted).
    uniqueIndex("passkey_challenges_token_hash_key").on(t.tokenHash),
    // issuePasskeyChallenge: expired challenges are pruned.
    index("passkey_challenges_expires_idx").on(t.expiresAt),
  ],
);

/**
 * Single sign-on identities (lib/commands/sso.ts): an OpenID Connect issuer and subject, linked to
 * one account when it first signs in (created just in time, or matched once by a verified email).
 * Later sign-ins match by the pair, never by email. Nothing secret is stored: no token, no code.
 */
export const ssoLinks = pgTable(
  "sso_links",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    issuer: text("issuer").notNull(),
    subject: text("subject").notNull(),
    // The verified address the identity had when it was linked (for the audit and the admin).
    email: text("email").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    lastSignInAt: timestamp("last_sign_in_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // acceptSsoIdentity: a sign-in finds its account by issuer and subject; one account per identity.
    uniqueIndex("sso_links_issuer_subject_key").on(t.issuer, t.subject),
    // acceptSsoIdentity: one identity per issuer per account (an email match never adds a second one).
    uniqueIndex("sso_links_user_issuer_key").on(t.userId, t.issuer),
  ],
);
export type SsoLink = typeof ssoLinks.$inferSelect;

/**
 * A user's authenticator app (TOTP, lib/commands/second-factor.ts). The seed is sealed with
 * ENCRYPTION_KEY (lib/crypto/seal.ts, AES-256-GCM, versioned), a key that is not in the database.
 * While set-up is unconfirmed only `pendingSecret` is set; `enabledAt` marks a confirmed factor.
 * `lastStep` is the last accepted time step: a code is accepted once (RFC 6238 section 5.2).
 */
export const totpFactors = pgTable("totp_factors", {
  userId: uuid("user_id")
    .primaryKey()
    .references(() => users.id, { onDelete: "cascade" }),
  secret: text("secret"),
  pendingSecret: text("pending_secret"),
  enabledAt: timestamp("enabled_at", { withTimezone: true }),
  lastStep: bigint("last_step", { mode: "number" }),
  ...timestamps,
});
export type TotpFactor = typeof totpFactors.$inferSelect;

/** Recovery codes: HMAC-SHA-256 digests (keyed by ENCRYPTION_KEY) of ten one-time codes per user. */
export const recoveryCodes = pgTable(
  "recovery_codes",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    codeHash: text("code_hash").notNull(),
    usedAt: timestamp("used_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // useRecoveryCode: a code is found by its owner and digest; replaceRecoveryCodes deletes by owner.
    uniqueIndex("recovery_codes_user_hash_key").on(t.userId, t.codeHash),
  ],
);

/**
 * A sign-in waiting for its second factor: `ksc_` + 256 random bits in an httpOnly cookie, only
 * its SHA-256 digest here; bound to the user and the session version the first factor saw; five
 * minutes; five wrong codes end it; spent once.
 */
export const secondFactorChallenges = pgTable(
  "second_factor_challenges",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    tokenHash: text("token_hash").notNull(),
    sessionVersion: integer("session_version").notNull(),
    failures: integer("failures").notNull().default(0),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // findChallenge and completeChallenge: the cookie's token is found by its digest.
    uniqueIndex("second_factor_challenges_hash_key").on(t.tokenHash),
    // createChallenge: a user's older challenges are deleted when a new one starts.
    index("second_factor_challenges_user_idx").on(t.userId),
  ],
);

/**
 * Teams (lib/commands/teams.ts): a first-class owner of keys beside a person. The slug is the
 * team's address in the dashboard (`/t/<slug>/…`), lower-case, unique among teams that exist.
 * A deleted team stays as a row (its audit trail keeps its id), its slug freed.
 */
export const teams = pgTable(
  "teams",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    slug: text("slug").notNull(),
    name: text("name").notNull(),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    deletedAt: timestamp("deleted_at", { withTimezone: true }),
    // The team's key policy (lib/teams/policy.ts), set by owners and admins. It can only tighten
    // the deployment's policy (lib/policy.ts), never loosen it.
    // Longest lifetime a team key may have, in days; null = the deployment's maximum.
    policyMaxLifetimeDays: integer("policy_max_lifetime_days"),
    // Every team key must have an expiry date.
    policyRequireExpiry: boolean("policy_require_expiry").notNull().default(false),
    // The scopes a developer may grant a team key; null = every scope. Admins and owners are not bound by it.
    policyDeveloperScopes: text("policy_developer_scopes").array(),
    // Keys with this access or broader (read_only < restricted < full) wait for an admin's
    // approval when a developer asks for one (api_key_requests); null = no approval.
    policyApprovalFrom: text("policy_approval_from", { enum: ["read_only", "restricted", "full"] }),
    // Full-access team keys must carry an IP allowlist.
    policyIpsRequiredForFull: boolean("policy_ips_required_for_full").notNull().default(false),
    ...timestamps,
  },
  (t) => [
    check("teams_policy_max_lifetime", sql`${t.policyMaxLifetimeDays} is null or ${t.policyMaxLifetimeDays} between 1 and 3650`),
    // teamBySlug: every team page and action finds its team by the slug in the URL.
    uniqueIndex("teams_slug_key").on(t.slug).where(sql`${t.deletedAt} is null`),
    check("teams_slug_shape", sql`${t.slug} ~ '^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$'`),
  ],
);
export type Team = typeof teams.$inferSelect;

/**
 * Who belongs to a team, with one role each (lib/teams/roles.ts says what a role may do). A team
 * always keeps at least one owner: every change that could remove the last one locks the team's
 * owner rows first (`lockTeamOwners` in db/queries/teams.ts).
 */
export const teamMembers = pgTable(
  "team_members",
  {
    teamId: uuid("team_id")
      .notNull()
      .references(() => teams.id, { onDelete: "cascade" }),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    role: text("role", { enum: ["owner", "admin", "developer", "viewer"] }).notNull(),
    addedBy: uuid("added_by").references(() => users.id, { onDelete: "set null" }),
    ...timestamps,
  },
  (t) => [
    primaryKey({ columns: [t.teamId, t.userId] }),
    // The context switcher: a user's teams.
    index("team_members_user_idx").on(t.userId),
    // The last-owner guard locks a team's owners.
    index("team_members_owners_idx").on(t.teamId).where(sql`${t.role} = 'owner'`),
  ],
);
export type TeamMember = typeof teamMembers.$inferSelect;

/**
 * A developer's request for a team key the team's policy puts behind approval
 * (teams.policy_approval_from). It holds what the key will be, never a secret: an admin approves
 * or denies it with a reason, and only then may the requester issue the key, whose secret is
 * shown once to them (status "issued", key_id set). A request is decided once.
 */
export const apiKeyRequests = pgTable(
  "api_key_requests",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    teamId: uuid("team_id")
      .notNull()
      .references(() => teams.id, { onDelete: "cascade" }),
    requestedBy: uuid("requested_by")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    description: text("description"),
    // Why the requester needs it, shown to the approver.
    justification: text("justification"),
    access: text("access", { enum: ["full", "read_only", "restricted"] }).notNull(),
    scopes: text("scopes").array().notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }),
    allowedIps: text("allowed_ips").array(),
    status: text("status", { enum: ["pending", "approved", "denied", "cancelled", "issued"] }).notNull().default("pending"),
    decidedBy: uuid("decided_by").references(() => users.id, { onDelete: "set null" }),
    decidedAt: timestamp("decided_at", { withTimezone: true }),
    // The approver's reason (required to deny).
    decisionReason: text("decision_reason"),
    // The key issued from an approved request.
    keyId: uuid("key_id").references(() => apiKeys.id, { onDelete: "set null" }),
    ...timestamps,
  },
  (t) => [
    // The team's pending requests, oldest first; a team's request history, newest first.
    index("api_key_requests_team_status_idx").on(t.teamId, t.status, t.createdAt),
    // A requester's own requests.
    index("api_key_requests_requester_idx").on(t.requestedBy, t.createdAt),
    // One open request per name in a team (an issued key then takes the name).
    uniqueIndex("api_key_requests_open_name_key")
      .on(t.teamId, sql`lower(${t.name})`)
      .where(sql`${t.status} in ('pending', 'approved')`),
    check("api_key_requests_decided", sql`(${t.status} in ('pending', 'cancelled')) = (${t.decidedAt} is null) or ${t.status} = 'cancelled'`),
  ],
);
export type ApiKeyRequest = typeof apiKeyRequests.$inferSelect;

/**
 * Durable background work (lib/jobs): mail, webhook deliveries, daily scans. A job is claimed by
 * one process at a time (FOR UPDATE SKIP LOCKED, with a lease: a process that dies mid-job loses
 * its claim when the lease runs out and another takes the job), retried with backoff, and keeps
 * its history for the admin. `dedupe_key` makes "one job per event" hold across processes and
 * restarts: enqueueing the same key again is a no-op.
 */
export const jobs = pgTable(
  "jobs",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    kind: text("kind").notNull(),
    payload: jsonb("payload").$type<Record<string, unknown>>().notNull().default({}),
    dedupeKey: text("dedupe_key"),
    status: text("status", { enum: JOB_STATUSES }).notNull().default("queued"),
    runAt: timestamp("run_at", { withTimezone: true }).notNull().defaultNow(),
    attempts: integer("attempts").notNull().default(0),
    maxAttempts: integer("max_attempts").notNull().default(10),
    // The process holding the job and until when (a claim, not a row lock held across the work).
    lockedBy: text("locked_by"),
    lockedUntil: timestamp("locked_until", { withTimezone: true }),
    lastError: text("last_error"),
    // One entry per attempt: when it started and ended, and the error if it failed (at most 25 kept).
    history: jsonb("history").$type<JobAttempt[]>().notNull().default([]),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("jobs_dedupe_key").on(t.dedupeKey),
    // What the runner claims: due queued jobs and running ones whose lease ran out.
    index("jobs_due_idx").on(t.runAt).where(sql`${t.status} in ('queued', 'running')`),
    // The admin's list (Admin -> Jobs), newest first: all of them, or those of one status.
    index("jobs_created_idx").on(t.createdAt, t.id),
    index("jobs_status_created_idx").on(t.status, t.createdAt, t.id),
    check("jobs_attempts", sql`${t.attempts} >= 0 and ${t.maxAttempts} between 1 and 100 and ${t.attempts} <= ${t.maxAttempts}`),
    check("jobs_status", sql`${t.status} in ('queued', 'running', 'succeeded', 'failed')`),
    check("jobs_finished", sql`(${t.status} in ('succeeded', 'failed')) = (${t.finishedAt} is not null)`),
  ],
);
export type JobAttempt = { startedAt: string; endedAt: string; by: string; error?: string };
export type Job = typeof jobs.$inferSelect;

/**
 * What a person is told about their keys (and their teams' keys, for owners and admins): in the app
 * (the bell), and by mail unless they turned that kind off. One row per event and person, ever:
 * `dedupe_key` makes a scan that runs in every process, or again after a restart, tell once.
 */
export const notifications = pgTable(
  "notifications",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: NOTIFICATION_KINDS }).notNull(),
    keyId: uuid("key_id").references(() => apiKeys.id, { onDelete: "set null" }),
    teamId: uuid("team_id").references(() => teams.id, { onDelete: "cascade" }),
    // What the words are made from, as it was when the event happened (the key's name, its expiry).
    data: jsonb("data").$type<Record<string, string | number | null>>().notNull().default({}),
    dedupeKey: text("dedupe_key").notNull(),
    readAt: timestamp("read_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("notifications_dedupe_key").on(t.dedupeKey),
    // A person's list, newest first, and their unread count.
    index("notifications_user_created_idx").on(t.userId, t.createdAt, t.id),
    index("notifications_user_unread_idx").on(t.userId).where(sql`${t.readAt} is null`),
    // The daily scan's "not told since": a key's notices of one kind, newest last.
    index("notifications_key_kind_created_idx").on(t.keyId, t.kind, t.createdAt),
  ],
);
export type Notification = typeof notifications.$inferSelect;

/** A person's choices: the kinds of notification they do not want mailed (the app always shows them). */
export const notificationSettings = pgTable("notification_settings", {
  userId: uuid("user_id")
    .primaryKey()
    .references(() => users.id, { onDelete: "cascade" }),
  mailOff: text("mail_off").array().notNull().default(sql`'{}'::text[]`),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

/**
 * Where a person (or a team) is told of their keys' events over HTTP: an endpoint, the events it
 * takes, and its signing secret, sealed (lib/crypto/seal.ts, the context names the endpoint), shown
 * once when made. Disabled by its owner, or by the deliveries after three days of failing.
 */
export const webhookEndpoints = pgTable(
  "webhook_endpoints",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id").references(() => users.id, { onDelete: "cascade" }),
    teamId: uuid("team_id").references(() => teams.id, { onDelete: "cascade" }),
    url: text("url").notNull(),
    description: text("description").notNull().default(""),
    events: text("events").array().notNull(),
    secretSealed: text("secret_sealed").notNull(),
    // After a new secret is made, the one it replaced (sealed) still signs beside it until this time.
    previousSecretSealed: text("previous_secret_sealed"),
    previousSecretUntil: timestamp("previous_secret_until", { withTimezone: true }),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    disabledAt: timestamp("disabled_at", { withTimezone: true }),
    disabledReason: text("disabled_reason"),
    // The first failed delivery since the last one that succeeded (null while all is well).
    failingSince: timestamp("failing_since", { withTimezone: true }),
    ...timestamps,
  },
  (t) => [
    // A person's list, and which endpoints hear of their keys' events.
    index("webhook_endpoints_user_idx").on(t.userId),
    // A team's list, and which hear of the team's keys.
    index("webhook_endpoints_team_idx").on(t.teamId),
    check("webhook_endpoints_one_owner", sql`(${t.userId} is null) <> (${t.teamId} is null)`),
  ],
);
export type WebhookEndpoint = typeof webhookEndpoints.$inferSelect;

/**
 * One event for one endpoint, and how its delivery went: the body as it is sent on every attempt
 * (its id is the `webhook-id` header), the last attempt's answer and the attempts kept. One row per
 * endpoint and event, ever (`dedupe_key`), whatever processes noticed it.
 */
export const webhookDeliveries = pgTable(
  "webhook_deliveries",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    endpointId: uuid("endpoint_id")
      .notNull()
      .references(() => webhookEndpoints.id, { onDelete: "cascade" }),
    event: text("event").notNull(),
    payload: jsonb("payload").$type<Record<string, unknown>>().notNull(),
    dedupeKey: text("dedupe_key"),
    status: text("status", { enum: WEBHOOK_DELIVERY_STATUSES }).notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    responseStatus: integer("response_status"),
    durationMs: integer("duration_ms"),
    responseExcerpt: text("response_excerpt"),
    error: text("error"),
    history: jsonb("history").$type<WebhookAttempt[]>().notNull().default([]),
    lastAttemptAt: timestamp("last_attempt_at", { withTimezone: true }),
    deliveredAt: timestamp("delivered_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("webhook_deliveries_dedupe_key").on(t.dedupeKey),
    // An endpoint's delivery log, newest first.
    index("webhook_deliveries_endpoint_created_idx").on(t.endpointId, t.createdAt, t.id),
    check("webhook_deliveries_status", sql`${t.status} in ('pending', 'delivered', 'retrying', 'failed')`),
  ],
);
export type WebhookDelivery = typeof webhookDeliveries.$inferSelect;

/**
 * An access review: a set of keys (the filters an administrator chose, taken as they were at the
 * start) whose owners confirm each is still needed or revoke it by `due_at`; then the rest are
 * revoked or flagged (`on_due`).
 */
export const accessReviews = pgTable(
  "access_reviews",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    name: text("name").notNull(),
    // The filters it was started with (Admin -> All API keys' own), for the record and the report.
    filters: jsonb("filters").$type<Record<string, string>>().notNull().default({}),
    dueAt: timestamp("due_at", { withTimezone: true }).notNull(),
    onDue: text("on_due", { enum: REVIEW_ON_DUE }).notNull(),
    // A team's own review (started by its owners or admins, over its keys); null: an administrator's.
    teamId: uuid("team_id").references(() => teams.id, { onDelete: "cascade" }),
    status: text("status", { enum: REVIEW_STATUSES }).notNull().default("open"),
    startedBy: uuid("started_by").references(() => users.id, { onDelete: "set null" }),
    closedAt: timestamp("closed_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // The admin's list, newest first; the due scan's open reviews.
    index("access_reviews_created_idx").on(t.createdAt, t.id),
    // A team's list of its own reviews.
    index("access_reviews_team_created_idx").on(t.teamId, t.createdAt),
    index("access_reviews_open_due_idx").on(t.dueAt).where(sql`${t.status} = 'open'`),
    check("access_reviews_on_due", sql`${t.onDue} in ('revoke', 'flag')`),
    check("access_reviews_status", sql`${t.status} in ('open', 'closed')`),
  ],
);
export type AccessReview = typeof accessReviews.$inferSelect;

/** One key of a review and its decision (who decided, when, and a note). */
export const accessReviewItems = pgTable(
  "access_review_items",
  {
    reviewId: uuid("review_id")
      .notNull()
      .references(() => accessReviews.id, { onDelete: "cascade" }),
    keyId: uuid("key_id")
      .notNull()
      .references(() => apiKeys.id, { onDelete: "cascade" }),
    // Who answers for it: a person's key, that person; a team key, the team (its owners and admins).
    userId: uuid("user_id").references(() => users.id, { onDelete: "set null" }),
    teamId: uuid("team_id").references(() => teams.id, { onDelete: "set null" }),
    decision: text("decision", { enum: REVIEW_DECISIONS }).notNull().default("pending"),
    decidedBy: uuid("decided_by").references(() => users.id, { onDelete: "set null" }),
    decidedAt: timestamp("decided_at", { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.reviewId, t.keyId] }),
    // "Review your keys": a person's pending items, and a team's.
    index("access_review_items_user_pending_idx").on(t.userId).where(sql`${t.decision} = 'pending'`),
    index("access_review_items_team_pending_idx").on(t.teamId).where(sql`${t.decision} = 'pending'`),
    check("access_review_items_decision", sql`${t.decision} in ('pending', 'confirmed', 'revoked', 'revoked_at_due', 'flagged', 'gone')`),
  ],
);
export type AccessReviewItem = typeof accessReviewItems.$inferSelect;
