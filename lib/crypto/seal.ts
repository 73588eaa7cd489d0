import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes } from "node:crypto";

// Sealing small secrets (second-factor seeds) with AES-256-GCM under a key that is not in the
// database (ENCRYPTION_KEY), so a copy of the database opens none of them. The format names its
// version and the key it was sealed with, so the key can rotate: set the new ENCRYPTION_KEY and
// the old one in ENCRYPTION_KEY_PREVIOUS; both open, new seals use the new key.
//
//   v1.<key id>.<iv>.<ciphertext>.<tag>   (base64url; key id = first 8 bytes of SHA-256 of the key)
//
// `context` is authenticated but not stored (AES-GCM additional data): a seal made for one user
// cannot be copied into another user's row and opened there.

const VERSION = "v1";

/** The AES key derived from a configured key string (any length of 32+ random characters). */
function aesKey(secret: string): Buffer {
  return createHash("sha256").update(`keysmith-seal-v1:${secret}`, "utf8").digest();
}

function keyId(secret: string): string {
  return createHash("sha256").update(`keysmith-seal-id:${secret}`, "utf8").digest().subarray(0, 8).toString("base64url");
}

export function seal(plaintext: string, context: string, secret: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", aesKey(secret), iv);
  cipher.setAAD(Buffer.from(context, "utf8"));
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return [VERSION, keyId(secret), iv.toString("base64url"), body.toString("base64url"), cipher.getAuthTag().toString("base64url")].join(".");
}

/** Opens a seal with whichever of the keys made it; throws when none did or it was altered. */
export function unseal(sealed: string, context: string, secrets: string[]): string {
  const [version, id, iv, body, tag] = sealed.split(".");
  if (version !== VERSION || !id || !iv || !body || !tag) throw new Error("Not a sealed value of a known version.");
  const secret = secrets.find((s) => keyId(s) === id);
  if (!secret) throw new Error("Sealed with a key that is not configured (ENCRYPTION_KEY or ENCRYPTION_KEY_PREVIOUS).");
  const decipher = createDecipheriv("aes-256-gcm", aesKey(secret), Buffer.from(iv, "base64url"));
  decipher.setAAD(Buffer.from(context, "utf8"));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]).toString("utf8");
}

/** Whether a seal was made with this key (else it is worth sealing again after a rotation). */
export function sealedWith(sealed: string, secret: string): boolean {
  return sealed.split(".")[1] === keyId(secret);
}

/** A keyed digest (HMAC-SHA-256) for one-time codes: without the key, a stolen digest cannot be guessed offline. */
export function keyedDigest(value: string, purpose: string, secret: string): string {
  return createHmac("sha256", aesKey(secret)).update(`${purpose}:${value}`, "utf8").digest("hex");
}
