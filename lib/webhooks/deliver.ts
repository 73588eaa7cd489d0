import dns from "node:dns";
import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import { addressBlocked, endpointUrlProblem, hostPort, urlProblemText } from "./address";

/** How long one attempt may take, connection to last byte. */
export const WEBHOOK_TIMEOUT_MS = 10_000;
/** The most of a response read; a longer one fails the attempt (the endpoint should answer briefly). */
export const WEBHOOK_RESPONSE_MAX_BYTES = 64 * 1024;
/** How much of the response the delivery log keeps. */
export const WEBHOOK_EXCERPT_CHARS = 1_000;

export type DeliveryOutcome = {
  /** A 2xx answer, read whole within the limits. */
  ok: boolean;
  status: number | null;
  durationMs: number;
  excerpt: string | null;
  /** What went wrong, in words the delivery log shows (null when ok). */
  error: string | null;
};

class GuardError extends Error {
  code = "EWEBHOOKGUARD";
}

/** A DNS lookup that refuses (for the whole connection) a host with any address the guard blocks. */
export function guardedLookup(allowed: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dns.lookup(hostname, { all: true, family: options.family, hints: options.hints }, (error, addresses) => {
      if (error) return callback(error, "", 4);
      if (addresses.length === 0) return callback(Object.assign(new Error("no address"), { code: "ENOTFOUND" }), "", 4);
      if (!allowed && addresses.some((a) => addressBlocked(a.address))) {
        return callback(new GuardError(`${hostname} resolves to a private, loopback or link-local address`), "", 4);
      }
      if (options.all) return (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, addresses);
      callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  };
}

/** An error as the delivery log says it: what happened and, where it helps, what to do. */
export function deliveryErrorText(error: unknown): string {
  const code = (error as { code?: unknown })?.code;
  if (error instanceof GuardError) return `Refused: ${error.message}. Webhooks are only sent to public addresses.`;
  switch (code) {
    case "ECONNREFUSED":
      return "Connection refused: nothing is listening at that address and port.";
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return "The host name does not resolve. Check the URL.";
    case "ECONNRESET":
      return "The connection was reset before an answer came.";
    case "EHOSTUNREACH":
    case "ENETUNREACH":
      return "The host cannot be reached from this server.";
    case "CERT_HAS_EXPIRED":
    case "DEPTH_ZERO_SELF_SIGNED_CERT":
    case "SELF_SIGNED_CERT_IN_CHAIN":
    case "UNABLE_TO_VERIFY_LEAF_SIGNATURE":
    case "ERR_TLS_CERT_ALTNAME_INVALID":
      return `The endpoint's TLS certificate is not valid (${String(code)}).`;
  }
  const message = error instanceof Error ? error.message : String(error);
  return message.slice(0, 300);
}

/**
 * One attempt: POSTs the body to the endpoint with its headers, through the SSRF guard. The URL's
 * rules are checked again (a stored URL may predate a narrower allowlist), the host's addresses are
 * checked after DNS on the connection's own lookup (so what is checked is what is used), redirects
 * are not followed, and the attempt ends after `WEBHOOK_TIMEOUT_MS` or `WEBHOOK_RESPONSE_MAX_BYTES`.
 * Never throws: the outcome says what happened.
 */
export async function postWebhook(input: {
  url: string;
  body: string;
  headers: Record<string, string>;
  allowedHosts: ReadonlySet<string>;
  timeoutMs?: number;
  maxResponseBytes?: number;
}): Promise<DeliveryOutcome> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const problem = endpointUrlProblem(input.url, input.allowedHosts);
  if (problem) return { ok: false, status: null, durationMs: 0, excerpt: null, error: urlProblemText(problem) };
  const url = new URL(input.url);
  const allowed = input.allowedHosts.has(hostPort(url));
  const timeoutMs = input.timeoutMs ?? WEBHOOK_TIMEOUT_MS;
  const maxBytes = input.maxResponseBytes ?? WEBHOOK_RESPONSE_MAX_BYTES;
  const client = url.protocol === "https:" ? https : http;
  return new Promise<DeliveryOutcome>((resolve) => {
    let settled = false;
    const finish = (outcome: Omit<DeliveryOutcome, "durationMs">) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      request.destroy();
      resolve({ ...outcome, durationMs: elapsed() });
    };
    const request = client.request(
      url,
      {
        method: "POST",
        // A connection of its own each time: the lookup (and so the guard) runs for every attempt.
        agent: false,
        lookup: guardedLookup(allowed),
        headers: {
          "Content-Type": "application/json",
          "Content-Length": String(Buffer.byteLength(input.body)),
          "User-Agent": "Keysmith-Webhooks/1",
          ...input.headers,
        },
      },
      (response) => {
        const status = response.statusCode ?? null;
        const chunks: Buffer[] = [];
        let size = 0;
        response.on("data", (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxBytes) {
            finish({ ok: false, status, excerpt: excerptOf(chunks), error: `The response was larger than ${Math.round(maxBytes / 1024)} KB. Answer a webhook with a short body.` });
            return;
          }
          chunks.push(chunk);
        });
        response.on("end", () => {
          const excerpt = excerptOf(chunks);
          if (status !== null && status >= 200 && status < 300) return finish({ ok: true, status, excerpt, error: null });
          const error =
            status !== null && status >= 300 && status < 400
              ? `Answered with a redirect (${status}); redirects are not followed. Register the final URL.`
              : `Answered ${status ?? "nothing"}; a delivery needs a 2xx answer.`;
          finish({ ok: false, status, excerpt, error });
        });
        response.on("error", (error) => finish({ ok: false, status, excerpt: excerptOf(chunks), error: deliveryErrorText(error) }));
      },
    );
    const timer = setTimeout(() => finish({ ok: false, status: null, excerpt: null, error: `No answer within ${timeoutMs / 1000} s.` }), timeoutMs);
    request.on("error", (error) => finish({ ok: false, status: null, excerpt: null, error: deliveryErrorText(error) }));
    request.end(input.body);
  });
}

function excerptOf(chunks: Buffer[]): string | null {
  if (chunks.length === 0) return null;
  return Buffer.concat(chunks).toString("utf8").slice(0, WEBHOOK_EXCERPT_CHARS);
}
