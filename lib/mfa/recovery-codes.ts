import { randomInt } from "node:crypto";

// Recovery codes: ten per user, each two groups of five characters from the RFC 4648 base32
// alphabet (50 random bits), like "K7M2Q-9XAZB". Shown once when made; the database keeps a
// keyed digest of each (lib/crypto/seal.ts keyedDigest), so a stolen copy cannot be guessed
// offline without ENCRYPTION_KEY, and online guessing is bounded by the sign-in challenge.

export const RECOVERY_CODE_COUNT = 10;
const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
export const RECOVERY_CODE_PATTERN = /^[A-Z2-7]{5}-[A-Z2-7]{5}$/;

export function newRecoveryCodes(count = RECOVERY_CODE_COUNT): string[] {
  const one = () => Array.from({ length: 10 }, () => ALPHABET[randomInt(ALPHABET.length)]).join("");
  const codes = new Set<string>();
  while (codes.size < count) {
    const raw = one();
    codes.add(`${raw.slice(0, 5)}-${raw.slice(5)}`);
  }
  return [...codes];
}

/** A typed recovery code in its one spelling (case, spaces and a missing dash forgiven), or null. */
export function asRecoveryCode(input: string): string | null {
  const raw = input.toUpperCase().replace(/[\s-]+/g, "");
  if (!/^[A-Z2-7]{10}$/.test(raw)) return null;
  return `${raw.slice(0, 5)}-${raw.slice(5)}`;
}
