// The page Content-Security-Policy. Scripts run only with this request's nonce ('strict-dynamic'
// lets them load the chunks they import), so an injected <script> or on* handler never runs even
// if some text were ever rendered as markup. Inline style attributes stay allowed: Radix positions
// popovers with them, and a style cannot run code.
export function pageCsp(nonce: string, production: boolean): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${production ? "" : " 'unsafe-eval'"}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** JSON and other non-page responses load nothing and may not be framed. */
export { API_CSP } from "./headers.mjs";

/**
 * Whether a state-changing request comes from another site. Next.js already compares Origin with
 * Host for server actions; this repeats it before any app code runs (defence in depth), treats an
 * unparsable Origin ("null" from sandboxed frames) as foreign, and also honours the browser's own
 * Sec-Fetch-Site verdict.
 */
export function isCrossSite(headers: Headers): boolean {
  if (headers.get("sec-fetch-site") === "cross-site") return true;
  const origin = headers.get("origin");
  if (!origin) return false;
  const host = headers.get("x-forwarded-host")?.split(",")[0]?.trim() || headers.get("host");
  try {
    return new URL(origin).host !== host;
  } catch {
    return true;
  }
}
