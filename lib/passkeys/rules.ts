// The pure rules of passkeys (WebAuthn): how long a ceremony may take, which relying party and
// origin this deployment answers for, and what a signature counter may do. No I/O: the commands in
// lib/commands/passkeys.ts apply them.
import { MINUTE_MS } from "../time";

/** A challenge (registration or sign-in) must be answered within 5 minutes, and only once. */
export const CHALLENGE_LIFETIME_MS = 5 * MINUTE_MS;

/** The browser's timeout for the authenticator prompt: within the challenge's lifetime. */
export const CEREMONY_TIMEOUT_MS = 2 * MINUTE_MS;

/** The name the authenticator shows beside the account. */
export const RP_NAME = "Keysmith";

/** Passkeys one account may hold (a bound on the credentials every registration lists). */
export const MAX_PASSKEYS_PER_USER = 20;

export type RelyingParty = { rpID: string; origin: string };

/**
 * The relying party a deployment answers for: APP_URL's host and origin. Without APP_URL, only
 * outside production and only when the request came to localhost (or a name under .localhost) is
 * the request's own origin used: anywhere else a Host header is the client's word, and a passkey
 * bound to a forged name would be bound to the attacker's site. Null: passkeys are off here.
 * WebAuthn refuses IP addresses as RP IDs, so http://127.0.0.1 cannot use passkeys either.
 */
export function relyingPartyFor(input: { appUrl?: string; isProduction: boolean; requestOrigin?: string }): RelyingParty | null {
  const source = input.appUrl ?? (input.isProduction ? undefined : input.requestOrigin);
  if (!source) return null;
  let url: URL;
  try {
    url = new URL(source);
  } catch {
    return null;
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return null;
  const host = url.hostname;
  if (/^\d+\.\d+\.\d+\.\d+$/.test(host) || host.startsWith("[")) return null;
  if (!input.appUrl && host !== "localhost" && !host.endsWith(".localhost")) return null;
  // Browsers allow plain http only on localhost (a secure context); anything else must be https.
  if (url.protocol === "http:" && host !== "localhost" && !host.endsWith(".localhost")) return null;
  return { rpID: host, origin: url.origin };
}

/**
 * What a sign-in does with the authenticator's signature counter. Authenticators that keep no
 * counter (synced passkeys) send 0 every time: nothing to compare. Otherwise the counter must
 * grow; one that did not is the sign of a cloned authenticator, and the assertion is refused.
 */
export function counterVerdict(stored: number, received: number): "ok" | "regressed" {
  if (stored === 0 && received === 0) return "ok";
  return received > stored ? "ok" : "regressed";
}

/** The WebAuthn user handle of an account: its id's bytes (random, so it names no one). */
export function userHandleOf(userId: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(new TextEncoder().encode(userId));
}
