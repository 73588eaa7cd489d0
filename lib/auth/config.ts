import NextAuth, { CredentialsSignin, type NextAuthConfig } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { getDb } from "@/db";
import { clearChallengeCookie, readChallengeCookie, setChallengeCookie } from "@/lib/auth/challenge-cookie";
import { checkCredentials } from "@/lib/auth/credentials";
import { clockOffsetMs } from "@/lib/clock";
import { finishSecondFactor, startSecondFactor } from "@/lib/commands/second-factor";
import { isDatabaseUnavailable } from "@/lib/errors";
import { errorFields, log } from "@/lib/log";
import { requestNow } from "@/lib/request-clock";
import { contextFromHeaders } from "@/lib/request-context";
import { getSecrets } from "@/lib/secrets";
import { signInSchema } from "@/lib/validation/auth.schema";

declare module "next-auth" {
  interface User {
    role?: "admin" | "member";
    sessionVersion?: number;
  }
  interface Session {
    user: { id: string; role: "admin" | "member"; name: string; email: string; sessionVersion: number; signedInAt: number };
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
    if (refused) log.info("auth.sign_in_refused", fields);
    else log.error("auth.error", { ...fields, ...(cause ? { cause: errorFields(cause) } : errorFields(error)) });
  },
  warn(code) {
    log.warn("auth.warning", { code });
  },
  debug() {},
};

export const SESSION_MAX_AGE_SECONDS = 12 * 60 * 60;

// The config is built per request (not at import) so `next build` never needs the secrets and a
// production start without them fails on first use with a clear ConfigError.
function buildConfig(): NextAuthConfig {
  return {
    secret: getSecrets().authSecret,
    trustHost: true,
    logger: authLogger,
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
    pages: { signIn: "/login" },
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
          throw result.reason === "rate_limited" ? new SignInRateLimited() : new CredentialsSignin();
        },
      }),
      // The second step of a sign-in: the challenge's token from its httpOnly cookie (or, for a
      // session re-issued after a change the user just confirmed, a pre-verified token the server
      // passes itself) and a code. Posting here without a live challenge makes no session.
      Credentials({
        id: "second-factor",
        name: "Second factor",
        credentials: { code: {}, renewal: {} },
        async authorize(raw, request) {
          const renewal = typeof raw?.renewal === "string" && raw.renewal ? raw.renewal : undefined;
          const code = typeof raw?.code === "string" ? raw.code.slice(0, 64) : undefined;
          const token = renewal ?? (await readChallengeCookie());
          let outcome: Awaited<ReturnType<typeof finishSecondFactor>>;
          try {
            outcome = await finishSecondFactor(await getDb(), { token, code, renewal: !!renewal }, contextFromHeaders(request.headers), clockOffsetMs(request.headers));
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
    ],
    callbacks: {
      async jwt({ token, user }) {
        if (user?.id) {
          token.uid = user.id;
          token.role = user.role ?? "member";
          token.sv = user.sessionVersion ?? 0;
          // When the password was checked (seconds). Auth.js renews a JWT's expiry whenever the
          // session is read, so this, not the cookie's expiry, bounds a session's whole life.
          // By the request's clock, like the check in lib/session.ts (lib/clock.ts: the test clock).
          token.at = Math.floor((await requestNow()).getTime() / 1000);
        }
        return token;
      },
      session({ session, token }) {
        session.user.id = String(token.uid ?? "");
        session.user.role = token.role === "admin" ? "admin" : "member";
        session.user.sessionVersion = typeof token.sv === "number" ? token.sv : -1;
        session.user.signedInAt = typeof token.at === "number" ? token.at : 0;
        return session;
      },
    },
  };
}

export const { handlers, auth, signIn, signOut } = NextAuth(() => buildConfig());
