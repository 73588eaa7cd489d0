// The security headers of every response, in one place for both who send them: next.config.ts
// (everything Next.js answers) and server.mjs (the refusals it answers before Next.js). Plain
// JavaScript because server.mjs runs without a TypeScript loader; types in headers.d.mts.

/** What API JSON, files and refusals may load: nothing. Pages get a nonce CSP from proxy.ts. */
export const API_CSP = "default-src 'none'; frame-ancestors 'none'";

/**
 * The headers besides the CSP. HSTS only in production: a dev server on http://localhost must not
 * pin the browser to https.
 */
export function securityHeaders(production) {
  return {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
    ...(production ? { "Strict-Transport-Security": "max-age=63072000; includeSubDomains" } : {}),
  };
}
