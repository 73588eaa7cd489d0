"use server";

// Server actions every dashboard page can need: confirming who you are before a sensitive change
// (step-up), with the password (lib/commands/accounts.ts confirmIdentity) or at the single sign-on
// provider.
import { STEP_UP_MINUTES } from "@/lib/accounts/step-up";
import { parseInput, withUser } from "@/lib/action";
import type { ActionState } from "@/lib/action-state";
import { OIDC_PROVIDER_ID, signIn, updateSession } from "@/lib/auth/config";
import { confirmIdentity } from "@/lib/commands/accounts";
import { config } from "@/lib/config";
import { AppError } from "@/lib/errors";
import { sameSitePath } from "@/lib/url-filters";
import { confirmIdentitySchema } from "@/lib/validation/account.schema";

/**
 * Checks the signed-in user's password and, if right, marks this session as freshly authenticated:
 * the proof goes from the command straight into the session update (it never reaches the browser).
 * Only this browser's session is refreshed; other sessions of the account still have to confirm.
 */
export async function confirmIdentityAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  const password = form.get("password");
  return withUser("confirmIdentity", async ({ db, actor, user }) => {
    const input = parseInput(confirmIdentitySchema, { password: typeof password === "string" ? password : undefined });
    const { proof } = await confirmIdentity(db, actor, input, user.sessionVersion);
    await updateSession({ stepUp: proof } as Parameters<typeof updateSession>[0]);
    return { ok: true, message: `Confirmed: you will not be asked again for ${STEP_UP_MINUTES} minutes.` };
  });
}

/** What "Confirm it's you" may offer besides the password: the single sign-on provider, when there is one. */
export async function stepUpOptionsAction(): Promise<ActionState<{ sso: string | null }>> {
  return withUser("stepUpOptions", async () => ({ ok: true, data: { sso: config.oidc?.name ?? null } }));
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
