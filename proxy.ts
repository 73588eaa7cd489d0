// Runs before every page request: a fresh CSP nonce per request, and a refusal of cross-site
// server-action posts. It is defence in depth only: every action and handler checks the session
// and ownership itself (lib/action.ts, lib/api/authenticate.ts), so a proxy bypass opens nothing.
import { NextResponse, type NextRequest } from "next/server";
import { isCrossSite, pageCsp } from "@/lib/security/csp";

export function proxy(request: NextRequest) {
  if (request.method !== "GET" && request.method !== "HEAD" && request.headers.has("next-action") && isCrossSite(request.headers)) {
    return new NextResponse("Cross-site request refused.", { status: 403, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  }
  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
  const csp = pageCsp(nonce, process.env.NODE_ENV === "production");
  // Next.js reads the nonce from the request's CSP header and puts it on its own scripts.
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("content-security-policy", csp);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("Content-Security-Policy", csp);
  return response;
}

export const config = {
  // Pages only: API responses get a fixed CSP from next.config.ts, static assets need none.
  matcher: ["/((?!api/|_next/static|_next/image|favicon.ico).*)"],
};
