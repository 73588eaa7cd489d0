import "server-only";
// Passkeys (WebAuthn): adding, renaming and removing them in Settings -> Profile, and checking a
// sign-in assertion. Server actions and next-auth's "passkey" provider are thin adapters over these.
//
// Every ceremony has a challenge that is random, answered once (deleted as it is read), within 5
// minutes, and bound to the browser that asked for it: the browser holds a `kspc_` token in an
// httpOnly cookie, the database only its SHA-256 digest. A registration is also bound to the
// signed-in user and their session version. The origin and RP ID come from APP_URL
// (lib/passkeys/rules.ts) and are checked by @simplewebauthn/server, with user verification
// required; the signature counter must grow (or stay 0) and is recorded with the backup flags.
import { createHash, randomBytes } from "node:crypto";
import { generateAuthenticationOptions, generateRegistrationOptions, verifyAuthenticationResponse, verifyRegistrationResponse } from "@simplewebauthn/server";
import { isoBase64URL, parseAuthenticatorData } from "@simplewebauthn/server/helpers";
import type { Database } from "@/db";
import {
  addPasskey,
  credentialsOf,
  findPasskeyByCredentialId,
  issueAuthenticationChallenge,
  recordPasskeyUse,
  removePasskey,
  renamePasskey,
  startPasskeyRegistration,
  takePasskeyChallenge,
  type PasswordRefusal,
} from "@/db/queries/passkeys";
import { addToWindow } from "@/db/queries/rate-limits";
import { recordReauthentication, type SessionUser } from "@/db/queries/users";
import { config } from "../config";
import { AppError } from "../errors";
import { log } from "../log";
import { CEREMONY_TIMEOUT_MS, CHALLENGE_LIFETIME_MS, MAX_PASSKEYS_PER_USER, RP_NAME, counterVerdict, relyingPartyFor, userHandleOf, type RelyingParty } from "../passkeys/rules";
import { verifyPassword } from "../password";
import { requestOrigin } from "../request-context";
import { MINUTE_MS } from "../time";
import { authenticationResponseSchema } from "../validation/passkey.schema";
import type { Actor } from "./actor";

/** Passkey checks one client address may start per 15 minutes. */
export const CHALLENGES_PER_ADDRESS = 300;
const CHALLENGE_WINDOW_MS = 15 * MINUTE_MS;

/** The httpOnly cookie that binds a ceremony to the browser that started it. */
export const PASSKEY_CHALLENGE_COOKIE = "ks_passkey_challenge";
const TOKEN_PATTERN = /^kspc_[A-Za-z0-9_-]{43}$/;
const digest = (token: string) => createHash("sha256").update(token, "utf8").digest("hex");
/** `kspc_` + 256 random bits: recognisable, so the secret-hygiene check can find a leaked one. */
const newToken = () => `kspc_${randomBytes(32).toString("base64url")}`;

/** The cookie's attributes: httpOnly, same-site only, as long as the challenge lives. */
export function challengeCookie(rp: RelyingParty) {
  return { httpOnly: true, sameSite: "strict" as const, secure: rp.origin.startsWith("https:"), path: "/", maxAge: CHALLENGE_LIFETIME_MS / 1000 };
}

/** This deployment's relying party for a request (null: passkeys are off; see relyingPartyFor). */
export function relyingParty(headers: Headers): RelyingParty | null {
  return relyingPartyFor({ appUrl: config.appUrl, isProduction: config.isProduction, requestOrigin: requestOrigin(headers) });
}

function refusePassword(result: PasswordRefusal): never {
  if (result.reason === "rate_limited") {
    const minutes = Math.ceil(result.retryAfterSeconds / 60);
    throw new AppError("rate_limited", { message: `Too many wrong current passwords. Wait ${minutes} minute${minutes === 1 ? "" : "s"}, then try again with the password you sign in with.` });
  }
  throw new AppError("wrong_password", { fieldErrors: { currentPassword: "This is not your current password. Type the password you sign in with." } });
}

function sessionOnly(actor: Actor, rp: RelyingParty | null): RelyingParty {
  // A key is not its owner's password holder: factors change from a session only.
  if (actor.key) throw new AppError("not_found");
  if (!rp) throw new AppError("passkeys_unavailable");
  return rp;
}

/**
 * Starts adding a passkey: the current password is checked, then the options the browser hands to
 * the authenticator come back with the challenge's token (for the cookie, never the page).
 */
export async function beginPasskeyRegistration(db: Database, actor: Actor, rp: RelyingParty | null, input: { currentPassword: string }) {
  const party = sessionOnly(actor, rp);
  const token = newToken();
  const challenge = randomBytes(32);
  const started = await startPasskeyRegistration(
    db,
    actor.userId,
    {
      checkCurrent: (hash) => verifyPassword(hash, input.currentPassword),
      tokenHash: digest(token),
      challenge: challenge.toString("base64url"),
      lifetimeMs: CHALLENGE_LIFETIME_MS,
      clockOffsetMs: actor.clockOffsetMs,
    },
    actor.context,
  );
  if (!started.ok) refusePassword(started);
  if (started.existing.length >= MAX_PASSKEYS_PER_USER) throw new AppError("passkey_limit_reached");
  const options = await generateRegistrationOptions({
    rpName: RP_NAME,
    rpID: party.rpID,
    userName: started.email,
    userDisplayName: started.name,
    userID: userHandleOf(actor.userId),
    challenge: new Uint8Array(challenge),
    timeout: CEREMONY_TIMEOUT_MS,
    attestationType: "none",
    excludeCredentials: started.existing.map((c) => ({ id: c.credentialId, transports: c.transports })),
    // A discoverable credential (usernameless sign-in) that verifies its user (a second factor in itself).
    authenticatorSelection: { residentKey: "required", userVerification: "required" },
  });
  return { token, options };
}

/**
 * Finishes adding a passkey: the challenge (this browser's, this user's, this session version's,
 * once, in time), the attestation (origin, RP ID, user verification), then the insert, which ends
 * every other session. The caller signs this browser in again with the current password.
 */
export async function finishPasskeyRegistration(
  db: Database,
  actor: Actor,
  rp: RelyingParty | null,
  input: { challengeToken: string | undefined; name: string; currentPassword: string; response: Parameters<typeof verifyRegistrationResponse>[0]["response"] },
): Promise<{ email: string }> {
  const party = sessionOnly(actor, rp);
  const token = input.challengeToken;
  if (!token || !TOKEN_PATTERN.test(token)) throw new AppError("passkey_challenge_invalid");
  const challenge = await takePasskeyChallenge(db, { tokenHash: digest(token), purpose: "registration", clockOffsetMs: actor.clockOffsetMs });
  if (!challenge || !challenge.live || challenge.userId !== actor.userId || challenge.sessionVersion === null) throw new AppError("passkey_challenge_invalid");
  let verified: Awaited<ReturnType<typeof verifyRegistrationResponse>>;
  try {
    verified = await verifyRegistrationResponse({
      response: input.response,
      expectedChallenge: challenge.challenge,
      expectedOrigin: party.origin,
      expectedRPID: party.rpID,
      requireUserVerification: true,
    });
  } catch (error) {
    log.warn("passkey.registration_refused", { reason: error instanceof Error ? error.message.slice(0, 200) : "error" });
    throw new AppError("passkey_not_accepted", { message: "The new passkey could not be verified. Start again, and approve the prompt on your device." });
  }
  if (!verified.verified) throw new AppError("passkey_not_accepted", { message: "The new passkey could not be verified. Start again, and approve the prompt on your device." });
  const info = verified.registrationInfo;
  const added = await addPasskey(
    db,
    actor.userId,
    {
      sessionVersion: challenge.sessionVersion,
      checkCurrent: (hash) => verifyPassword(hash, input.currentPassword),
      maxPerUser: MAX_PASSKEYS_PER_USER,
      passkey: {
        name: input.name,
        credentialId: info.credential.id,
        publicKey: isoBase64URL.fromBuffer(info.credential.publicKey),
        counter: info.credential.counter,
        transports: info.credential.transports ?? [],
        deviceType: info.credentialDeviceType,
        backedUp: info.credentialBackedUp,
      },
    },
    actor.context,
  );
  if (!added.ok) refusePassword(added);
  return { email: added.email };
}

/** Renames one of the actor's passkeys. */
export async function renameOwnPasskey(db: Database, actor: Actor, input: { passkeyId: string; name: string }) {
  if (actor.key) throw new AppError("not_found");
  return renamePasskey(db, actor.userId, input.passkeyId, input.name, actor.context);
}

/** Removes one of the actor's passkeys, with the current password; every other session ends. */
export async function removeOwnPasskey(db: Database, actor: Actor, input: { passkeyId: string; currentPassword: string }): Promise<{ email: string; name: string }> {
  if (actor.key) throw new AppError("not_found");
  const removed = await removePasskey(db, actor.userId, input.passkeyId, { checkCurrent: (hash) => verifyPassword(hash, input.currentPassword) }, actor.context);
  if (!removed.ok) refusePassword(removed);
  return { email: removed.email, name: removed.name };
}

/**
 * Starts a passkey check: usernameless (any passkey of this site may answer: a first-factor
 * sign-in), or for one user (only their passkeys: a second-factor check after a password).
 */
export async function beginPasskeyAuthentication(db: Database, rp: RelyingParty, input: { userId?: string; clockOffsetMs: number; ip: string | null }, now = Date.now()) {
  // Anyone may ask, and each ask stores a row for 5 minutes: bounded per client address.
  const windowStart = new Date(Math.floor(now / CHALLENGE_WINDOW_MS) * CHALLENGE_WINDOW_MS);
  if ((await addToWindow(db, `passkey-challenge:${input.ip ?? "unknown"}`, windowStart, 1)) > CHALLENGES_PER_ADDRESS) {
    log.warn("passkey.challenges_rate_limited", { ip: input.ip });
    throw new AppError("rate_limited", { message: "Too many passkey sign-in attempts from this network. Wait 15 minutes, or sign in with your email and password." });
  }
  const token = newToken();
  const challenge = randomBytes(32);
  const allow = input.userId ? await credentialsOf(db, input.userId) : [];
  await issueAuthenticationChallenge(db, {
    tokenHash: digest(token),
    userId: input.userId ?? null,
    challenge: challenge.toString("base64url"),
    lifetimeMs: CHALLENGE_LIFETIME_MS,
    clockOffsetMs: input.clockOffsetMs,
  });
  const options = await generateAuthenticationOptions({
    rpID: rp.rpID,
    challenge: new Uint8Array(challenge),
    timeout: CEREMONY_TIMEOUT_MS,
    userVerification: "required",
    allowCredentials: allow.map((c) => ({ id: c.credentialId, transports: c.transports })),
  });
  return { token, options };
}

export type PasskeyAssertion =
  | { ok: true; user: SessionUser; passkey: { id: string; name: string } }
  | { ok: false; reason: "invalid" | "counter_regressed" | "suspended"; user?: SessionUser };

/**
 * Checks a passkey assertion (the one function every passkey check goes through: the sign-in
 * provider, and a second-factor page with `userId`). In order: the challenge named by the browser's
 * token is spent (once, whatever follows) and must be live; with `userId`, it must have been issued
 * for that user; the credential must exist (and be that user's); the user handle, if sent, must be
 * its account's; the counter must grow; the signature, origin, RP ID, challenge and user
 * verification must check out; then the new counter and backup flag are recorded, conditionally on
 * the counter checked (a racing copy of the same answer loses). A deleted account's passkey is
 * invalid; a suspended one's answers "suspended" (the caller says so, as the password form does).
 * Nothing is audited here: the caller knows what the check was for.
 */
export async function verifyPasskeyAssertion(
  db: Database,
  input: { response: unknown; challengeToken: string | undefined; userId?: string; rp: RelyingParty; clockOffsetMs?: number },
): Promise<PasskeyAssertion> {
  const invalid = (why: string, user?: SessionUser): PasskeyAssertion => {
    log.info("passkey.assertion_refused", { why });
    return { ok: false, reason: "invalid", user };
  };
  const token = input.challengeToken;
  if (!token || !TOKEN_PATTERN.test(token)) return invalid("no_challenge_cookie");
  const challenge = await takePasskeyChallenge(db, { tokenHash: digest(token), purpose: "authentication", clockOffsetMs: input.clockOffsetMs ?? 0 });
  if (!challenge) return invalid("challenge_unknown_or_used");
  if (!challenge.live) return invalid("challenge_expired");
  if (input.userId !== undefined && challenge.userId !== input.userId) return invalid("challenge_for_another_user");
  const parsed = authenticationResponseSchema.safeParse(input.response);
  if (!parsed.success) return invalid("malformed_response");
  const response = parsed.data;
  const found = await findPasskeyByCredentialId(db, response.id);
  if (!found) return invalid("unknown_credential");
  const { passkey, user } = found;
  if (challenge.userId !== null && passkey.userId !== challenge.userId) return invalid("credential_of_another_user");
  if (response.response.userHandle && response.response.userHandle !== isoBase64URL.fromBuffer(userHandleOf(user.id))) return invalid("user_handle_mismatch", user);
  let received: number;
  try {
    received = parseAuthenticatorData(isoBase64URL.toBuffer(response.response.authenticatorData)).counter;
  } catch {
    return invalid("malformed_authenticator_data", user);
  }
  if (counterVerdict(passkey.counter, received) === "regressed") {
    log.warn("passkey.counter_regressed", { passkeyId: passkey.id, stored: passkey.counter, received });
    return { ok: false, reason: "counter_regressed", user };
  }
  let verification: Awaited<ReturnType<typeof verifyAuthenticationResponse>>;
  try {
    verification = await verifyAuthenticationResponse({
      response,
      expectedChallenge: challenge.challenge,
      expectedOrigin: input.rp.origin,
      expectedRPID: input.rp.rpID,
      credential: { id: passkey.credentialId, publicKey: isoBase64URL.toBuffer(passkey.publicKey), counter: passkey.counter, transports: passkey.transports },
      requireUserVerification: true,
    });
  } catch (error) {
    return invalid(`verification: ${error instanceof Error ? error.message.slice(0, 160) : "error"}`, user);
  }
  if (!verification.verified) return invalid("signature", user);
  const info = verification.authenticationInfo;
  const recorded = await recordPasskeyUse(db, { id: passkey.id, expectedCounter: passkey.counter, newCounter: info.newCounter, backedUp: info.credentialBackedUp });
  if (!recorded) return invalid("raced", user);
  if (user.deletedAt) return invalid("account_deleted");
  if (user.suspendedAt) return { ok: false, reason: "suspended", user };
  return { ok: true, user, passkey: { id: passkey.id, name: passkey.name } };
}

/**
 * Step-up with a passkey, step one: a challenge for the signed-in user only (their passkeys alone
 * may answer it), bound to this browser like any other; the token goes into the cookie.
 */
export async function beginStepUpPasskey(db: Database, actor: Actor, rp: RelyingParty | null) {
  const party = sessionOnly(actor, rp);
  if ((await credentialsOf(db, actor.userId)).length === 0) {
    throw new AppError("passkey_not_found", { message: "Your account has no passkey. Confirm with your password, or add a passkey in Settings → Profile." });
  }
  return beginPasskeyAuthentication(db, party, { userId: actor.userId, clockOffsetMs: actor.clockOffsetMs, ip: actor.context.ip });
}

/**
 * Step-up with a passkey, step two (confirmIdentity in lib/commands/accounts.ts is the one caller):
 * the assertion goes through verifyPasskeyAssertion bound to the signed-in user (the challenge
 * must have been issued for them, the credential must be theirs; the challenge is spent either
 * way). Audited with the method. Throws the refusal; returns when the passkey checks out.
 */
export async function checkStepUpPasskey(db: Database, actor: Actor, rp: RelyingParty | null, input: { response: unknown; challengeToken: string | undefined }): Promise<void> {
  const party = sessionOnly(actor, rp);
  const result = await verifyPasskeyAssertion(db, { response: input.response, challengeToken: input.challengeToken, userId: actor.userId, rp: party, clockOffsetMs: actor.clockOffsetMs });
  if (result.ok) {
    await recordReauthentication(db, actor.userId, { ok: true, metadata: { method: "passkey", passkey: result.passkey.name } }, actor.context);
    return;
  }
  await recordReauthentication(db, actor.userId, { ok: false, metadata: { method: "passkey", reason: result.reason } }, actor.context);
  if (result.reason === "suspended") throw new AppError("session_expired");
  throw new AppError("passkey_not_accepted", { message: "That passkey was not accepted. Try again with a passkey you added to this account, or use another way." });
}
