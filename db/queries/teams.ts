import { and, asc, eq, isNull } from "drizzle-orm";
import type { TeamRole } from "@/lib/teams/roles";
import type { Database } from "../client";
import { teamMembers, teams, users } from "../schema";

type Tx = Parameters<Parameters<Database["transaction"]>[0]>[0];

export type TeamRef = { id: string; slug: string; name: string };
export type Membership = { team: TeamRef; role: TeamRole };

/**
 * The acting user's membership of the team at `slug`, read and share-locked in the transaction
 * that acts on it: a member removed or demoted since the page loaded is judged by what is true now,
 * and cannot be removed or demoted by someone else until this transaction ends. A deleted team, an
 * unknown slug, a non-member and a suspended or deleted account all read as null (callers answer
 * not found: a non-member learns nothing about a team).
 */
export async function lockMembership(tx: Tx, slug: string, userId: string): Promise<Membership | null> {
  const [row] = await tx
    .select({ id: teams.id, slug: teams.slug, name: teams.name, role: teamMembers.role })
    .from(teamMembers)
    .innerJoin(teams, eq(teams.id, teamMembers.teamId))
    .innerJoin(users, eq(users.id, teamMembers.userId))
    .where(and(eq(teams.slug, slug), isNull(teams.deletedAt), eq(teamMembers.userId, userId), isNull(users.suspendedAt), isNull(users.deletedAt)))
    .for("share", { of: teamMembers });
  return row ? { team: { id: row.id, slug: row.slug, name: row.name }, role: row.role } : null;
}

/** The same as lockMembership, by team id (the team key paths, which know the key's team). */
export async function lockMembershipById(tx: Tx, teamId: string, userId: string): Promise<Membership | null> {
  const [row] = await tx
    .select({ id: teams.id, slug: teams.slug, name: teams.name, role: teamMembers.role })
    .from(teamMembers)
    .innerJoin(teams, eq(teams.id, teamMembers.teamId))
    .innerJoin(users, eq(users.id, teamMembers.userId))
    .where(and(eq(teams.id, teamId), isNull(teams.deletedAt), eq(teamMembers.userId, userId), isNull(users.suspendedAt), isNull(users.deletedAt)))
    .for("share", { of: teamMembers });
  return row ? { team: { id: row.id, slug: row.slug, name: row.name }, role: row.role } : null;
}

/** A page's read of the same (no lock): the membership a page renders for. */
export async function membershipOf(db: Database, slug: string, userId: string): Promise<Membership | null> {
  const [row] = await db
    .select({ id: teams.id, slug: teams.slug, name: teams.name, role: teamMembers.role })
    .from(teamMembers)
    .innerJoin(teams, eq(teams.id, teamMembers.teamId))
    .where(and(eq(teams.slug, slug), isNull(teams.deletedAt), eq(teamMembers.userId, userId)));
  return row ? { team: { id: row.id, slug: row.slug, name: row.name }, role: row.role } : null;
}

/** The context switcher: every team the user belongs to, by name. */
export async function teamsOf(db: Database, userId: string): Promise<Membership[]> {
  const rows = await db
    .select({ id: teams.id, slug: teams.slug, name: teams.name, role: teamMembers.role })
    .from(teamMembers)
    .innerJoin(teams, eq(teams.id, teamMembers.teamId))
    .where(and(eq(teamMembers.userId, userId), isNull(teams.deletedAt)))
    .orderBy(asc(teams.name), asc(teams.slug));
  return rows.map((r) => ({ team: { id: r.id, slug: r.slug, name: r.name }, role: r.role }));
}

/**
 * A team key acting through the API, inside the transaction that changes a team key: the team row,
 * share-locked, if the team still exists (a deletion waits for the change, or the change sees it).
 */
export async function lockLiveTeam(tx: Tx, teamId: string): Promise<TeamRef | null> {
  const [row] = await tx
    .select({ id: teams.id, slug: teams.slug, name: teams.name })
    .from(teams)
    .where(and(eq(teams.id, teamId), isNull(teams.deletedAt)))
    .for("share");
  return row ?? null;
}

/**
 * The team's owners, locked for update, in one order (by user id) so that two changes to owners
 * queue instead of deadlocking. Every change that could take away the last owner (a demotion, a
 * removal, leaving, handing over ownership) calls this first, before the actor's own membership:
 * the second of two concurrent changes then reads the owners as the first left them (Postgres
 * re-checks `role = 'owner'` on the row it waited for). An owner whose account was deleted does
 * not count (nobody can act as them); a suspended owner does (they may be reinstated).
 */
export async function lockTeamOwners(tx: Tx, teamId: string): Promise<string[]> {
  const rows = await tx
    .select({ userId: teamMembers.userId })
    .from(teamMembers)
    .innerJoin(users, eq(users.id, teamMembers.userId))
    .where(and(eq(teamMembers.teamId, teamId), eq(teamMembers.role, "owner"), isNull(users.deletedAt)))
    .orderBy(asc(teamMembers.userId))
    .for("update", { of: teamMembers });
  return rows.map((r) => r.userId);
}

/** The live team at `slug` (no lock; the id a transaction locks owners by). */
export async function teamIdBySlug(tx: Tx, slug: string): Promise<string | null> {
  const [row] = await tx
    .select({ id: teams.id })
    .from(teams)
    .where(and(eq(teams.slug, slug), isNull(teams.deletedAt)));
  return row?.id ?? null;
}
