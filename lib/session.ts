import "server-only";
import { notFound, redirect } from "next/navigation";
import { getDb } from "@/db";
import { findUserById, type SessionUser } from "@/db/queries/users";
import { SESSION_MAX_AGE_SECONDS, auth } from "./auth/config";
import { requestNow } from "./request-clock";

/**
 * The signed-in user, read fresh from the database on every call: a deleted or suspended account, a
 * changed role or a sign-out elsewhere (a new session version) takes effect on the next request,
 * whatever the session cookie still claims.
 */
export async function currentUser(): Promise<SessionUser | null> {
  return (await currentSession())?.user ?? null;
}

/** currentUser, with when the session's holder last proved who they are (for step-up, lib/accounts/step-up.ts). */
export async function currentSession(): Promise<{ user: SessionUser; authenticatedAt: Date } | null> {
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

/** For pages: the user, or a redirect to the login page. */
export async function requireUser(): Promise<SessionUser> {
  const user = await currentUser();
  if (!user) redirect("/login");
  return user;
}

/**
 * For admin pages: the user if they are an admin (role read fresh from the database). Members and
 * visitors get the same 404 as a page that does not exist, so admin pages do not reveal themselves.
 */
export async function requireAdmin(): Promise<SessionUser> {
  const user = await currentUser();
  if (!user || user.role !== "admin") notFound();
  return user;
}
