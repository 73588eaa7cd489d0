import "server-only";
// Second factors: an authenticator app (TOTP) with recovery codes, or a passkey (any passkey the user
// has registered is a second factor: lib/commands/passkeys.ts), the sign-in challenge that asks for
// one of them, and an admin's reset. Server actions and the sign-in providers are thin adapters over
// these. The seed exists in the clear only in the set-up response (and in memory while a code is
// checked): the database keeps it sealed under ENCRYPTION_KEY (lib/crypto/seal.ts). Recovery codes
// exist only in the response that made them: the database keeps keyed digests. The challenge
// token exists only in its httpOnly cookie: the database keeps its SHA-256 digest.
import { createHash, randomBytes } from "node:crypto";
import { encode } from "uqr";
import type { Database } from "@/db";
import {
  completeChallenge,
  confirmWithTotp,
  createChallenge,
  disableTotp,
  enableTotp,
  liveChallenge,
  regenerateRecoveryCodes,
  resetSecondFactor,
  savePendingSecret,
  type FactorChange,
  type FactorCheck,
} from "@/db/queries/second-factor";
import type { RequestContext } from "../audit-events";
import type { RelyingParty } from "../passkeys/rules";
import { config } from "../config";
import { keyedDigest, seal, unseal } from "../crypto/seal";
import { assertRecentAuthentication } from "../accounts/step-up";
import { AppError } from "../errors";
import { asRecoveryCode, newRecoveryCodes } from "../mfa/recovery-codes";
import { asTotpCode, newTotpSecret, totpUri, verifyTotp } from "../mfa/totp";
import { verifyPassword } from "../password";
import { getSecrets } from "../secrets";
import { MINUTE_MS } from "../time";
import { uuidSchema } from "../validation/common";
import type { Actor } from "./actor";
import { beginPasskeyAuthentication, verifyPasskeyAssertion } from "./passkeys";

/** A sign-in waits five minutes for its second factor. */
export const CHALLENGE_LIFETIME_MS = 5 * MINUTE_MS;
/** The cookie that carries a challenge's token (httpOnly, SameSite=Lax, Secure on https). */
export const CHALLENGE_COOKIE = "keysmith-2fa";
export const CHALLENGE_TOKEN_PATTERN = /^ksc_[A-Za-z0-9_-]{43}$/;

const digest = (token: string) => createHash("sha256").update(token, "utf8").digest("hex");
const newChallengeToken = () => `ksc_${randomBytes(32).toString("base64url")}`;
// The seal names the user it belongs to (authenticated, not stored): a seed cannot move to another row.
export const seedSealContext = (userId: string) => `totp:${userId}`;
const openKeys = () => [getSecrets().encryptionKey, ...config.encryptionKeysPrevious];
const codeDigest = (code: string) => keyedDigest(code, "recovery-code", getSecrets().encryptionKey);
const now = (actor: { clockOffsetMs: number }) => Date.now() + actor.clockOffsetMs;

function sessionOnly(actor: Actor) {
  // A key is not the holder of the account's credentials: it can change none of them.
  if (actor.key) throw new AppError("not_found");
}

/** The QR code's modules, row by row ("1" dark), drawn by the page as an SVG: no image service. */
function qrRows(text: string): string[] {
  return encode(text, { ecc: "M", border: 2 }).data.map((row) => row.map((dark) => (dark ? "1" : "0")).join(""));
}

export type TotpSetup = { secret: string; uri: string; qr: string[] };

/**
 * Starts setting up an authenticator app: a new seed, kept sealed as pending, shown in this one
 * response (QR code and text). It becomes the factor when a code from it is confirmed.
 */
export async function startTotpSetup(db: Database, actor: Actor): Promise<TotpSetup> {
  sessionOnly(actor);
  const secret = newTotpSecret();
  const { email } = await savePendingSecret(db, actor.userId, seal(secret, seedSealContext(actor.userId), getSecrets().encryptionKey));
  const uri = totpUri(secret, email);
  return { secret, uri, qr: qrRows(uri) };
}

/** Checks the current password and a TOTP code from `sealed` (pending or confirmed) on the locked row. */
function passwordAndCode(userId: string, input: { currentPassword: string; code: string }, which: "pending" | "enabled", nowMs: number): FactorCheck {
  return async (row) => {
    if (!(await verifyPassword(row.passwordHash, input.currentPassword))) return { ok: false, reason: "wrong_password" };
    const code = asTotpCode(input.code);
    const sealed = which === "pending" ? row.pendingSecret : row.secret;
    if (!code || !sealed) return { ok: false, reason: "wrong_code" };
    const step = await verifyTotp(unseal(sealed, seedSealContext(userId), openKeys()), code, nowMs, which === "pending" ? null : row.lastStep);
    return step === null ? { ok: false, reason: "wrong_code" } : { ok: true, step };
  };
}

function refusal(result: Exclude<FactorChange, { ok: true }>): never {
  if (result.reason === "rate_limited") {
    const minutes = Math.ceil(result.retryAfterSeconds / 60);
    throw new AppError("second_factor_locked", {
      message: `Too many wrong codes or passwords. Wait ${minutes} minute${minutes === 1 ? "" : "s"}, then try again with the code your app shows.`,
    });
  }
  if (result.reason === "wrong_password") {
    throw new AppError("wrong_password", { fieldErrors: { currentPassword: "This is not your current password. Type the password you sign in with." } });
  }
  throw new AppError("wrong_code", { fieldErrors: { code: "That code is not right. Type the 6 digits your authenticator app shows now (each code works once)." } });
}

/**
 * Confirms the pending seed with a current code and the current password: the factor is on, ten
 * new recovery codes are made (returned here, once), and every other session ends.
 */
export async function confirmTotpSetup(db: Database, actor: Actor, input: { currentPassword: string; code: string }): Promise<{ recoveryCodes: string[]; email: string }> {
  sessionOnly(actor);
  const codes = newRecoveryCodes();
  const result = await enableTotp(db, actor.userId, { check: passwordAndCode(actor.userId, input, "pending", now(actor)), codeHashes: codes.map(codeDigest), now: now(actor) }, actor.context);
  if (!result.ok) refusal(result);
  return { recoveryCodes: codes, email: result.email };
}

/** New recovery codes (current password and code); the old ones stop working; other sessions end. */
export async function renewRecoveryCodes(db: Database, actor: Actor, input: { currentPassword: string; code: string }): Promise<{ recoveryCodes: string[]; email: string }> {
  sessionOnly(actor);
  const codes = newRecoveryCodes();
  const result = await regenerateRecoveryCodes(db, actor.userId, { check: passwordAndCode(actor.userId, input, "enabled", now(actor)), codeHashes: codes.map(codeDigest), now: now(actor) }, actor.context);
  if (!result.ok) refusal(result);
  return { recoveryCodes: codes, email: result.email };
}

/** Turns the factor off (current password and code), unless the policy requires one; other sessions end. */
export async function turnOffTotp(db: Database, actor: Actor, input: { currentPassword: string; code: string }): Promise<{ email: string }> {
  sessionOnly(actor);
  const result = await disableTotp(db, actor.userId, { check: passwordAndCode(actor.userId, input, "enabled", now(actor)), now: now(actor) }, actor.context);
  if (!result.ok) refusal(result);
  return { email: result.email };
}

/**
 * An admin resets a user's second factors (lost phone and codes, lost passkey devices): the app,
 * its recovery codes and every passkey go; their sessions end. They sign in with their password
 * and, where the policy requires it, set up a factor again.
 */
export async function adminResetSecondFactor(db: Database, actor: Actor, userId: unknown): Promise<{ email: string; totp: boolean; passkeys: number }> {
  sessionOnly(actor);
  // It takes a factor away from someone else's account: only after a recent authentication.
  assertRecentAuthentication(actor);
  const parsed = uuidSchema.safeParse(userId);
  if (!parsed.success) throw new AppError("user_not_found");
  return resetSecondFactor(db, actor.userId, parsed.data, actor.context);
}

/**
 * Step-up with a code from the authenticator app (confirmIdentity in lib/commands/accounts.ts is
 * the one caller): checked like the sign-in's second step (one-time within its window, the same
 * wrong-code limit), audited with the method. Throws the refusal; returns when the code is right.
 */
export async function checkStepUpCode(db: Database, actor: Actor, input: { code: string }): Promise<void> {
  sessionOnly(actor);
  const code = asTotpCode(input.code);
  const nowMs = now(actor);
  const result = code
    ? await confirmWithTotp(db, actor.userId, { verify: async (sealed, lastStep) => verifyTotp(unseal(sealed, seedSealContext(actor.userId), openKeys()), code, nowMs, lastStep), now: nowMs }, actor.context)
    : ({ ok: false, reason: "wrong_code", retryAfterSeconds: 0 } as const);
  if (result.ok) return;
  if (result.reason === "rate_limited") {
    const minutes = Math.ceil(result.retryAfterSeconds / 60);
    throw new AppError("second_factor_locked", {
      message: `Too many wrong codes. Wait ${minutes} minute${minutes === 1 ? "" : "s"}, then try again with the code your app shows, or confirm with your password or a passkey.`,
    });
  }
  throw new AppError("wrong_code", { fieldErrors: { code: "That code is not right. Type the 6 digits your authenticator app shows now (each code works once)." } });
}

/**
 * Starts the second step of a sign-in, for a first factor that is one factor only (a password, or
 * single sign-on): a challenge bound to the user and their current session version, five minutes,
 * single use. Returns the token for the caller to put in the httpOnly cookie CHALLENGE_COOKIE;
 * nothing else may carry it. A passkey sign-in never starts one: the passkey verified its user
 * (user verification is required), so it already is two factors, something held and something
 * known or been.
 */
export async function startSecondFactor(db: Database, userId: string, context: { clockOffsetMs: number }): Promise<string> {
  const token = newChallengeToken();
  await createChallenge(db, { userId, tokenHash: digest(token), lifetimeMs: CHALLENGE_LIFETIME_MS, clockOffsetMs: context.clockOffsetMs });
  return token;
}

/**
 * A challenge already satisfied in this request, for re-issuing the caller's own session after a
 * change that proved both factors and moved the session version (the token never leaves the server).
 */
export async function renewSessionChallenge(db: Database, userId: string, clockOffsetMs: number): Promise<string> {
  const token = newChallengeToken();
  await createChallenge(db, { userId, tokenHash: digest(token), lifetimeMs: MINUTE_MS, clockOffsetMs, verified: true });
  return token;
}

/** The second factors a pending sign-in can be finished with: the app's code (and recovery codes), a passkey. */
export type SecondFactorMethods = { code: boolean; passkey: boolean };

/**
 * Which factors the token's live challenge can be answered with (the verify page offers those);
 * null when the token names no live challenge (the page then says only that the sign-in ended, so
 * nobody without the cookie learns anything about any account).
 */
export async function secondFactorPending(db: Database, token: string | undefined, clockOffsetMs: number): Promise<SecondFactorMethods | null> {
  if (!token || !CHALLENGE_TOKEN_PATTERN.test(token)) return null;
  const live = await liveChallenge(db, digest(token), clockOffsetMs);
  return live && (live.totp || live.passkey) ? { code: live.totp, passkey: live.passkey } : null;
}

/**
 * "Use your passkey" on the verify page, step one: a passkey challenge issued for the pending
 * sign-in's user (only their passkeys may answer it, and the browser is told which), bound to this
 * browser by its own `kspc_` cookie token, which the caller sets. Refused when the challenge is not
 * live or its user has no passkey.
 */
export async function beginSecondFactorPasskey(db: Database, rp: RelyingParty | null, input: { token: string | undefined; clockOffsetMs: number; ip: string | null }) {
  if (!rp) throw new AppError("passkeys_unavailable");
  if (!input.token || !CHALLENGE_TOKEN_PATTERN.test(input.token)) throw new AppError("second_factor_challenge_invalid");
  const live = await liveChallenge(db, digest(input.token), input.clockOffsetMs);
  if (!live?.passkey) throw new AppError("second_factor_challenge_invalid");
  return beginPasskeyAuthentication(db, rp, { userId: live.userId, clockOffsetMs: input.clockOffsetMs, ip: input.ip });
}

export type SecondFactorOutcome = Awaited<ReturnType<typeof completeChallenge>>;

/**
 * Finishes a sign-in with the challenge's token and a code (a 6-digit TOTP code or a recovery code)
 * or a passkey's assertion (`passkey`: the response, the browser's `kspc_` token, the relying
 * party). The assertion is checked by verifyPasskeyAssertion bound to the challenge's user, inside
 * the transaction that spends the challenge, so a passkey counts against the same wrong-attempt
 * limits as a code. `renewal`: a token from renewSessionChallenge, spent without a code.
 */
export async function finishSecondFactor(
  db: Database,
  input: { token: string | undefined; code?: string; renewal?: boolean; passkey?: { response: unknown; challengeToken: string | undefined; rp: RelyingParty | null } },
  context: RequestContext,
  clockOffsetMs = 0,
): Promise<SecondFactorOutcome> {
  if (!input.token || !CHALLENGE_TOKEN_PATTERN.test(input.token)) return { ok: false, reason: "invalid" };
  const nowMs = Date.now() + clockOffsetMs;
  const tokenHash = digest(input.token);
  if (input.renewal) return completeChallenge(db, { tokenHash, clockOffsetMs, proof: { kind: "verified" }, now: nowMs }, context);
  if (input.passkey) {
    const { response, challengeToken, rp } = input.passkey;
    const verify = async (tx: Database, userId: string) => {
      // Without a relying party nothing can verify; the attempt still counts (the page offers no passkey then).
      if (!rp) return null;
      const result = await verifyPasskeyAssertion(tx, { response, challengeToken, userId, rp, clockOffsetMs });
      return result.ok ? { passkeyName: result.passkey.name } : null;
    };
    return completeChallenge(db, { tokenHash, clockOffsetMs, proof: { kind: "passkey", verify }, now: nowMs }, context);
  }
  const typed = input.code ?? "";
  const totp = asTotpCode(typed);
  const recovery = totp ? null : asRecoveryCode(typed);
  const proof = totp
    ? { kind: "totp" as const, verify: async (sealed: string, lastStep: number | null, userId: string) => verifyTotp(unseal(sealed, seedSealContext(userId), openKeys()), totp, nowMs, lastStep) }
    : { kind: "recovery" as const, codeHashes: recovery ? openKeys().map((key) => keyedDigest(recovery, "recovery-code", key)) : ["not-a-code"] };
  return completeChallenge(db, { tokenHash, clockOffsetMs, proof, now: nowMs }, context);
}
