import "server-only";
// The deployment's settings an admin changes in Admin -> Settings: today, who may sign up. The
// rule itself lives in lib/accounts/sign-up-policy.ts and is applied inside the sign-up
// transaction (db/queries/users.ts createUser); the admin's role is checked inside the
// transaction that changes the setting (db/queries/settings.ts).
import type { Database } from "@/db";
import { setMfaPolicy, setSignUpSettings, setSsoOnly, type SignUpSettings } from "@/db/queries/settings";
import { assertRecentAuthentication } from "../accounts/step-up";
import { config } from "../config";
import type { MfaPolicy } from "../mfa/policy";
import { AppError } from "../errors";
import type { Actor } from "./actor";

/** An admin sets the sign-up mode (and the domain list, kept whatever the mode), after a recent authentication. */
export async function changeSignUpSettings(db: Database, actor: Actor, next: SignUpSettings): Promise<SignUpSettings> {
  if (actor.key) throw new AppError("not_found");
  assertRecentAuthentication(actor);
  if (next.mode === "domains" && next.domains.length === 0) {
    throw new AppError("validation_failed", { fieldErrors: { domains: "List at least one domain, like example.com, for this mode." } });
  }
  return setSignUpSettings(db, actor.userId, next, actor.context);
}

/**
 * An admin makes single sign-on the only way in, or allows passwords again. It cannot be turned on
 * while OIDC is not configured (nobody but break-glass admins could sign in). Needs a recent
 * authentication (step-up), like every change of who may get in.
 */
export async function changeSsoOnly(db: Database, actor: Actor, on: boolean): Promise<boolean> {
  if (actor.key) throw new AppError("not_found");
  assertRecentAuthentication(actor);
  if (on && !config.oidc) throw new AppError("sso_not_configured");
  return setSsoOnly(db, actor.userId, on, actor.context);
}

/**
 * An admin sets who must use a second factor (lib/mfa/policy.ts); refused, inside the transaction,
 * to an admin without one (policyChangeRefusal), so nobody locks themselves out.
 */
export async function changeMfaPolicy(db: Database, actor: Actor, next: MfaPolicy): Promise<MfaPolicy> {
  if (actor.key) throw new AppError("not_found");
  assertRecentAuthentication(actor);
  return setMfaPolicy(db, actor.userId, next, actor.context);
}
