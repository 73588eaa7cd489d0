import { randomBytes } from "node:crypto";

// Key format, after GitHub's token format: `ksk_` + 30 base62 characters from a CSPRNG
// (30 * log2(62) ≈ 178.6 bits) + a 6-character base62 CRC32 of the body. The checksum lets
// anyone (us, secret scanners, the rotate script) reject a mistyped or made-up key offline,
// before any database lookup.
export const KEY_PREFIX = "ksk";
export const KEY_RANDOM_LENGTH = 30;
export const KEY_CHECKSUM_LENGTH = 6;
export const KEY_LENGTH = KEY_PREFIX.length + 1 + KEY_RANDOM_LENGTH + KEY_CHECKSUM_LENGTH;
export const KEY_PATTERN = new RegExp(
  `^${KEY_PREFIX}_[0-9A-Za-z]{${KEY_RANDOM_LENGTH}}[0-9A-Za-z]{${KEY_CHECKSUM_LENGTH}}$`,
);

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

export function crc32(input: string): number {
  let crc = 0xffffffff;
  for (let i = 0; i < input.length; i++) {
    // Keys are ASCII by construction; other input is rejected by KEY_PATTERN before this.
    crc = CRC_TABLE[(crc ^ input.charCodeAt(i)) & 0xff]! ^ (crc >>> 8);
  }
  return (crc ^ 0xffffffff) >>> 0;
}

export function toBase62(value: number, width: number): string {
  let out = "";
  let n = value;
  while (n > 0) {
    out = BASE62[n % 62] + out;
    n = Math.floor(n / 62);
  }
  return out.padStart(width, "0");
}

export function checksumOf(body: string): string {
  return toBase62(crc32(body), KEY_CHECKSUM_LENGTH);
}

/** Uniform base62 string from a CSPRNG (rejection sampling keeps every character equally likely). */
export function randomBase62(length: number): string {
  let out = "";
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < 248) out += BASE62[byte % 62];
      if (out.length === length) break;
    }
  }
  return out;
}

export function generateKey(): string {
  const body = randomBase62(KEY_RANDOM_LENGTH);
  return `${KEY_PREFIX}_${body}${checksumOf(body)}`;
}

/** Format and checksum only: true means "worth a database lookup", nothing more. */
export function isWellFormedKey(candidate: string): boolean {
  if (candidate.length !== KEY_LENGTH || !KEY_PATTERN.test(candidate)) return false;
  const body = candidate.slice(KEY_PREFIX.length + 1, KEY_PREFIX.length + 1 + KEY_RANDOM_LENGTH);
  return checksumOf(body) === candidate.slice(-KEY_CHECKSUM_LENGTH);
}

/** What the dashboard may show after creation: the prefix and the last four characters. */
export function keyHint(key: string): string {
  return `${KEY_PREFIX}_…${key.slice(-4)}`;
}
