import { eq, sql } from "drizzle-orm";
import type { SignUpMode } from "@/lib/accounts/sign-up-policy";
import { mayHavePassword, ssoOnlyInEffect } from "@/lib/accounts/sso-policy";
import type { RequestContext } from "@/lib/audit-events";
import { AppError } from "@/lib/errors";
import type { Database } from "../client";
import { policyChangeRefusal, type MfaPolicy } from "@/lib/mfa/policy";
import { appSettings, users } from "../schema";
import { hasSecondFactorSql } from "./second-factor";
import { assertActiveAdmin } from "./admin-guard";
import { recordAudit } from "./audit";

export type SignUpSettings = { mode: SignUpMode; domains: string[] };
const DEFAULTS: SignUpSettings = { mode: "open", domains: [] };

type Tx = Parameters<Parameters<Database["transaction"]>[0]>[0];

/** Who may sign up, for a page to show (the sign-up itself reads it again in its transaction). */
export async function getSignUpSettings(db: Database): Promise<SignUpSettings> {
  const [row] = await db.select({ mode: appSettings.signUpMode, domains: appSettings.signUpDomains }).from(appSettings).where(eq(appSettings.id, 1));
  return row ?? DEFAULTS;
}

/**
 * The sign-up settings, read inside a sign-up's transaction and share-locked there: a change
 * (which updates the row) waits for the sign-up to commit, and a sign-up that starts during a
 * change waits for it and sees the new mode.
 */
export async function lockSignUpSettings(tx: Tx): Promise<SignUpSettings> {
  const [row] = await tx.select({ mode: appSettings.signUpMode, domains: appSettings.signUpDomains }).from(appSettings).where(eq(appSettings.id, 1)).for("share");
  return row ?? DEFAULTS;
}

/**
 * An admin changes who may sign up; the admin's role is read in the same transaction (demoted
 * since the page loaded: not found, as for a member), and the change is audited with the old and
 * new values.
 */
export async function setSignUpSettings(db: Database, adminId: string, next: SignUpSettings, context: RequestContext): Promise<SignUpSettings> {
  return db.transaction(async (tx) => {
    await assertActiveAdmin(tx, adminId);
    // The row exists from the migration; inserted here should anyone have deleted it.
    await tx.insert(appSettings).values({ id: 1 }).onConflictDoNothing();
    const [before] = await tx.select({ mode: appSettings.signUpMode, domains: appSettings.signUpDomains }).from(appSettings).where(eq(appSettings.id, 1)).for("update");
    await tx
      .update(appSettings)
      .set({ signUpMode: next.mode, signUpDomains: next.domains, updatedBy: adminId, updatedAt: sql`now()` })
      .where(eq(appSettings.id, 1));
    await recordAudit(tx, {
      actorId: adminId,
      action: "settings.sign_up_changed",
      targetType: "settings",
      targetId: null,
      metadata: { from: before!.mode, to: next.mode, domains: next.domains, previousDomains: before!.domains },
      context,
    });
    return next;
  });
}

/** Whether an admin made single sign-on the only way in (lib/accounts/sso-policy.ts ssoOnlyInEffect says whether it applies). */
export async function getSsoOnly(db: Database): Promise<boolean> {
  const [row] = await db.select({ ssoOnly: appSettings.ssoOnly }).from(appSettings).where(eq(appSettings.id, 1));
  return row?.ssoOnly ?? false;
}

/** Where single sign-on is configured: passed by the commands from the environment (lib/config.ts). */
export type PasswordPolicy = { oidcConfigured: boolean; breakGlassEmails: readonly string[] };

/**
 * Inside the transaction about to give an account a password: refused (`password_sign_in_off`)
 * while single sign-on is the only way in, unless the account is a break-glass admin. The setting
 * is share-locked, so turning SSO-only on waits for this transaction, and the next one sees it.
 */
export async function assertPasswordAllowed(tx: Tx, account: { email: string; role: "admin" | "member" }, policy: PasswordPolicy): Promise<void> {
  if (!policy.oidcConfigured) return;
  const [row] = await tx.select({ ssoOnly: appSettings.ssoOnly }).from(appSettings).where(eq(appSettings.id, 1)).for("share");
  const ssoOnly = ssoOnlyInEffect(row?.ssoOnly ?? false, policy.oidcConfigured);
  if (!mayHavePassword({ ssoOnly, email: account.email, role: account.role, breakGlassEmails: policy.breakGlassEmails })) throw new AppError("password_sign_in_off");
}

/**
 * An admin turns "single sign-on only" on or off; the admin's role is read in the same transaction
 * (demoted since the page loaded: not found), and the change is audited with the old and new values.
 */
export async function setSsoOnly(db: Database, adminId: string, on: boolean, context: RequestContext): Promise<boolean> {
  return db.transaction(async (tx) => {
    await assertActiveAdmin(tx, adminId);
    await tx.insert(appSettings).values({ id: 1 }).onConflictDoNothing();
    const [before] = await tx.select({ ssoOnly: appSettings.ssoOnly }).from(appSettings).where(eq(appSettings.id, 1)).for("update");
    await tx.update(appSettings).set({ ssoOnly: on, updatedBy: adminId, updatedAt: sql`now()` }).where(eq(appSettings.id, 1));
    await recordAudit(tx, { actorId: adminId, action: "settings.sso_only_changed", targetType: "settings", targetId: null, metadata: { from: before!.ssoOnly, to: on }, context });
    return on;
  });
}

/**
 * An admin sets who must use a second factor. Inside the transaction: the admin's role, and
 * whether they have a factor themselves (policyChangeRefusal: an admin without one cannot make it
 * required and lock themselves out); audited with the old and new values.
 */
export async function setMfaPolicy(db: Database, adminId: string, next: MfaPolicy, context: RequestContext): Promise<MfaPolicy> {
  return db.transaction(async (tx) => {
    const [admin] = await tx
      .select({ role: users.role, hasFactor: hasSecondFactorSql(sql`${users}.id`) })
      .from(users)
      .where(eq(users.id, adminId))
      .for("share");
    if (admin?.role !== "admin") throw new AppError("not_found");
    const refusal = policyChangeRefusal(next, { hasSecondFactor: !!admin.hasFactor });
    if (refusal) throw new AppError(refusal);
    await tx.insert(appSettings).values({ id: 1 }).onConflictDoNothing();
    const [before] = await tx.select({ policy: appSettings.mfaPolicy }).from(appSettings).where(eq(appSettings.id, 1)).for("update");
    await tx.update(appSettings).set({ mfaPolicy: next, updatedBy: adminId, updatedAt: sql`now()` }).where(eq(appSettings.id, 1));
    await recordAudit(tx, { actorId: adminId, action: "settings.mfa_policy_changed", targetType: "settings", targetId: null, metadata: { from: before!.policy, to: next }, context });
    return next;
  });
}
