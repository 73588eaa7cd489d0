import type { RequestContext } from "./audit-events";
import { config } from "./config";

/**
 * The client address for audit rows and per-address limits. Behind N trusted reverse proxies
 * (TRUSTED_PROXY_HOPS=N), each proxy appends the address it saw, so the client is the N-th entry
 * from the right of X-Forwarded-For; anything further left was written by the client itself and
 * is ignored. With no proxy (N=0) the rightmost entry is used: Next.js fills the header with the
 * socket address only when the client sent none, so exposed directly the address is advisory
 * (documented in SECURITY.md); put the app behind a proxy and set TRUSTED_PROXY_HOPS.
 */
export function clientIp(headers: Headers): string | null {
  const hops = Math.max(1, config.trustedProxyHops);
  const chain = (headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  const ip = chain[Math.max(0, chain.length - hops)] ?? headers.get("x-real-ip");
  return ip ? ip.replace(/^::ffff:/, "").slice(0, 64) : null;
}

export function contextFromHeaders(headers: Headers): RequestContext {
  return { ip: clientIp(headers), userAgent: headers.get("user-agent")?.slice(0, 512) ?? null };
}

/** The public base URL (APP_URL, else from the request's forwarded host and protocol). */
export function requestOrigin(headers: Headers): string {
  if (config.appUrl) return config.appUrl.replace(/\/$/, "");
  const host = headers.get("x-forwarded-host") ?? headers.get("host") ?? "localhost:3000";
  const proto = headers.get("x-forwarded-proto")?.split(",")[0]?.trim() ?? "http";
  return `${proto}://${host}`;
}
