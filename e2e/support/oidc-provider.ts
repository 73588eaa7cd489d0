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
  // Development warnings (dev interactions, generated keys) are expected here.
  provider.on("server_error", (_ctx, error) => console.error("[idp] server_error", error));
  server.on("request", provider.callback());
  return {
    issuer,
    clientId,
    clientSecret,
    accounts,
    stop: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
