"use server";

import { revalidatePath } from "next/cache";
import { endSessions } from "@/db/queries/users";
import { headers } from "next/headers";
import { parseInput, withAdmin } from "@/lib/action";
import { revokeKeysAsAdmin, revokeMatchingAsAdmin } from "@/lib/commands/admin-keys";
import { createResetLink } from "@/lib/commands/recovery";
import { requestOrigin } from "@/lib/request-context";
import type { ActionState } from "@/lib/action-state";
import { changeUserRole, deleteAccount, reinstateAccount, suspendAccount } from "@/lib/commands/accounts";
import { policy } from "@/lib/policy";
import { endSessionsInput, resetLinkInput, revokeKeysInput, revokeMatchingFilters, revokeMatchingInput, roleInput } from "@/lib/validation/admin.schema";
import { userTargetInput } from "@/lib/validation/account.schema";
import { createInvitation, revokeInvitation } from "@/lib/commands/invitations";
import { changeMfaPolicy, changeSignUpSettings, changeSsoOnly } from "@/lib/commands/settings";
import { ssoOnlySchema } from "@/lib/validation/sso.schema";
import { adminResetSecondFactor } from "@/lib/commands/second-factor";
import { mfaPolicySchema } from "@/lib/validation/second-factor.schema";
import { invitationSchema, revokeInvitationInput, signUpSettingsSchema } from "@/lib/validation/invitation.schema";

const field = (form: FormData, name: string) => (typeof form.get(name) === "string" ? (form.get(name) as string) : undefined);

/** Revokes any users' keys with a reason the owners will see. Admins only (members: not found). */
export async function adminRevokeKeysAction(raw: unknown): Promise<ActionState<{ revoked: number }>> {
  return withAdmin("adminRevokeKeys", async ({ db, actor }) => {
    const input = parseInput(revokeKeysInput, raw);
    const revoked = await revokeKeysAsAdmin(db, actor, input.ids, input.reason);
    revalidatePath("/admin", "layout");
    return {
      ok: true,
      data: { revoked },
      message: revoked === 1 ? "1 key revoked. Its owner sees your reason." : `${revoked} keys revoked. Their owners see your reason.`,
    };
  });
}

/**
 * Revokes every usable key that matches the list's filters, once the admin has confirmed how many
 * (the count they saw): if the match changed since, nothing is revoked. Admins only.
 */
export async function adminRevokeMatchingAction(raw: unknown): Promise<ActionState<{ revoked: number }>> {
  return withAdmin("adminRevokeMatching", async ({ db, actor }) => {
    const input = parseInput(revokeMatchingInput, raw);
    const filters = revokeMatchingFilters(input.filters);
    const revoked = await revokeMatchingAsAdmin(db, actor, filters, policy.rotationPeriodDays, input.expected, input.reason);
    revalidatePath("/admin", "layout");
    return {
      ok: true,
      data: { revoked },
      message: revoked === 1 ? "1 key revoked. Its owner sees your reason." : `${revoked.toLocaleString("en-US")} keys revoked. Their owners see your reason.`,
    };
  });
}

/** Promotes or demotes a user; the last admin cannot be demoted. */
export async function setUserRoleAction(raw: unknown): Promise<ActionState> {
  return withAdmin("setUserRole", async ({ db, actor }) => {
    const input = parseInput(roleInput, raw);
    const updated = await changeUserRole(db, actor, input.userId, input.role);
    revalidatePath("/admin/users");
    return { ok: true, message: `${updated.email} is now ${input.role === "admin" ? "an admin" : "a member"}.` };
  });
}

/** Signs a user out of every browser at once (a lost laptop, a departing colleague). Their keys keep working. */
export async function endUserSessionsAction(raw: unknown): Promise<ActionState> {
  return withAdmin("endUserSessions", async ({ user, db, context }) => {
    const input = parseInput(endSessionsInput, raw);
    const { email } = await endSessions(db, input.userId, context, user.id);
    return { ok: true, message: `${email} is signed out everywhere. Their API keys are unaffected.` };
  });
}

/**
 * A one-time password reset link for a user, shown once to the admin (this response is the only
 * place its token ever appears); audited. For deployments without mail, or a user who cannot get it.
 */
export async function createResetLinkAction(raw: unknown): Promise<ActionState<{ link: string; expiresAt: string }>> {
  return withAdmin("createResetLink", async ({ db, actor }) => {
    const input = parseInput(resetLinkInput, raw);
    const made = await createResetLink(db, actor, input.userId, requestOrigin(await headers()));
    return { ok: true, data: { link: made.link, expiresAt: made.expiresAt.toISOString() } };
  });
}

/** Suspends a user: signed out everywhere and every key refused at once; nothing is deleted. Not yourself, never the last admin. */
export async function suspendUserAction(raw: unknown): Promise<ActionState> {
  return withAdmin("suspendUser", async ({ db, actor }) => {
    const input = parseInput(userTargetInput, raw);
    const { email } = await suspendAccount(db, actor, input.userId);
    revalidatePath("/admin", "layout");
    return { ok: true, message: `${email} is suspended: signed out everywhere, and their API keys are refused until you reinstate them.` };
  });
}

/** Lifts a suspension; the user's keys that are otherwise valid work again. */
export async function reinstateUserAction(raw: unknown): Promise<ActionState> {
  return withAdmin("reinstateUser", async ({ db, actor }) => {
    const input = parseInput(userTargetInput, raw);
    const { email } = await reinstateAccount(db, actor, input.userId);
    revalidatePath("/admin", "layout");
    return { ok: true, message: `${email} is reinstated. They can sign in again, and their valid API keys work again.` };
  });
}

/** Deletes a user: their keys are revoked and the account anonymised; the audit log keeps every event. */
export async function deleteUserAction(raw: unknown): Promise<ActionState> {
  return withAdmin("deleteUser", async ({ db, actor }) => {
    const input = parseInput(userTargetInput, raw);
    const { email, keysRevoked, teamsHandedOver } = await deleteAccount(db, actor, input.userId);
    revalidatePath("/admin", "layout");
    const keys = keysRevoked === 0 ? "They had no working keys." : keysRevoked === 1 ? "Their 1 working key is revoked." : `Their ${keysRevoked} working keys are revoked.`;
    const teams =
      teamsHandedOver === 0 ? "" : teamsHandedOver === 1 ? " The team they were the last owner of now has a new owner." : ` The ${teamsHandedOver} teams they were the last owner of now have new owners.`;
    return { ok: true, message: `${email} is deleted. ${keys}${teams} The audit log keeps their events.` };
  });
}

export type InvitationState = ActionState<{ email?: string; role?: string; invitationId?: string; mailed?: boolean; link?: string; expiresAt?: string }>;

/**
 * Invites an address with a role. Mailed when this deployment can mail; otherwise the link is in
 * this response, once (the only place its token ever appears), for the admin to pass on.
 */
export async function createInvitationAction(_prev: InvitationState, form: FormData): Promise<InvitationState> {
  const values = { email: field(form, "email") ?? "", role: field(form, "role") ?? "member" };
  const state = await withAdmin<InvitationState["data"]>("createInvitation", async ({ user, db, actor }) => {
    const input = parseInput(invitationSchema, values);
    const made = await createInvitation(db, { ...actor, email: user.email }, input, requestOrigin(await headers()));
    revalidatePath("/admin/users");
    return {
      ok: true,
      data: { email: made.email, role: made.role, invitationId: made.id, mailed: made.mailed, link: made.link, expiresAt: made.expiresAt.toISOString() },
      message: made.mailed ? `Invitation mailed to ${made.email}.` : `Invitation for ${made.email} created.`,
    };
  });
  return state.ok ? state : { ...state, data: values };
}

/** Revokes an open invitation: its link stops working at once. */
export async function revokeInvitationAction(raw: unknown): Promise<ActionState> {
  return withAdmin("revokeInvitation", async ({ db, actor }) => {
    const input = parseInput(revokeInvitationInput, raw);
    const { email } = await revokeInvitation(db, actor, input.invitationId);
    revalidatePath("/admin/users");
    return { ok: true, message: `The invitation of ${email} is revoked: its link no longer works.` };
  });
}

export type SignUpSettingsState = ActionState<{ mode?: string; domains?: string }>;

/** Sets who may sign up (Admin -> Settings); audited. */
export async function updateSignUpSettingsAction(_prev: SignUpSettingsState, form: FormData): Promise<SignUpSettingsState> {
  const values = { mode: field(form, "mode") ?? "", domains: field(form, "domains") ?? "" };
  const state = await withAdmin<SignUpSettingsState["data"]>("updateSignUpSettings", async ({ db, actor }) => {
    const input = parseInput(signUpSettingsSchema, values);
    const saved = await changeSignUpSettings(db, actor, input);
    revalidatePath("/admin/settings");
    revalidatePath("/signup");
    return { ok: true, message: "Saved. The sign-up page says what applies now.", data: { mode: saved.mode, domains: saved.domains.join("\n") } };
  });
  return state.ok ? state : { ...state, data: values };
}

export type SsoOnlyState = ActionState<{ ssoOnly?: boolean }>;

/** Makes single sign-on the only way in, or allows passwords again (Admin -> Settings); audited. */
export async function updateSsoOnlyAction(_prev: SsoOnlyState, form: FormData): Promise<SsoOnlyState> {
  return withAdmin<SsoOnlyState["data"]>("updateSsoOnly", async ({ db, actor }) => {
    const input = parseInput(ssoOnlySchema, { ssoOnly: field(form, "ssoOnly") });
    const saved = await changeSsoOnly(db, actor, input.ssoOnly);
    revalidatePath("/admin/settings");
    revalidatePath("/login");
    return {
      ok: true,
      message: saved ? "Saved. Single sign-on is now the only way in; passwords work for break-glass administrators only." : "Saved. People may sign in with a password again.",
      data: { ssoOnly: saved },
    };
  });
}

/** Resets a user's second factors (app, recovery codes, passkeys): audited, their sessions end. Admins only. */
export async function resetSecondFactorAction(raw: unknown): Promise<ActionState> {
  return withAdmin("resetSecondFactor", async ({ db, actor }) => {
    const input = parseInput(userTargetInput, raw);
    const { email, totp, passkeys } = await adminResetSecondFactor(db, actor, input.userId);
    revalidatePath("/admin/users");
    const removed = [totp ? "authenticator app" : null, passkeys > 0 ? (passkeys === 1 ? "passkey" : `${passkeys} passkeys`) : null].filter(Boolean).join(" and ");
    return { ok: true, message: `${email}'s two-factor authentication is reset (${removed} removed) and their sessions ended. They add a passkey or an app again after signing in.` };
  });
}

type MfaPolicyState = ActionState<{ policy?: string }>;

/** Who must use a second factor; refused to an admin who has none themselves. Admins only. */
export async function updateMfaPolicyAction(_prev: MfaPolicyState, form: FormData): Promise<MfaPolicyState> {
  const values = { policy: field(form, "policy") ?? "" };
  const state = await withAdmin<MfaPolicyState["data"]>("updateMfaPolicy", async ({ db, actor }) => {
    const input = parseInput(mfaPolicySchema, values);
    const saved = await changeMfaPolicy(db, actor, input.policy);
    revalidatePath("/", "layout");
    return { ok: true, message: "Saved. People it covers who have no second factor are asked to set one up before anything else.", data: { policy: saved } };
  });
  return state.ok ? state : { ...state, data: values };
}
