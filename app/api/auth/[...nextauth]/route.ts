// Auth.js endpoints (session, CSRF token, sign-in callbacks, sign-out).
import { NextRequest } from "next/server";
import { getDb } from "@/db";
import { OIDC_PROVIDER_ID, handlers } from "@/lib/auth/config";
import { recordSsoAnswerRejected } from "@/lib/commands/sso";
import { contextFromHeaders, requestOrigin } from "@/lib/request-context";

// Auth.js builds the OIDC redirect URI and its redirects from the request's URL, which behind
// server.mjs names the address the server listens on (http://0.0.0.0:PORT), not the one the browser
// used. The public origin (APP_URL, else the Host the browser sent: what the sign-in action used to
// send the browser to the IdP) keeps the redirect URI of the code exchange equal to the authorization's.
function publicRequest(request: NextRequest): NextRequest {
  const url = new URL(`${request.nextUrl.pathname}${request.nextUrl.search}`, requestOrigin(request.headers));
  return new NextRequest(url, request);
}

// An SSO answer Auth.js refused (state, code, issuer or nonce) never reaches acceptSsoSignIn, which
// audits its own refusals: it is audited here, from where the callback sends the browser.
async function audited(request: NextRequest, response: Response): Promise<Response> {
  if (!request.nextUrl.pathname.endsWith(`/callback/${OIDC_PROVIDER_ID}`)) return response;
  const location = response.headers.get("location");
  const error = location ? new URL(location, request.nextUrl.origin).searchParams.get("error") : null;
  if (error && !error.startsWith("sso_")) await recordSsoAnswerRejected(await getDb(), error, contextFromHeaders(request.headers));
  return response;
}

export const GET = async (request: NextRequest) => audited(request, await handlers.GET(publicRequest(request)));
export const POST = async (request: NextRequest) => audited(request, await handlers.POST(publicRequest(request)));
