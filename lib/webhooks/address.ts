import { ipAllowed, parseAddress } from "../keys/cidr";

// The SSRF guard's rules (pure): which addresses a webhook may never reach, which URLs may be
// registered, and the operator's exceptions. lib/webhooks/deliver.ts applies them to the address the
// connection actually uses, after DNS, on every attempt.

/**
 * Addresses a delivery never connects to: "this network", private (RFC 1918, carrier-grade NAT,
 * unique local), loopback, link-local (cloud metadata services: 169.254.169.254, fd00:ec2::254),
 * documentation and benchmarking ranges, multicast, reserved, and the IPv6 forms that carry an IPv4
 * address inside (NAT64, 6to4), which could point at any of those. IPv4-mapped IPv6 is read as IPv4.
 */
export const BLOCKED_RANGES = [
  "0.0.0.0/8",
  "10.0.0.0/8",
  "100.64.0.0/10",
  "127.0.0.0/8",
  "169.254.0.0/16",
  "172.16.0.0/12",
  "192.0.0.0/24",
  "192.0.2.0/24",
  "192.88.99.0/24",
  "192.168.0.0/16",
  "198.18.0.0/15",
  "198.51.100.0/24",
  "203.0.113.0/24",
  "224.0.0.0/4",
  "240.0.0.0/4",
  "::",
  "::1",
  "64:ff9b::/96",
  "64:ff9b:1::/48",
  "100::/64",
  "2001::/23",
  "2001:db8::/32",
  "2002::/16",
  "fc00::/7",
  "fe80::/10",
  "fec0::/10",
  "ff00::/8",
] as const;

/** Whether a delivery may connect to this address (an unparsable address may not). */
export function addressBlocked(ip: string): boolean {
  if (!parseAddress(ip)) return true;
  return ipAllowed(BLOCKED_RANGES, ip);
}

/**
 * The operator's exceptions (`WEBHOOK_ALLOWED_HOSTS`: comma-separated `host:port`, e.g.
 * "127.0.0.1:4000,hooks.internal:8443"): such an endpoint may resolve to any address and may use
 * plain http. Lower-cased; an IPv6 host in brackets ("[::1]:4000").
 */
export function parseAllowedHosts(raw: string | undefined): Set<string> {
  const hosts = new Set<string>();
  for (const part of (raw ?? "").split(",")) {
    const entry = part.trim().toLowerCase();
    if (/^(\[[0-9a-f:.]+\]|[a-z0-9.-]+):\d{1,5}$/.test(entry)) hosts.add(entry);
  }
  return hosts;
}

/** The `host:port` an allowlist entry names for this URL (the scheme's default port when none is written). */
export function hostPort(url: URL): string {
  const port = url.port || (url.protocol === "https:" ? "443" : "80");
  return `${url.hostname.toLowerCase()}:${port}`;
}

export const WEBHOOK_URL_MAX = 2_000;

export type UrlProblem = "malformed" | "not_https" | "credentials" | "blocked_address";

/**
 * What is wrong with an endpoint URL before any DNS: not an absolute http(s) URL, plain http
 * outside the allowlist, a user name or password in it, or a literal address (or "localhost") the
 * guard refuses. Null when it may be registered (delivery checks the resolved address again).
 */
export function endpointUrlProblem(raw: string, allowedHosts: ReadonlySet<string>): UrlProblem | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return "malformed";
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return "malformed";
  if (url.username || url.password) return "credentials";
  const allowed = allowedHosts.has(hostPort(url));
  if (url.protocol === "http:" && !allowed) return "not_https";
  if (allowed) return null;
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (host === "localhost" || host.endsWith(".localhost")) return "blocked_address";
  if (parseAddress(host) && addressBlocked(host)) return "blocked_address";
  return null;
}

/** Why a URL is refused, in words a form shows. */
export function urlProblemText(problem: UrlProblem): string {
  switch (problem) {
    case "malformed":
      return "Enter a full URL that starts with https://.";
    case "not_https":
      return "Use an https:// URL. Plain http is only allowed for hosts the operator lists in WEBHOOK_ALLOWED_HOSTS.";
    case "credentials":
      return "Leave the user name and password out of the URL; verify deliveries by their signature instead.";
    case "blocked_address":
      return "That address is private, loopback or link-local. Webhooks are only sent to public addresses.";
  }
}
