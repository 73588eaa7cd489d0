import NextAuth, { CredentialsSignin, type NextAuthConfig } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { headers } from "next/headers";
import type { Provider } from "next-auth/providers";
import { getDb } from "@/db";
import { hasSecondFactor } from "@/db/queries/second-factor";
import { clearChallengeCookie, readChallengeCookie, setChallengeCookie } from "@/lib/auth/challenge-cookie";
import { checkCredentials } from "@/lib/auth/credentials";
import { signInWithPasskey } from "@/lib/auth/passkey";
import { clockOffsetMs } from "@/lib/clock";
import { PASSKEY_CHALLENGE_COOKIE, relyingParty } from "@/lib/commands/passkeys";
import { finishSecondFactor, startSecondFactor } from "@/lib/commands/second-factor";
import { acceptSsoSignIn } from "@/lib/commands/sso";
import { config } from "@/lib/config";
import { isDatabaseUnavailable } from "@/lib/errors";
import { errorFields, log } from "@/lib/log";
import { requestNow } from "@/lib/request-clock";
import { contextFromHeaders } from "@/lib/request-context";
import { getSecrets } from "@/lib/secrets";
import { readStepUpProof } from "./step-up-proof";
import { signInSchema } from "@/lib/validation/auth.schema";

declare module "next-auth" {
  interface User {
    role?: "admin" | "member";
    sessionVersion?: number;
    /** How this sign-in was proven: a passkey with user verification counts as two factors. */
    signInMethod?: "password" | "passkey" | "sso";
  }
  interface Session {
    user: {
      id: string;
      role: "admin" | "member";
      name: string;
      email: string;
      sessionVersion: number;
      /** When the session began (seconds): bounds its whole life. */
      signedInAt: number;
      /** When its holder last proved who they are (seconds): signing in, or a step-up since. */
      authenticatedAt: number;
      /** How this session was signed in: a passkey with user verification counts as two factors. */
      signInMethod: "password" | "passkey" | "sso";
    };
  }
}

/** Thrown when an account or address has too many failed sign-ins in the current window. */
export class SignInRateLimited extends CredentialsSignin {
  override code = "rate_limited";
}

/** Thrown when the password was right but an admin has suspended the account. */
export class SignInSuspended extends CredentialsSignin {
  override code = "suspended";
}

/** Thrown when single sign-on is the only way in and this address is not a break-glass admin's. */
export class SignInPasswordOff extends CredentialsSignin {
  override code = "password_off";
}

/**
 * Thrown when the password was right and the account has a second factor: no session yet. The
 * challenge's cookie is set; the sign-in form sends the browser to /login/verify.
 */
export class SecondFactorRequired extends CredentialsSignin {
  override code = "second_factor";
}

/** The second step refused: a wrong code, a challenge ended (five wrong) or gone, or too many wrong codes. */
export class SecondFactorRefused extends CredentialsSignin {
  constructor(readonly reason: "wrong_code" | "ended" | "invalid" | "rate_limited") {
    super();
    this.code = reason;
  }
}

/**
 * Thrown when the password could not be checked at all (the database is down or timed out), so
 * the form can say so instead of "wrong password", which would send people to reset a good one.
 */
export class SignInUnavailable extends CredentialsSignin {
  override code = "unavailable";
}

// Auth.js's own logger prints multi-line stacks, and a failed query's SQL parameters (an email);
// this one writes one JSON line per event with only what errorFields allows.
const authLogger: NextAuthConfig["logger"] = {
  error(error) {
    const cause = (error as { cause?: { err?: unknown } }).cause?.err;
    const refused = error instanceof CredentialsSignin || (error as { type?: unknown }).type === "CredentialsSignin";
    const fields = { type: (error as { type?: string }).type ?? error.name, ...(refused ? { code: (error as CredentialsSignin).code } : {}) };
    // A single sign-on answer that failed Auth.js's checks (state, code, issuer, nonce) is a refusal, not a fault.
    const ssoCause = (error as { type?: string }).type === "CallbackRouteError" ? (cause as { code?: unknown } | undefined)?.code : undefined;
    if (refused) log.info("auth.sign_in_refused", fields);
    else if (typeof ssoCause === "string" && /^OAUTH_/.test(ssoCause)) log.warn("auth.sso_refused", { ...fields, cause: errorFields(cause) });
    else log.error("auth.error", { ...fields, ...(cause ? { cause: errorFields(cause) } : errorFields(error)) });
  },
  warn(code) {
    log.warn("auth.warning", { code });
  },
  debug() {},
};

/** A cookie's value from a Cookie header (the passkey challenge's token). */
function cookieValue(header: string | null, name: string): string | undefined {
  for (const part of (header ?? "").split(";")) {
    const [key, ...rest] = part.trim().split("=");
    if (key === name) return rest.join("=");
  }
  return undefined;
}

export const SESSION_MAX_AGE_SECONDS = 12 * 60 * 60;

/** The OIDC provider's id: its callback is /api/auth/callback/oidc (the redirect URI to register at the IdP). */
export const OIDC_PROVIDER_ID = "oidc";

// The app accounts acceptSsoSignIn accepted, by the Auth.js user object of that callback request:
// the jwt callback issues a session only for one of these (never for an IdP profile as it came).
const acceptedSso = new WeakSet<object>();

/**
 * The generic OIDC provider when OIDC_* is configured (lib/config.ts). Auth.js discovers the
 * endpoints from the issuer, sends PKCE, state and nonce, and checks the ID token's signature,
 * issuer (the configured one), audience (our client id) and nonce before any callback runs.
 */
function oidcProvider(): Provider[] {
  const oidc = config.oidc;
  if (!oidc) return [];
  return [
    {
      id: OIDC_PROVIDER_ID,
      name: oidc.name,
      type: "oidc",
      issuer: oidc.issuer,
      clientId: oidc.clientId,
      clientSecret: oidc.clientSecret,
      checks: ["pkce", "state", "nonce"],
      authorization: { params: { scope: "openid email profile" } },
      // The ID token's claims are the profile; acceptSsoSignIn reads them (ssoClaims).
      profile(profile) {
        return { id: String(profile.sub ?? ""), email: typeof profile.email === "string" ? profile.email : null, name: typeof profile.name === "string" ? profile.name : null };
      },
    },
  ];
}

// The config is built per request (not at import) so `next build` never needs the secrets and a
// production start without them fails on first use with a clear ConfigError.
function buildConfig(): NextAuthConfig {
  return {
    secret: getSecrets().authSecret,
    trustHost: true,
    logger: authLogger,
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
    // Every Auth.js error (a failed state or PKCE check, a refused code, the IdP's error) lands on
    // the sign-in page as ?error=<type>, which lib/auth/sso-errors.ts turns into a sentence.
    pages: { signIn: "/login", error: "/login" },
    providers: [
      Credentials({
        credentials: { email: {}, password: {} },
        async authorize(raw, request) {
          const parsed = signInSchema.safeParse(raw);
          if (!parsed.success) throw new CredentialsSignin();
          let result: Awaited<ReturnType<typeof checkCredentials>>;
          try {
            result = await checkCredentials(await getDb(), parsed.data, contextFromHeaders(request.headers));
          } catch (error) {
            if (!isDatabaseUnavailable(error)) throw error;
            log.error("auth.db_unavailable", errorFields(error));
            throw new SignInUnavailable();
          }
          if (result.ok && result.secondFactor) {
            // The password alone makes no session: a challenge waits for the code (any first
            // factor starts the same one: lib/commands/second-factor.ts startSecondFactor).
            const token = await startSecondFactor(await getDb(), result.user.id, { clockOffsetMs: clockOffsetMs(request.headers) });
            await setChallengeCookie(token, request.headers);
            throw new SecondFactorRequired();
          }
          if (result.ok) {
            const { id, email, name, role, sessionVersion } = result.user;
            return { id, email, name, role, sessionVersion };
          }
          if (result.reason === "suspended") throw new SignInSuspended();
          if (result.reason === "password_off") throw new SignInPasswordOff();
          throw result.reason === "rate_limited" ? new SignInRateLimited() : new CredentialsSignin();
        },
      }),
      // "Sign in with a passkey": the browser's assertion (JSON) against the challenge its cookie
      // names (lib/auth/passkey.ts -> verifyPasskeyAssertion). The session it makes carries the
      // same fields as a password sign-in, and says it was a passkey. It starts no second-factor
      // challenge, whatever factors the account has: user verification is required, so the passkey
      // is already two factors (the device held, and the PIN or biometric that unlocked it).
      Credentials({
        id: "passkey",
        name: "Passkey",
        credentials: { response: {} },
        async authorize(raw, request) {
          const text = typeof raw?.response === "string" && raw.response.length <= 16_384 ? raw.response : null;
          const rp = relyingParty(request.headers);
          if (!text || !rp) throw new CredentialsSignin();
          let response: unknown;
          try {
            response = JSON.parse(text);
          } catch {
            throw new CredentialsSignin();
          }
          let result: Awaited<ReturnType<typeof signInWithPasskey>>;
          try {
            result = await signInWithPasskey(
              await getDb(),
              { response, challengeToken: cookieValue(request.headers.get("cookie"), PASSKEY_CHALLENGE_COOKIE), rp, clockOffsetMs: clockOffsetMs(request.headers) },
              contextFromHeaders(request.headers),
            );
          } catch (error) {
            if (!isDatabaseUnavailable(error)) throw error;
            log.error("auth.db_unavailable", errorFields(error));
            throw new SignInUnavailable();
          }
          if (result.ok) {
            const { id, email, name, role, sessionVersion } = result.user;
            return { id, email, name, role, sessionVersion, signInMethod: "passkey" as const };
          }
          if (result.reason === "suspended") throw new SignInSuspended();
          if (result.reason === "sso_only") throw new SignInPasswordOff();
          throw result.reason === "rate_limited" ? new SignInRateLimited() : new CredentialsSignin();
        },
      }),
      // The second step of a sign-in: the challenge's token from its httpOnly cookie (or, for a
      // session re-issued after a change the user just confirmed, a pre-verified token the server
      // passes itself) and a code, or a passkey's assertion (JSON) against the passkey challenge
      // this browser's `kspc_` cookie names, bound to the challenge's user. Posting here without a
      // live challenge makes no session.
      Credentials({
        id: "second-factor",
        name: "Second factor",
        credentials: { code: {}, renewal: {}, passkey: {} },
        async authorize(raw, request) {
          const renewal = typeof raw?.renewal === "string" && raw.renewal ? raw.renewal : undefined;
          const code = typeof raw?.code === "string" ? raw.code.slice(0, 64) : undefined;
          const token = renewal ?? (await readChallengeCookie());
          let passkey: { response: unknown; challengeToken: string | undefined; rp: ReturnType<typeof relyingParty> } | undefined;
          if (!renewal && typeof raw?.passkey === "string") {
            let response: unknown = null;
            try {
              response = raw.passkey.length <= 16_384 ? JSON.parse(raw.passkey) : null;
            } catch {
              // A malformed answer is a wrong answer: it counts like one (verifyPasskeyAssertion refuses it).
            }
            passkey = { response, challengeToken: cookieValue(request.headers.get("cookie"), PASSKEY_CHALLENGE_COOKIE), rp: relyingParty(request.headers) };
          }
          let outcome: Awaited<ReturnType<typeof finishSecondFactor>>;
          try {
            outcome = await finishSecondFactor(await getDb(), { token, code, renewal: !!renewal, passkey }, contextFromHeaders(request.headers), clockOffsetMs(request.headers));
          } catch (error) {
            if (!isDatabaseUnavailable(error)) throw error;
            log.error("auth.db_unavailable", errorFields(error));
            throw new SignInUnavailable();
          }
          if (!outcome.ok) {
            if (!renewal && (outcome.reason === "ended" || outcome.reason === "invalid")) await clearChallengeCookie();
            throw new SecondFactorRefused(outcome.reason);
          }
          if (!renewal) await clearChallengeCookie();
          const { id, email, name, role, sessionVersion } = outcome.user;
          return { id, email, name, role, sessionVersion };
        },
      }),
      ...oidcProvider(),
    ],
    callbacks: {
      // An SSO sign-in is accepted or refused here, after Auth.js validated the ID token. A refusal
      // sends the browser to the sign-in page with the reason (a code, mapped to words there).
      async signIn({ user, account, profile }) {
        if (account?.provider !== OIDC_PROVIDER_ID) return true;
        let result: Awaited<ReturnType<typeof acceptSsoSignIn>>;
        try {
          const requestHeaders = await headers();
          result = await acceptSsoSignIn(await getDb(), profile as Record<string, unknown> | undefined, contextFromHeaders(requestHeaders), clockOffsetMs(requestHeaders));
        } catch (error) {
          if (!isDatabaseUnavailable(error)) throw error;
          log.error("auth.db_unavailable", errorFields(error));
          return "/login?error=sso_unavailable";
        }
        if (!result.ok) return `/login?error=${result.reason}`;
        // An account with a second factor (an app or a passkey) is asked for it after single sign-on
        // too (the same challenge a password starts); no session until it is given.
        const db = await getDb();
        if (await hasSecondFactor(db, result.user.id)) {
          const requestHeaders = await headers();
          await setChallengeCookie(await startSecondFactor(db, result.user.id, { clockOffsetMs: clockOffsetMs(requestHeaders) }), requestHeaders);
          return "/login/verify";
        }
        // The session carries the Keysmith account, exactly as after a password (the jwt callback).
        Object.assign(user, { id: result.user.id, email: result.user.email, name: result.user.name, role: result.user.role, sessionVersion: result.user.sessionVersion, signInMethod: "sso" });
        acceptedSso.add(user);
        return true;
      },
      async jwt({ token, user, account, trigger, session }) {
        if (trigger === "update") {
          // Only a step-up proof this server signed for this very session moves its authentication
          // time (lib/auth/step-up-proof.ts); anything else a browser posts to the session endpoint
          // changes nothing.
          const now = Math.floor((await requestNow()).getTime() / 1000);
          const at = readStepUpProof((session as { stepUp?: unknown } | undefined)?.stepUp, String(token.uid ?? ""), typeof token.sv === "number" ? token.sv : -1, now);
          if (at !== null && at > (typeof token.aa === "number" ? token.aa : 0)) token.aa = at;
          return token;
        }
        if (account?.provider === OIDC_PROVIDER_ID && !(user && acceptedSso.has(user))) return null;
        if (user?.id) {
          token.uid = user.id;
          token.role = user.role ?? "member";
          token.sv = user.sessionVersion ?? 0;
          token.method = user.signInMethod ?? "password";
          // When the password was checked (seconds). Auth.js renews a JWT's expiry whenever the
          // session is read, so this, not the cookie's expiry, bounds a session's whole life.
          // By the request's clock, like the check in lib/session.ts (lib/clock.ts: the test clock).
          token.at = Math.floor((await requestNow()).getTime() / 1000);
          token.aa = token.at;
        }
        return token;
      },
      session({ session, token }) {
        session.user.id = String(token.uid ?? "");
        session.user.role = token.role === "admin" ? "admin" : "member";
        session.user.sessionVersion = typeof token.sv === "number" ? token.sv : -1;
        session.user.signedInAt = typeof token.at === "number" ? token.at : 0;
        session.user.authenticatedAt = typeof token.aa === "number" ? token.aa : 0;
        session.user.signInMethod = token.method === "passkey" || token.method === "sso" ? token.method : "password";
        return session;
      },
    },
  };
}

export const { handlers, auth, signIn, signOut, unstable_update: updateSession } = NextAuth(() => buildConfig());
