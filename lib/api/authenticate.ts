import "server-only";
import { getDb } from "@/db";
import { pairedLookup, type KeyLookup } from "@/db/queries/key-lookup";
import type { Actor, KeyActor } from "../commands/actor";
import { clockOffsetMs } from "../clock";
import { AppError } from "../errors";
import { isWellFormedKey } from "../keys/format";
import { hashKey } from "../keys/hash";
import { verifyKey, type VerifiedKey, type VerifyDeps } from "../keys/verify";
import { clientIp, contextFromHeaders } from "../request-context";
import type { Scope } from "../scopes";
import { getSecrets } from "../secrets";
import { noteRateLimit } from "./http";
import { apiServices, authFailuresPerMinute, ratePerMinute } from "./services";

const MAX_HEADER_LENGTH = 256;
const CHALLENGE = { "WWW-Authenticate": 'Bearer realm="keysmith"' };

export type ApiCaller = { key: VerifiedKey; ip: string | null };

export async function verifyDeps(request: Request): Promise<VerifyDeps> {
  const services = apiServices();
  return {
    db: await getDb(),
    clockOffsetMs: clockOffsetMs(request.headers),
    pepper: getSecrets().keyPepper,
    limiter: services.keyLimiter,
    usage: services.usage,
    ratePerMinute: ratePerMinute(),
  };
}

/** The key in `Authorization: Bearer <key>`, or null when the header is missing or not that. */
export function bearerToken(request: Request): string | null {
  const header = request.headers.get("authorization");
  const match = header && header.length <= MAX_HEADER_LENGTH ? /^Bearer +(\S+) *$/i.exec(header) : null;
  return match ? match[1]! : null;
}

/**
 * For an operation that checks another key besides the caller's (POST /keys/verify): a lookup
 * that reads both in one round trip, passed to authenticate() and then to verifyKey().
 */
export async function lookupWithCaller(request: Request, other: string): Promise<KeyLookup | undefined> {
  const token = bearerToken(request);
  if (!token || !isWellFormedKey(token) || !isWellFormedKey(other)) return undefined;
  const pepper = getSecrets().keyPepper;
  return pairedLookup(await getDb(), hashKey(token, pepper), hashKey(other, pepper), clockOffsetMs(request.headers));
}

function unauthorized(message: string) {
  // One message for unknown, revoked and expired keys: the answer never says whether a key exists.
  return new AppError("unauthorized", { message, headers: CHALLENGE });
}

/**
 * Authenticates an /api/v1 request by its `Authorization: Bearer` key alone. Cookies are ignored
 * (a dashboard session is no API credential) and so are keys in the URL. Throws the AppError
 * for the right 401/403/429 response, or returns the caller.
 */
export async function authenticate(request: Request, scope?: Scope, lookup?: KeyLookup): Promise<ApiCaller> {
  const ip = clientIp(request.headers);
  const services = apiServices();
  const ipBucket = `authfail:${ip ?? "unknown"}`;
  const tooManyFailures = (retryAfterSeconds: number) =>
    new AppError("rate_limited", {
      message: "Too many failed authentications from this address. Wait and retry.",
      headers: { "Retry-After": String(retryAfterSeconds) },
    });
  const blocked = services.failures.peek(ipBucket);
  if (!blocked.ok) throw tooManyFailures(blocked.retryAfterSeconds);
  const failed = async (refusal: AppError) => {
    const allowed = await services.failures.take(await getDb(), ipBucket, authFailuresPerMinute());
    return allowed.ok ? refusal : tooManyFailures(allowed.retryAfterSeconds);
  };

  const header = request.headers.get("authorization");
  if (!header) throw unauthorized("Send your API key as Authorization: Bearer <key>.");
  const token = bearerToken(request);
  if (!token) throw await failed(unauthorized("The Authorization header must be: Bearer <key>."));

  const result = await verifyKey({ ...(await verifyDeps(request)), lookup }, token, { scopes: scope ? [scope] : [], ip });
  switch (result.code) {
    case "VALID":
      noteRateLimit(request, result.rate);
      return { key: result.key, ip };
    case "NOT_FOUND":
    case "REVOKED":
    case "EXPIRED":
      throw await failed(unauthorized("The API key is invalid, expired or revoked."));
    case "USER_SUSPENDED":
      // The key is genuine (only its holder can present it), so naming the reason tells nobody
      // anything new, and it tells the holder what to do. Counted as a failure like the others.
      throw await failed(new AppError("user_suspended", { headers: CHALLENGE }));
    case "IP_NOT_ALLOWED":
      // Genuine key, wrong place: saying so tells the holder what to do, and nobody else learns
      // anything (only the holder can present the key). Counted as a failure like the others.
      throw await failed(new AppError("ip_not_allowed", { message: ipNotAllowedMessage(result.ip), details: { ip: result.ip } }));
    case "RATE_LIMITED":
      noteRateLimit(request, result.rate);
      throw new AppError("rate_limited", {
        message: `This key is over its limit of ${ratePerMinute()} requests per minute.`,
        headers: { "Retry-After": String(result.retryAfterSeconds) },
      });
    case "INSUFFICIENT_SCOPE":
      noteRateLimit(request, result.rate);
      throw new AppError("insufficient_scope", {
        message: `This key lacks the scope ${result.missing.join(", ")}.`,
        details: { required: result.missing },
        headers: { "WWW-Authenticate": `Bearer realm="keysmith", error="insufficient_scope", scope="${result.missing.join(" ")}"` },
      });
  }
}

/** What a request refused by a key's allowlist is told: the address seen, and what to do. */
export function ipNotAllowedMessage(ip: string | null): string {
  return ip
    ? `This key does not accept requests from ${ip}. Add ${ip} to the key's allowed IP addresses, or call from an allowed address.`
    : "This key only accepts requests from its allowed IP addresses, and this request's address is unknown. Check the proxy settings (TRUSTED_PROXY_HOPS).";
}

/** The actor a key command runs as: the key's owner (a person or a team), acting through this key (lib/commands). */
export function apiActor(request: Request, caller: ApiCaller): KeyActor {
  const { key } = caller;
  const base = {
    context: contextFromHeaders(request.headers),
    clockOffsetMs: clockOffsetMs(request.headers),
    key: { id: key.id, scopes: key.scopes, expiresAt: key.expiresAt, viaPreviousSecret: key.viaPreviousSecret, allowedIps: key.allowedIps },
  };
  return key.owner.type === "team" ? { ...base, userId: null, team: { id: key.owner.id } } : { ...base, userId: key.owner.id };
}

/** The person behind the key, for an operation about a person (the profile); a team key has none. */
export function personId(caller: ApiCaller): string {
  if (caller.key.owner.type !== "user") throw new AppError("team_key_not_allowed");
  return caller.key.owner.id;
}

/** The actor of an operation about a person (the profile): refused for a team key. */
export function apiPersonActor(request: Request, caller: ApiCaller): Actor {
  return { ...apiActor(request, caller), userId: personId(caller) };
}
