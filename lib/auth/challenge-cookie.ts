import "server-only";
import { cookies } from "next/headers";
import { CHALLENGE_COOKIE, CHALLENGE_LIFETIME_MS } from "../commands/second-factor";
import { requestOrigin } from "../request-context";

// The second-factor challenge's token rides only in this cookie: httpOnly (no script reads it),
// SameSite=Lax, Secure when the site is served over https, scoped to /login (the verify page and
// its action), five minutes. Never in a URL, a page or a log.

export async function setChallengeCookie(token: string, headers: Headers) {
  (await cookies()).set(CHALLENGE_COOKIE, token, {
    httpOnly: true,
    sameSite: "lax",
    secure: requestOrigin(headers).startsWith("https:"),
    path: "/login",
    maxAge: CHALLENGE_LIFETIME_MS / 1000,
  });
}

export async function readChallengeCookie(): Promise<string | undefined> {
  return (await cookies()).get(CHALLENGE_COOKIE)?.value;
}

export async function clearChallengeCookie() {
  (await cookies()).delete({ name: CHALLENGE_COOKIE, path: "/login" });
}
