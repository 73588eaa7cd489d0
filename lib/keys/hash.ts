import { createHmac } from "node:crypto";

export const HASH_VERSION = 1;

/**
 * HMAC-SHA-256 under the server-side pepper. A stolen database alone cannot be used to test
 * guesses, and because keys carry ≥160 random bits, a fast hash is the right tool (a slow
 * password hash would only slow every API request). Lookups go through the unique index on
 * the digest, so no secret is ever compared in application code.
 */
export function hashKey(key: string, pepper: string): string {
  return createHmac("sha256", pepper).update(key, "utf8").digest("hex");
}
