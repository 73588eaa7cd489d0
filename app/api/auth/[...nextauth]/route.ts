// Auth.js endpoints (session, CSRF token, sign-in callbacks, sign-out).
import { NextRequest } from "next/server";
import { handlers } from "@/lib/auth/config";
import { requestOrigin } from "@/lib/request-context";

// Auth.js builds the OIDC redirect URI and its redirects from the request's URL, which behind
// server.mjs names the address the server listens on (http://0.0.0.0:PORT), not the one the browser
// used. The public origin (APP_URL, else the Host the browser sent: what the sign-in action used to
// send the browser to the IdP) keeps the redirect URI of the code exchange equal to the authorization's.
function publicRequest(request: NextRequest): NextRequest {
  const url = new URL(`${request.nextUrl.pathname}${request.nextUrl.search}`, requestOrigin(request.headers));
  return new NextRequest(url, request);
}

export const GET = (request: NextRequest) => handlers.GET(publicRequest(request));
export const POST = (request: NextRequest) => handlers.POST(publicRequest(request));
