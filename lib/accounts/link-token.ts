// The one shape of every one-time link an account gets (password reset, email change, invitation,
// sign-up): a prefixed token of 256 random bits that exists only in the link (mailed, or shown once
// to an admin), the SHA-256 digest that alone is stored, and the link itself with the token in the
// fragment (#token=…), which browsers never send to a server (so no log, proxy or Referer sees it;
// components/forms/use-fragment-token.ts reads it and clears it from the address bar). Each
// token's lifetime starts at the database's clock (sqlNowPlus in lib/clock.ts).
import { createHash, randomBytes } from "node:crypto";

/**
 * The token kinds: reset links (`ksr_`), email-change links (`kse_`), invitations (`ksi_`) and
 * sign-up links (`kss_`). Recognisable, like a key, so a scanner (or scripts/secret-hygiene.ts)
 * can find one.
 */
export type LinkTokenPrefix = "ksr" | "kse" | "ksi" | "kss";

/** A new token of this kind: the prefix and 32 random bytes in base64url (43 characters). */
export function newLinkToken(prefix: LinkTokenPrefix): string {
  return `${prefix}_${randomBytes(32).toString("base64url")}`;
}

/** The stored form of a token: its SHA-256 digest, in hex. */
export function linkTokenDigest(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/**
 * The digest of `token` when it is shaped like a token of this kind, else null: anything else
 * cannot be one, and is neither hashed nor looked up.
 */
export function digestIfLinkToken(prefix: LinkTokenPrefix, token: unknown): string | null {
  if (typeof token !== "string" || !new RegExp(`^${prefix}_[A-Za-z0-9_-]{43}$`).test(token)) return null;
  return linkTokenDigest(token);
}

/** The link that opens `path` on `origin` with the token in its fragment. */
export function linkWithToken(origin: string, path: string, token: string): string {
  return `${origin.replace(/\/+$/, "")}${path}#token=${token}`;
}
