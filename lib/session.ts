import "server-only";
import { notFound, redirect } from "next/navigation";
import { cache } from "react";
import { getDb, type Database } from "@/db";
import { membershipOf, type Membership } from "@/db/queries/teams";
import { findUserById, type SessionUserWithFactor } from "@/db/queries/users";
import { SESSION_MAX_AGE_SECONDS, auth } from "./auth/config";
import { mustSetUpSecondFactor } from "./mfa/policy";
import { requestNow } from "./request-clock";
import { isTeamSlug } from "./teams/slug";

/** Where a user the second-factor policy covers, who has none, is sent before anything else. */
export const SECOND_FACTOR_SETUP_PATH = "/settings/profile?setup=two-factor";

/**
 * The signed-in user, read fresh from the database on every call: a deleted or suspended account, a
 * changed role or a sign-out elsewhere (a new session version) takes effect on the next request,
 * whatever the session cookie still claims.
 */
export async function currentUser(): Promise<SessionUserWithFactor | null> {
  return (await currentSession())?.user ?? null;
}

/** currentUser, with when the session's holder last proved who they are (for step-up, lib/accounts/step-up.ts). */
export async function currentSession(): Promise<{ user: SessionUserWithFactor; authenticatedAt: Date } | null> {
  const session = await auth();
  const id = session?.user?.id;
  if (!id) return null;
  // An absolute lifetime: 12 hours after sign-in, however often the session was renewed since.
  const ageSeconds = (await requestNow()).getTime() / 1000 - session.user.signedInAt;
  if (!(ageSeconds < SESSION_MAX_AGE_SECONDS)) return null;
  const user = await findUserById(await getDb(), id);
  // Suspension and deletion also move the session version; checked here too, so no session of such
  // an account can ever open a page, whatever version it carries.
  if (!user || user.suspendedAt || user.deletedAt) return null;
  if (user.sessionVersion !== session.user.sessionVersion) return null;
  return { user, authenticatedAt: new Date(session.user.authenticatedAt * 1000) };
}

/** Whether the deployment's policy requires a second factor this user does not have yet. */
export function needsSecondFactorSetup(user: SessionUserWithFactor): boolean {
  return mustSetUpSecondFactor(user.mfaPolicy, user);
}

/**
 * For pages: the user, or a redirect to the login page. A user the second-factor policy covers who
 * has none is sent to set it up first, from every page but that one (`allowSecondFactorSetup`).
 */
export async function requireUser(options: { allowSecondFactorSetup?: boolean } = {}): Promise<SessionUserWithFactor> {
  const user = await currentUser();
  if (!user) redirect("/login");
  if (!options.allowSecondFactorSetup && needsSecondFactorSetup(user)) redirect(SECOND_FACTOR_SETUP_PATH);
  return user;
}

/**
 * For admin pages: the user if they are an admin (role read fresh from the database). Members and
 * visitors get the same 404 as a page that does not exist, so admin pages do not reveal themselves.
 */
export async function requireAdmin(): Promise<SessionUserWithFactor> {
  const user = await currentUser();
  if (!user || user.role !== "admin") notFound();
  if (needsSecondFactorSetup(user)) redirect(SECOND_FACTOR_SETUP_PATH);
  return user;
}

/**
 * For a team's pages (`/t/<slug>/…`): the signed-in user and their membership of the team at the
 * URL's slug. A malformed slug, an unknown or deleted team and a team the user is not in all get
 * the same 404, so a team's address reveals nothing. What a page shows protects nothing: each
 * action's command re-reads the role, locked, in its own transaction.
 */
export async function requireTeamMember(slug: string): Promise<{ user: SessionUserWithFactor; db: Database; membership: Membership }> {
  const user = await requireUser();
  const db = await getDb();
  const membership = isTeamSlug(slug) ? await membershipOnce(slug, user.id) : null;
  if (!membership) notFound();
  return { user, db, membership };
}

// The team layout and its page both need the membership: one read per request serves both.
const membershipOnce = cache(async (slug: string, userId: string) => membershipOf(await getDb(), slug, userId));
