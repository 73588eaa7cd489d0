import "server-only";
import { notFound, redirect } from "next/navigation";
import { getDb } from "@/db";
import { findUserById, type SessionUser } from "@/db/queries/users";
import { auth } from "./auth/config";

/**
 * The signed-in user, read fresh from the database on every call: a deleted account or a changed
 * role takes effect on the next request, whatever the session cookie still claims.
 */
export async function currentUser(): Promise<SessionUser | null> {
  const session = await auth();
  const id = session?.user?.id;
  if (!id) return null;
  return (await findUserById(await getDb(), id)) ?? null;
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
