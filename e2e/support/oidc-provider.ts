// A real OpenID Connect provider on loopback for the single sign-on specs (panva's oidc-provider,
// the certified implementation): discovery, authorization with PKCE, the code exchange and signed
// ID tokens, exactly as an IdP in production. Its development login form takes any login as the
// subject; the claims each subject gets (email, email_verified, name) are set by the test.
import http from "node:http";
import type { AddressInfo } from "node:net";
import Provider from "oidc-provider";

export type IdpAccount = { email?: string; email_verified?: boolean; name?: string };

export type TestIdp = {
  /** The issuer (http://127.0.0.1:<port>): another host than the app's localhost, so the two keep separate cookies. */
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The claims a subject (the login typed on the form) gets; change them between sign-ins. */
  accounts: Map<string, IdpAccount>;
  /** Where the provider last sent a browser back to the app (the code and state in it). */
  lastRedirect: string | null;
  /** Every authorization code it handed out (for the secret-hygiene check). */
  codes: string[];
  /** A test's tampering with the answer the provider sends the browser back with (a network attacker's). */
  tamper: ((answer: URL) => URL) | null;
  /** Sends authorization requests on to another provider, unchanged (the browser ends up there: a mix-up). */
  forwardAuthorizationTo: string | null;
  stop: () => Promise<void>;
};

/** Starts a provider with one confidential client whose redirect URI is `redirectUri`. */
export async function startIdp(redirectUri: string, options: { clientId?: string; clientSecret?: string } = {}): Promise<TestIdp> {
  const accounts = new Map<string, IdpAccount>();
  const clientId = options.clientId ?? "keysmith";
  const clientSecret = options.clientSecret ?? `idp-secret-${crypto.randomUUID()}`;
  // Listen first: the issuer names the port.
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const provider = new Provider(issuer, {
    clients: [{ client_id: clientId, client_secret: clientSecret, redirect_uris: [redirectUri], response_types: ["code"], grant_types: ["authorization_code"] }],
    // The email and profile claims go in the ID token (Auth.js reads the profile from it).
    conformIdTokenClaims: false,
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
    features: { devInteractions: { enabled: true } },
    cookies: { keys: [crypto.randomUUID()] },
    async findAccount(_ctx, sub) {
      return {
        accountId: sub,
        async claims() {
          const account = accounts.get(sub) ?? {};
          const claims: Record<string, unknown> = { sub };
          if (account.email !== undefined) claims.email = account.email;
          if (account.email_verified !== undefined) claims.email_verified = account.email_verified;
          if (account.name !== undefined) claims.name = account.name;
          return claims as { sub: string };
        },
      };
    },
  });
  const idp: Pick<TestIdp, "lastRedirect" | "codes" | "tamper" | "forwardAuthorizationTo"> = { lastRedirect: null, codes: [], tamper: null, forwardAuthorizationTo: null };
  provider.use(async (ctx, next) => {
    if (idp.forwardAuthorizationTo && ctx.method === "GET" && ctx.path === "/auth") {
      ctx.status = 302;
      ctx.redirect(`${idp.forwardAuthorizationTo}${ctx.path}${ctx.search}`);
      return;
    }
    await next();
    const location = ctx.response.get("location");
    if (location && location.startsWith(`${redirectUri}?`)) {
      const answer = idp.tamper ? idp.tamper(new URL(location)).toString() : location;
      idp.lastRedirect = answer;
      const code = new URL(answer).searchParams.get("code");
      if (code) idp.codes.push(code);
      ctx.redirect(answer);
    }
  });
  // Development warnings (dev interactions, generated keys) are expected here.
  provider.on("server_error", (_ctx, error) => console.error("[idp] server_error", error));
  server.on("request", provider.callback());
  return Object.assign(idp, {
    issuer,
    clientId,
    clientSecret,
    accounts,
    stop: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  });
}
