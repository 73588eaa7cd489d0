import { randomUUID } from "node:crypto";
import type { Database } from "@/db/client";
import { createUser } from "@/db/queries/users";
import type { RequestContext } from "@/lib/audit-events";
import { AppError, type ErrorCode } from "@/lib/errors";

export const PEPPER = "test-pepper-0123456789abcdefghijklmnopqrstuvwxyz";
export const CONTEXT: RequestContext = { ip: "203.0.113.7", userAgent: "vitest" };

export async function makeUser(db: Database, overrides: { email?: string; adminEmails?: string[] } = {}) {
  return createUser(
    db,
    {
      email: overrides.email ?? `user-${randomUUID()}@example.test`,
      name: "Test User",
      // Not a real argon2 hash: the data layer stores whatever it is given.
      passwordHash: "$argon2id$v=19$m=19456,t=2,p=1$dGVzdA$dGVzdA",
      adminEmails: overrides.adminEmails ?? [],
    },
    CONTEXT,
  );
}

/**
 * A team with these members, inserted directly (test setup only: creating teams and adding members
 * are commands of their own, lib/commands/teams.ts).
 */
export async function makeTeam(
  db: Database,
  members: { userId: string; role: "owner" | "admin" | "developer" | "viewer" }[],
  overrides: { slug?: string; name?: string } = {},
) {
  const { teams, teamMembers } = await import("@/db/schema");
  const slug = overrides.slug ?? `team-${randomUUID().slice(0, 8)}`;
  const [team] = await db.insert(teams).values({ slug, name: overrides.name ?? `Team ${slug}`, createdBy: members[0]?.userId ?? null }).returning();
  if (members.length > 0) await db.insert(teamMembers).values(members.map((m) => ({ teamId: team!.id, userId: m.userId, role: m.role })));
  return team!;
}

/** The AppError a command refused with (a test fails if it succeeded or threw anything else). */
export async function refusedWith(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof AppError)) throw new Error(`expected an AppError, got ${String(error)}`);
  return error;
}

/** The code a command refused with. */
export async function refusal(promise: Promise<unknown>): Promise<ErrorCode> {
  return (await refusedWith(promise)).code;
}
