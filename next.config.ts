import type { NextConfig } from "next";
import { API_CSP, securityHeaders as headerValues } from "./lib/security/headers.mjs";

// Security headers on every response, pages, JSON, errors and 404s alike (lib/security/headers.mjs,
// shared with server.mjs). Pages get their nonce CSP from proxy.ts; everything else (API JSON,
// files) gets a policy that loads nothing.
const securityHeaders = Object.entries(headerValues(process.env.NODE_ENV === "production")).map(([key, value]) => ({ key, value }));

const nextConfig: NextConfig = {
  poweredByHeader: false,
  reactStrictMode: true,
  // PGlite ships WASM and data files that must be loaded from node_modules at run time.
  serverExternalPackages: ["@electric-sql/pglite", "@node-rs/argon2", "pg", "@neondatabase/serverless", "ws", "prom-client"],
  async headers() {
    return [
      { source: "/:path*", headers: securityHeaders },
      { source: "/api/:path*", headers: [{ key: "Content-Security-Policy", value: API_CSP }] },
    ];
  },
};

export default nextConfig;
