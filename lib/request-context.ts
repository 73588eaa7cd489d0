import type { RequestContext } from "./audit-events";

/**
 * The client address for audit rows. Behind N trusted reverse proxies (TRUSTED_PROXY_HOPS=N),
 * the client is the N-th entry from the right of X-Forwarded-For; entries further left were
 * written by the client itself and are not trusted.
 */
export function clientIp(headers: Headers): string | null {
  const hops = Math.max(0, Number(process.env.TRUSTED_PROXY_HOPS ?? 0) || 0);
  const chain = (headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  const ip = chain[chain.length - 1 - hops] ?? chain[0] ?? headers.get("x-real-ip");
  return ip ? ip.replace(/^::ffff:/, "").slice(0, 64) : null;
}

export function contextFromHeaders(headers: Headers): RequestContext {
  return { ip: clientIp(headers), userAgent: headers.get("user-agent")?.slice(0, 512) ?? null };
}

/** The public base URL (APP_URL, else from the request's forwarded host and protocol). */
export function requestOrigin(headers: Headers): string {
  if (process.env.APP_URL) return process.env.APP_URL.replace(/\/$/, "");
  const host = headers.get("x-forwarded-host") ?? headers.get("host") ?? "localhost:3000";
  const proto = headers.get("x-forwarded-proto")?.split(",")[0]?.trim() ?? "http";
  return `${proto}://${host}`;
}
