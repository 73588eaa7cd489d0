import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

// Standard Webhooks (https://www.standardwebhooks.com): a delivery carries `webhook-id` (the same on
// every attempt of one event), `webhook-timestamp` (Unix seconds, when it was sent) and
// `webhook-signature` ("v1,<base64 HMAC-SHA-256>" of "<id>.<timestamp>.<body>", keyed by the bytes
// of the `whsec_` secret after its prefix). Any of the spec's libraries verifies these.

const PREFIX = "whsec_";

/** A new endpoint secret: `whsec_` and 32 random bytes in base64 (the spec's format). */
export function newWebhookSecret(): string {
  return PREFIX + randomBytes(32).toString("base64");
}

function keyOf(secret: string): Buffer {
  return Buffer.from(secret.startsWith(PREFIX) ? secret.slice(PREFIX.length) : secret, "base64");
}

/** The `webhook-signature` value for one body. */
export function signWebhook(secret: string, id: string, timestampSeconds: number, body: string): string {
  return `v1,${createHmac("sha256", keyOf(secret)).update(`${id}.${timestampSeconds}.${body}`, "utf8").digest("base64")}`;
}

/**
 * The three headers of a delivery. With more than one secret (a new one and, for a while, the one
 * it replaced), one signature per secret, space-separated: a receiver with either verifies.
 */
export function webhookHeaders(secrets: string | string[], id: string, timestampSeconds: number, body: string): Record<string, string> {
  const signature = [secrets]
    .flat()
    .map((secret) => signWebhook(secret, id, timestampSeconds, body))
    .join(" ");
  return { "webhook-id": id, "webhook-timestamp": String(timestampSeconds), "webhook-signature": signature };
}

export type VerifyResult = { ok: true } | { ok: false; reason: "missing_headers" | "stale_timestamp" | "bad_signature" };

/**
 * What a receiver does (the published algorithm, for tests and the README's example): the
 * timestamp within `toleranceSeconds` of now, and one of the space-separated `v1` signatures equal
 * (in constant time) to the one computed from the raw body.
 */
export function verifyWebhook(
  secret: string,
  headers: { id?: string | null; timestamp?: string | null; signature?: string | null },
  body: string,
  options: { nowSeconds?: number; toleranceSeconds?: number } = {},
): VerifyResult {
  const { id, timestamp, signature } = headers;
  if (!id || !timestamp || !signature || !/^\d+$/.test(timestamp)) return { ok: false, reason: "missing_headers" };
  const now = options.nowSeconds ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - Number(timestamp)) > (options.toleranceSeconds ?? 300)) return { ok: false, reason: "stale_timestamp" };
  const expected = Buffer.from(signWebhook(secret, id, Number(timestamp), body).slice(3), "base64");
  for (const part of signature.split(" ")) {
    const [version, value] = part.split(",", 2);
    if (version !== "v1" || !value) continue;
    const given = Buffer.from(value, "base64");
    if (given.length === expected.length && timingSafeEqual(given, expected)) return { ok: true };
  }
  return { ok: false, reason: "bad_signature" };
}
