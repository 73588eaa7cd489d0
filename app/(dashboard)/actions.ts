"use server";

// Server actions every dashboard page can need: confirming who you are before a sensitive change
// (step-up), with a passkey, an authenticator code or the password (lib/commands/accounts.ts
// confirmIdentity), or at the single sign-on provider.
import type { PublicKeyCredentialRequestOptionsJSON } from "@simplewebauthn/server";
import { cookies, headers } from "next/headers";
import { STEP_UP_MINUTES } from "@/lib/accounts/step-up";
import { parseInput, withUser } from "@/lib/action";
import type { ActionState } from "@/lib/action-state";
import { OIDC_PROVIDER_ID, signIn, updateSession } from "@/lib/auth/config";
import { confirmIdentity, stepUpMethods } from "@/lib/commands/accounts";
import { PASSKEY_CHALLENGE_COOKIE, beginStepUpPasskey, challengeCookie, relyingParty } from "@/lib/commands/passkeys";
import { config } from "@/lib/config";
import { AppError } from "@/lib/errors";
import { sameSitePath } from "@/lib/url-filters";
import { confirmIdentitySchema } from "@/lib/validation/account.schema";

/**
 * Confirms who the signed-in user is (the password, a code from their authenticator app, or a
 * passkey's answer to beginStepUpPasskeyAction's challenge) and, if right, marks this session as
 * freshly authenticated: the proof goes from the command straight into the session update (it
 * never reaches the browser). Only this browser's session is refreshed; other sessions of the
 * account still have to confirm.
 */
export async function confirmIdentityAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  const field = (name: string) => {
    const value = form.get(name);
    return typeof value === "string" ? value : undefined;
  };
  const method = field("method") ?? "password";
  let passkeyAsked = false;
  try {
    return await withUser("confirmIdentity", async ({ db, actor, user }) => {
      const input = parseInput(confirmIdentitySchema, { method, password: field("password"), code: field("code"), response: field("response") });
      let extra = {};
      if (input.method === "passkey") {
        passkeyAsked = true;
        extra = { challengeToken: (await cookies()).get(PASSKEY_CHALLENGE_COOKIE)?.value, rp: relyingParty(await headers()) };
      }
      const { proof } = await confirmIdentity(db, actor, { ...input, ...extra }, user.sessionVersion);
      await updateSession({ stepUp: proof } as Parameters<typeof updateSession>[0]);
      return { ok: true, message: `Confirmed: you will not be asked again for ${STEP_UP_MINUTES} minutes.` };
    });
  } finally {
    // The challenge is spent either way: the cookie has nothing left to name.
    if (passkeyAsked) (await cookies()).delete(PASSKEY_CHALLENGE_COOKIE);
  }
}

/** What "Confirm it's you" may offer besides the password: a passkey, an authenticator code, the single sign-on provider. */
export async function stepUpOptionsAction(): Promise<ActionState<{ sso: string | null; passkey: boolean; totp: boolean }>> {
  return withUser("stepUpOptions", async ({ db, actor }) => {
    const methods = await stepUpMethods(db, actor);
    // A passkey is offered only where passkeys work (APP_URL set: lib/passkeys/rules.ts).
    const passkey = methods.passkey && relyingParty(await headers()) !== null;
    return { ok: true, data: { sso: config.oidc?.name ?? null, passkey, totp: methods.totp } };
  });
}

/**
 * Confirming with a passkey, step one: a challenge for the signed-in user's own passkeys, bound to
 * this browser (its token in an httpOnly cookie, never in the page); the options for the prompt.
 */
export async function beginStepUpPasskeyAction(): Promise<ActionState<{ options: PublicKeyCredentialRequestOptionsJSON }>> {
  return withUser("beginStepUpPasskey", async ({ db, actor }) => {
    const rp = relyingParty(await headers());
    const { token, options } = await beginStepUpPasskey(db, actor, rp);
    (await cookies()).set(PASSKEY_CHALLENGE_COOKIE, token, challengeCookie(rp!));
    return { ok: true, data: { options } };
  });
}

/**
 * Confirms who you are at the single sign-on provider instead (an account made by single sign-on
 * has no password anyone knows): the provider is asked to authenticate again (prompt=login,
 * max_age=0), and the fresh sign-in comes back to `returnTo`, a path on this site.
 */
export async function confirmIdentityWithSsoAction(returnTo: unknown): Promise<ActionState<{ url: string }>> {
  return withUser("confirmIdentityWithSso", async () => {
    if (!config.oidc) throw new AppError("sso_not_configured", { message: "Single sign-on is not set up here. Confirm with your password." });
    const path = sameSitePath(returnTo, "/settings/api-keys");
    // The provider's address comes back rather than a redirect: the change that asked is still in
    // flight on the page, and the page leaves for the provider itself (step-up-dialog.tsx).
    const url: unknown = await signIn(OIDC_PROVIDER_ID, { redirectTo: path, redirect: false }, { prompt: "login", max_age: "0" });
    if (typeof url !== "string") throw new AppError("service_unavailable");
    return { ok: true, data: { url } };
  });
}
