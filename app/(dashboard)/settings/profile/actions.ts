"use server";

// The Profile page's server actions: thin adapters over the account commands (lib/commands/accounts.ts).
import type { PublicKeyCredentialCreationOptionsJSON } from "@simplewebauthn/server";
import { revalidatePath } from "next/cache";
import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { getDb, type Database } from "@/db";
import { parseInput, withUser } from "@/lib/action";
import type { ActionState } from "@/lib/action-state";
import { signIn } from "@/lib/auth/config";
import { changeOwnPassword, updateProfile } from "@/lib/commands/accounts";
import { requestEmailChange } from "@/lib/commands/email-change";
import {
  PASSKEY_CHALLENGE_COOKIE,
  beginPasskeyRegistration,
  challengeCookie,
  finishPasskeyRegistration,
  relyingParty,
  removeOwnPasskey,
  renameOwnPasskey,
} from "@/lib/commands/passkeys";
import { confirmTotpSetup, renewRecoveryCodes, renewSessionChallenge, startTotpSetup, turnOffTotp, type TotpSetup } from "@/lib/commands/second-factor";
import { factorChangeSchema } from "@/lib/validation/second-factor.schema";
import { log } from "@/lib/log";
import { changeEmailSchema, changePasswordSchema, profileNameSchema } from "@/lib/validation/account.schema";
import { beginPasskeyRegistrationSchema, finishPasskeyRegistrationSchema, removePasskeySchema, renamePasskeySchema } from "@/lib/validation/passkey.schema";

const PAGE = "/settings/profile";

const field = (form: FormData, name: string) => {
  const value = form.get(name);
  return typeof value === "string" ? value : undefined;
};

/** Changes the signed-in user's display name (the same command as PATCH /api/v1/profile). */
export async function updateProfileAction(_prev: ActionState<{ name?: string }>, form: FormData): Promise<ActionState<{ name?: string }>> {
  const name = field(form, "name");
  const state = await withUser("updateProfile", async ({ db, actor }) => {
    const input = parseInput(profileNameSchema, { name });
    const user = await updateProfile(db, actor, input);
    revalidatePath("/", "layout");
    return { ok: true, message: `Your name is now “${user.name}”.`, data: { name: user.name } };
  });
  // What was typed comes back with an error, so the field keeps it.
  return state.ok ? state : { ...state, data: { name } };
}

/**
 * Changes the signed-in user's password: the current one is checked on the server, every session
 * ends (other browsers, copied cookies), and this browser is signed in again with the new password,
 * so it stays signed in. No password ever travels back in the state. On success the browser is sent
 * back to the page: a render inside this request would still read the old session cookie (Auth.js
 * reads the request's headers), while the redirect's request carries the new one.
 */
export async function changePasswordAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  let signInAgain: { email: string; password: string; userId: string; withFactor: boolean; clockOffsetMs: number } | undefined;
  const state = await withUser<undefined>("changePassword", async ({ db, actor, user, clockOffsetMs }) => {
    const input = parseInput(changePasswordSchema, {
      currentPassword: field(form, "currentPassword"),
      newPassword: field(form, "newPassword"),
      confirmPassword: field(form, "confirmPassword"),
    });
    const { email } = await changeOwnPassword(db, actor, input);
    signInAgain = { email, password: input.newPassword, userId: user.id, withFactor: user.hasSecondFactor, clockOffsetMs };
    return { ok: true };
  });
  if (!state.ok || !signInAgain) return state;
  // With a second factor, the password alone makes no session: this session, which passed both
  // factors, carries over through a pre-verified challenge instead.
  if (signInAgain.withFactor) {
    if (!(await reissueOwnSession(await getDb(), signInAgain.userId, signInAgain.clockOffsetMs))) {
      return { ok: true, message: "Your password is changed and every session is signed out. Sign in again with your new password." };
    }
    redirect(`${PAGE}?password=changed&at=${Date.now()}`);
  }
  try {
    // A new session at the new session version (the old cookie, and every copy of it, is dead).
    await signIn("credentials", { email: signInAgain.email, password: signInAgain.password, redirect: false });
  } catch (error) {
    // The password is changed either way; only this browser's new session could not be issued.
    log.warn("action.password_changed_sign_in_failed", { type: (error as { type?: string }).type ?? "error" });
    return { ok: true, message: "Your password is changed and every session is signed out. Sign in again with your new password." };
  }
  // `at` makes each success a new URL, so the form is drawn afresh (no earlier error left on it).
  redirect(`${PAGE}?password=changed&at=${Date.now()}`);
}

/**
 * Asks to move the account to a new address: the current password is checked, a link goes to the
 * new address and a notice to the old one. The email changes only when the link is opened.
 */
export async function requestEmailChangeAction(_prev: ActionState<{ newEmail?: string }>, form: FormData): Promise<ActionState<{ newEmail?: string }>> {
  const newEmail = field(form, "newEmail");
  const state = await withUser<{ newEmail?: string }>("requestEmailChange", async ({ db, actor }) => {
    const input = parseInput(changeEmailSchema, { newEmail, currentPassword: field(form, "currentPassword") });
    const { newEmail: to } = await requestEmailChange(db, actor, input);
    return { ok: true, message: `A confirmation link is on its way to ${to}. Your email changes when you open it (within a day).` };
  });
  // What was typed comes back with an error (never the password), so the field keeps it.
  return state.ok ? state : { ...state, data: { newEmail } };
}

/**
 * Signs this browser in again after a change of factor ended every session (the version moved on),
 * then sends it back to the page (see changePasswordAction for why a redirect).
 */
async function continueSession(again: { db: Database; userId: string; clockOffsetMs: number }, done: "added" | "removed"): Promise<ActionState> {
  // The change itself was proven with the current password: this browser carries on through the
  // same pre-verified renewal a second-factor change uses (it works with or without an app).
  if (!(await reissueOwnSession(again.db, again.userId, again.clockOffsetMs))) {
    return { ok: true, message: `The passkey is ${done} and every session is signed out. Sign in again.` };
  }
  redirect(`${PAGE}?passkey=${done}&at=${Date.now()}`);
}

/**
 * Adding a passkey, step one: the current password is checked, a challenge is bound to this user,
 * session and browser (its token goes into an httpOnly cookie, never into the page), and the
 * options for the browser's WebAuthn prompt come back.
 */
export async function beginPasskeyRegistrationAction(input: unknown): Promise<ActionState<{ options: PublicKeyCredentialCreationOptionsJSON }>> {
  return withUser(
    "beginPasskeyRegistration",
    async ({ db, actor }) => {
      const { currentPassword } = parseInput(beginPasskeyRegistrationSchema, input);
      const rp = relyingParty(await headers());
      const { token, options } = await beginPasskeyRegistration(db, actor, rp, { currentPassword });
      (await cookies()).set(PASSKEY_CHALLENGE_COOKIE, token, challengeCookie(rp!));
      return { ok: true, data: { options } };
    },
    // A passkey is a second factor: someone the policy sends to set one up may add one.
    { allowSecondFactorSetup: true },
  );
}

/**
 * Adding a passkey, step two: the authenticator's answer against the cookie's challenge. Every
 * other session ends; this browser is signed in again with the current password.
 */
export async function finishPasskeyRegistrationAction(input: unknown): Promise<ActionState> {
  let signInAgain: { db: Database; userId: string; clockOffsetMs: number } | undefined;
  const state = await withUser<undefined>(
    "finishPasskeyRegistration",
    async ({ db, actor }) => {
      const parsed = parseInput(finishPasskeyRegistrationSchema, input);
      const jar = await cookies();
      const token = jar.get(PASSKEY_CHALLENGE_COOKIE)?.value;
      jar.delete(PASSKEY_CHALLENGE_COOKIE);
      await finishPasskeyRegistration(db, actor, relyingParty(await headers()), { ...parsed, challengeToken: token });
      signInAgain = { db, userId: actor.userId, clockOffsetMs: actor.clockOffsetMs };
      return { ok: true };
    },
    { allowSecondFactorSetup: true },
  );
  if (!state.ok || !signInAgain) return state;
  return continueSession(signInAgain, "added");
}

/** Renames one of the user's passkeys (someone else's is "not found"). */
export async function renamePasskeyAction(passkeyId: string, _prev: ActionState<{ name?: string }>, form: FormData): Promise<ActionState<{ name?: string }>> {
  const name = field(form, "name");
  const state = await withUser<{ name?: string }>("renamePasskey", async ({ db, actor }) => {
    const input = parseInput(renamePasskeySchema, { passkeyId, name });
    const renamed = await renameOwnPasskey(db, actor, input);
    revalidatePath(PAGE);
    return { ok: true, message: `The passkey is now called “${renamed.name}”.`, data: { name: renamed.name } };
  });
  return state.ok ? state : { ...state, data: { name } };
}

/** Removes one of the user's passkeys, with the current password (not the last factor the policy requires); every other session ends. */
export async function removePasskeyAction(input: unknown): Promise<ActionState> {
  let signInAgain: { db: Database; userId: string; clockOffsetMs: number } | undefined;
  const state = await withUser<undefined>("removePasskey", async ({ db, actor }) => {
    const parsed = parseInput(removePasskeySchema, input);
    await removeOwnPasskey(db, actor, parsed);
    signInAgain = { db, userId: actor.userId, clockOffsetMs: actor.clockOffsetMs };
    return { ok: true };
  });
  if (!state.ok || !signInAgain) return state;
  return continueSession(signInAgain, "removed");
}

/**
 * Issues this browser a new session after a change that moved the session version and was proven
 * with the current password and a code (lib/commands/second-factor.ts renewSessionChallenge): every
 * other session has ended, this one carries on. The token never leaves the server.
 */
async function reissueOwnSession(db: Database, userId: string, clockOffsetMs: number): Promise<boolean> {
  try {
    await signIn("second-factor", { renewal: await renewSessionChallenge(db, userId, clockOffsetMs), redirect: false });
    return true;
  } catch (error) {
    log.warn("action.session_reissue_failed", { type: (error as { type?: string }).type ?? "error" });
    return false;
  }
}

const factorInput = (form: FormData) => parseInput(factorChangeSchema, { currentPassword: field(form, "currentPassword"), code: field(form, "code") });

/** Starts setting up an authenticator app: the seed, as a QR code and text, in this response only. */
export async function startTotpSetupAction(): Promise<ActionState<TotpSetup>> {
  return withUser<TotpSetup>("startTotpSetup", async ({ db, actor }) => ({ ok: true, data: await startTotpSetup(db, actor) }), { allowSecondFactorSetup: true });
}

type CodesState = ActionState<{ recoveryCodes: string[] }>;

/**
 * Turns the app on with a current code and the password; the recovery codes come back once. Every
 * session ends, this one too: a new session cookie set here would make Next.js redraw the page
 * within this request, under the old (now dead) cookie, and the redirect to sign-in would drop the
 * codes. So this answer carries the codes and no cookie; the user signs in again with the app.
 */
export async function confirmTotpSetupAction(_prev: CodesState, form: FormData): Promise<CodesState> {
  return withUser<{ recoveryCodes: string[] }>(
    "confirmTotpSetup",
    async ({ db, actor }) => {
      const { recoveryCodes } = await confirmTotpSetup(db, actor, factorInput(form));
      return { ok: true, message: "Two-factor authentication is on and every session is signed out. Save your recovery codes, then sign in again with a code from your app.", data: { recoveryCodes } };
    },
    { allowSecondFactorSetup: true },
  );
}

/** New recovery codes (password and code); the old ones stop working. Sessions stay: the app is unchanged. */
export async function regenerateRecoveryCodesAction(_prev: CodesState, form: FormData): Promise<CodesState> {
  return withUser<{ recoveryCodes: string[] }>("regenerateRecoveryCodes", async ({ db, actor }) => {
    const { recoveryCodes } = await renewRecoveryCodes(db, actor, factorInput(form));
    return { ok: true, message: "New recovery codes are ready; the old ones no longer work.", data: { recoveryCodes } };
  });
}

/** Turns the app off (password and code), unless the deployment's policy requires a factor and it is the last one. */
export async function disableTotpAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  let reissue: { userId: string; clockOffsetMs: number } | undefined;
  const state = await withUser<undefined>("disableTotp", async ({ db, actor, user, clockOffsetMs }) => {
    await turnOffTotp(db, actor, factorInput(form));
    reissue = { userId: user.id, clockOffsetMs };
    return { ok: true };
  });
  if (!state.ok || !reissue) return state;
  if (!(await reissueOwnSession(await getDb(), reissue.userId, reissue.clockOffsetMs))) {
    return { ok: true, message: "Two-factor authentication is off and every session is signed out. Sign in again with your password." };
  }
  redirect(`${PAGE}?two-factor=off&at=${Date.now()}`);
}
