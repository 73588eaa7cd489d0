import NextAuth, { CredentialsSignin, type NextAuthConfig } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { getDb } from "@/db";
import { recordSignIn, recordSignInFailure } from "@/db/queries/audit";
import { findUserByEmail } from "@/db/queries/users";
import { dummyPasswordHash, verifyPassword } from "@/lib/password";
import { contextFromHeaders } from "@/lib/request-context";
import { getSecrets } from "@/lib/secrets";
import { signInSchema } from "@/lib/validation/auth.schema";

declare module "next-auth" {
  interface User {
    role?: "admin" | "member";
  }
  interface Session {
    user: { id: string; role: "admin" | "member"; name: string; email: string };
  }
}

export const SESSION_MAX_AGE_SECONDS = 12 * 60 * 60;

// The config is built per request (not at import) so `next build` never needs the secrets and a
// production start without them fails on first use with a clear ConfigError.
function buildConfig(): NextAuthConfig {
  return {
    secret: getSecrets().authSecret,
    trustHost: true,
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
    pages: { signIn: "/login" },
    providers: [
      Credentials({
        credentials: { email: {}, password: {} },
        async authorize(raw, request) {
          const parsed = signInSchema.safeParse(raw);
          if (!parsed.success) throw new CredentialsSignin();
          const db = await getDb();
          const user = await findUserByEmail(db, parsed.data.email);
          // Unknown email: verify against a dummy hash anyway so both failures take as long.
          const ok = await verifyPassword(user?.passwordHash ?? (await dummyPasswordHash()), parsed.data.password);
          const context = contextFromHeaders(request.headers);
          if (!user || !ok) {
            await recordSignInFailure(db, { email: parsed.data.email, userId: user?.id ?? null }, context);
            throw new CredentialsSignin();
          }
          await recordSignIn(db, user.id, context);
          return { id: user.id, email: user.email, name: user.name, role: user.role };
        },
      }),
    ],
    callbacks: {
      jwt({ token, user }) {
        if (user?.id) {
          token.uid = user.id;
          token.role = user.role ?? "member";
        }
        return token;
      },
      session({ session, token }) {
        session.user.id = String(token.uid ?? "");
        session.user.role = token.role === "admin" ? "admin" : "member";
        return session;
      },
    },
  };
}

export const { handlers, auth, signIn, signOut } = NextAuth(() => buildConfig());
