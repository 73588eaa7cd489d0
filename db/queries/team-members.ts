import { and, asc, eq, isNull, sql } from "drizzle-orm";
import type { RequestContext } from "@/lib/audit-events";
import { AppError, isUniqueViolation } from "@/lib/errors";
import { canAdministerTeam, mayChangeMember, type TeamRole } from "@/lib/teams/roles";
import type { Database } from "../client";
import { apiKeys, teamMembers, teams, users } from "../schema";
import { recordAudit } from "./audit";
import { lockMembership, lockMembershipById, lockTeamOwners, teamIdBySlug, type Membership, type TeamRef } from "./teams";

// Teams and their members: every change in one transaction that first locks what it judges by
// (the team's owners when the change could take the last one away, then the actor's membership,
// then the member changed), asks lib/teams/roles.ts, changes the row and writes the audit row.
// A non-member, a removed member and an unknown or deleted team all read as team_not_found.

type Tx = Parameters<Parameters<Database["transaction"]>[0]>[0];

export type TeamMemberView = { userId: string; name: string; email: string; role: TeamRole; addedAt: Date };
type LockedMember = { userId: string; email: string; role: TeamRole };

const meta = (team: TeamRef) => ({ team: team.name, slug: team.slug });

/** The acting user's membership, or team_not_found. */
async function member(tx: Tx, slug: string, userId: string): Promise<Membership> {
  const m = await lockMembership(tx, slug, userId);
  if (!m) throw new AppError("team_not_found");
  return m;
}

/** The team's owners locked first (lockTeamOwners), then the actor's membership. */
async function ownersThenMember(tx: Tx, slug: string, userId: string): Promise<{ owners: string[]; membership: Membership }> {
  const teamId = await teamIdBySlug(tx, slug);
  if (!teamId) throw new AppError("team_not_found");
  const owners = await lockTeamOwners(tx, teamId);
  const membership = await lockMembershipById(tx, teamId, userId);
  if (!membership) throw new AppError("team_not_found");
  return { owners, membership };
}

/** Another member of the team, locked for update, or team_member_not_found. */
async function lockOtherMember(tx: Tx, teamId: string, actorId: string, userId: string): Promise<LockedMember> {
  if (userId === actorId) throw new AppError("own_team_membership");
  const [row] = await tx
    .select({ userId: teamMembers.userId, email: users.email, role: teamMembers.role })
    .from(teamMembers)
    .innerJoin(users, eq(users.id, teamMembers.userId))
    .where(and(eq(teamMembers.teamId, teamId), eq(teamMembers.userId, userId), isNull(users.deletedAt)))
    .for("update", { of: teamMembers });
  if (!row) throw new AppError("team_member_not_found");
  return row;
}

/** Whether taking `userId` out of the owners leaves none. */
function assertKeepsAnOwner(owners: string[], userId: string) {
  if (owners.includes(userId) && owners.length <= 1) throw new AppError("last_team_owner");
}

/** A new team; its creator (an active account, re-read here) becomes its owner. */
export async function insertTeam(db: Database, userId: string, input: { name: string; slug: string }, context: RequestContext): Promise<TeamRef> {
  try {
    return await db.transaction(async (tx) => {
      const [creator] = await tx
        .select({ id: users.id })
        .from(users)
        .where(and(eq(users.id, userId), isNull(users.suspendedAt), isNull(users.deletedAt)))
        .for("share");
      if (!creator) throw new AppError("session_expired");
      const [team] = await tx.insert(teams).values({ name: input.name, slug: input.slug, createdBy: userId }).returning({ id: teams.id, slug: teams.slug, name: teams.name });
      await tx.insert(teamMembers).values({ teamId: team!.id, userId, role: "owner", addedBy: userId });
      await recordAudit(tx, { actorId: userId, action: "team.created", targetType: "team", targetId: team!.id, metadata: meta(team!), context });
      return team!;
    });
  } catch (error) {
    if (isUniqueViolation(error, "teams_slug_key")) throw new AppError("team_slug_taken", { fieldErrors: { slug: "Another team already has this address. Choose another one." } });
    throw error;
  }
}

/** Renames the team (admins and owners). The slug stays: links keep working. */
export async function renameTeamRow(db: Database, userId: string, slug: string, name: string, context: RequestContext): Promise<TeamRef> {
  return db.transaction(async (tx) => {
    const { team, role } = await member(tx, slug, userId);
    if (!canAdministerTeam(role)) throw new AppError("team_role_not_allowed");
    if (team.name === name) return team;
    await tx.update(teams).set({ name, updatedAt: sql`now()` }).where(and(eq(teams.id, team.id), isNull(teams.deletedAt)));
    await recordAudit(tx, { actorId: userId, action: "team.renamed", targetType: "team", targetId: team.id, metadata: { slug: team.slug, from: team.name, to: name }, context });
    return { ...team, name };
  });
}

/**
 * Adds an existing, active account by its email with a role the actor may give (mayChangeMember:
 * an admin adds admins, developers and viewers; an owner adds owners too). No account → a refusal
 * that says they must sign up or be invited to the instance first (no team invitations yet).
 */
export async function insertTeamMember(db: Database, userId: string, slug: string, input: { email: string; role: TeamRole }, context: RequestContext) {
  return db.transaction(async (tx) => {
    const { team, role } = await member(tx, slug, userId);
    if (!mayChangeMember(role, input.role, input.role)) throw new AppError("team_role_not_allowed");
    const [account] = await tx
      .select({ id: users.id, email: users.email })
      .from(users)
      .where(and(eq(users.email, input.email), isNull(users.suspendedAt), isNull(users.deletedAt)))
      .for("share");
    if (!account) throw new AppError("team_member_no_account", { fieldErrors: { email: "Nobody has an account with this address here: they must sign up, or be invited by an instance administrator, first." } });
    const added = await tx
      .insert(teamMembers)
      .values({ teamId: team.id, userId: account.id, role: input.role, addedBy: userId })
      .onConflictDoNothing()
      .returning({ userId: teamMembers.userId });
    if (added.length === 0) throw new AppError("team_member_exists", { fieldErrors: { email: "This person is already a member of the team." } });
    await recordAudit(tx, { actorId: userId, action: "team.member_added", targetType: "team", targetId: team.id, metadata: { ...meta(team), userId: account.id, email: account.email, role: input.role }, context });
    return { userId: account.id, email: account.email, role: input.role };
  });
}

/** Gives another member a new role (mayChangeMember); the last owner cannot be demoted. */
export async function setTeamMemberRole(db: Database, userId: string, slug: string, targetId: string, next: TeamRole, context: RequestContext) {
  return db.transaction(async (tx) => {
    const { owners, membership } = await ownersThenMember(tx, slug, userId);
    const target = await lockOtherMember(tx, membership.team.id, userId, targetId);
    if (!mayChangeMember(membership.role, target.role, next)) throw new AppError("team_role_not_allowed");
    if (target.role === next) return target;
    if (next !== "owner") assertKeepsAnOwner(owners, target.userId);
    await tx
      .update(teamMembers)
      .set({ role: next, updatedAt: sql`now()` })
      .where(and(eq(teamMembers.teamId, membership.team.id), eq(teamMembers.userId, target.userId)));
    await recordAudit(tx, {
      actorId: userId,
      action: "team.member_role_changed",
      targetType: "team",
      targetId: membership.team.id,
      metadata: { ...meta(membership.team), userId: target.userId, email: target.email, from: target.role, to: next },
      context,
    });
    return { ...target, role: next };
  });
}

/** Removes another member (mayChangeMember with no next role); never the last owner. */
export async function deleteTeamMember(db: Database, userId: string, slug: string, targetId: string, context: RequestContext) {
  return db.transaction(async (tx) => {
    const { owners, membership } = await ownersThenMember(tx, slug, userId);
    const target = await lockOtherMember(tx, membership.team.id, userId, targetId);
    if (!mayChangeMember(membership.role, target.role, null)) throw new AppError("team_role_not_allowed");
    assertKeepsAnOwner(owners, target.userId);
    await tx.delete(teamMembers).where(and(eq(teamMembers.teamId, membership.team.id), eq(teamMembers.userId, target.userId)));
    await recordAudit(tx, {
      actorId: userId,
      action: "team.member_removed",
      targetType: "team",
      targetId: membership.team.id,
      metadata: { ...meta(membership.team), userId: target.userId, email: target.email, role: target.role },
      context,
    });
    return target;
  });
}

/** The actor leaves the team (any member); the last owner hands over ownership first. */
export async function deleteOwnMembership(db: Database, userId: string, slug: string, context: RequestContext): Promise<TeamRef> {
  return db.transaction(async (tx) => {
    const { owners, membership } = await ownersThenMember(tx, slug, userId);
    assertKeepsAnOwner(owners, userId);
    await tx.delete(teamMembers).where(and(eq(teamMembers.teamId, membership.team.id), eq(teamMembers.userId, userId)));
    await recordAudit(tx, { actorId: userId, action: "team.member_left", targetType: "team", targetId: membership.team.id, metadata: { ...meta(membership.team), role: membership.role }, context });
    return membership.team;
  });
}

/** An owner makes another member an owner and, with `stepDown`, becomes an admin in the same change. */
export async function handOverOwnership(db: Database, userId: string, slug: string, targetId: string, stepDown: boolean, context: RequestContext) {
  return db.transaction(async (tx) => {
    const { owners, membership } = await ownersThenMember(tx, slug, userId);
    if (membership.role !== "owner") throw new AppError("team_role_not_allowed");
    const target = await lockOtherMember(tx, membership.team.id, userId, targetId);
    const where = (id: string) => and(eq(teamMembers.teamId, membership.team.id), eq(teamMembers.userId, id));
    if (target.role !== "owner") await tx.update(teamMembers).set({ role: "owner", updatedAt: sql`now()` }).where(where(target.userId));
    if (stepDown) {
      // The target is an owner now, so the team keeps one whatever `owners` held.
      assertKeepsAnOwner([...new Set([...owners, target.userId])], userId);
      await tx.update(teamMembers).set({ role: "admin", updatedAt: sql`now()` }).where(where(userId));
    }
    await recordAudit(tx, {
      actorId: userId,
      action: "team.ownership_transferred",
      targetType: "team",
      targetId: membership.team.id,
      metadata: { ...meta(membership.team), userId: target.userId, email: target.email, from: target.role, steppedDown: stepDown },
      context,
    });
    return { ...target, role: "owner" as const };
  });
}

/**
 * Deletes the team (owners, typing its slug). The row stays, marked deleted, for its audit trail;
 * its slug is free again and every page and command about it answers team_not_found.
 */
export async function softDeleteTeam(db: Database, userId: string, slug: string, confirmSlug: string, context: RequestContext): Promise<TeamRef> {
  return db.transaction(async (tx) => {
    const { team, role } = await member(tx, slug, userId);
    if (role !== "owner") throw new AppError("team_role_not_allowed");
    if (confirmSlug !== team.slug) throw new AppError("team_slug_mismatch", { fieldErrors: { confirmSlug: `Type ${team.slug} to confirm.` } });
    // Its keys are revoked in the same transaction, like a deleted account's: the lookup refuses a
    // deleted team's keys anyway, but every list and export must say so too.
    const revoked = await tx
      .update(apiKeys)
      .set({ revokedAt: sql`now()`, revokedReason: "team deleted", updatedAt: sql`now()` })
      .where(and(eq(apiKeys.teamId, team.id), isNull(apiKeys.revokedAt)))
      .returning({ id: apiKeys.id });
    await tx.update(teams).set({ deletedAt: sql`now()`, updatedAt: sql`now()` }).where(and(eq(teams.id, team.id), isNull(teams.deletedAt)));
    await recordAudit(tx, { actorId: userId, action: "team.deleted", targetType: "team", targetId: team.id, metadata: { ...meta(team), keysRevoked: revoked.length }, context });
    return team;
  });
}

/** The members page: owners first, then admins, developers, viewers; by name within a role. */
export async function listTeamMembers(db: Database, teamId: string): Promise<TeamMemberView[]> {
  return db
    .select({ userId: teamMembers.userId, name: users.name, email: users.email, role: teamMembers.role, addedAt: teamMembers.createdAt })
    .from(teamMembers)
    .innerJoin(users, eq(users.id, teamMembers.userId))
    .where(and(eq(teamMembers.teamId, teamId), isNull(users.deletedAt)))
    .orderBy(sql`case ${teamMembers.role} when 'owner' then 0 when 'admin' then 1 when 'developer' then 2 else 3 end`, asc(users.name), asc(users.email));
}

/** Who takes over a team whose last owner goes: admins first, then developers, then viewers. */
const SUCCESSION = sql`case ${teamMembers.role} when 'admin' then 0 when 'developer' then 1 else 2 end`;

/**
 * When an account is deleted (deleteUser in db/queries/admin-users.ts, inside its transaction and
 * before the row is marked deleted): every live team it is the last owner of passes to the
 * longest-standing active member of the highest remaining role (admin, then developer, then
 * viewer), so a team is never left without someone who can manage its keys and members. Owners
 * are locked first, as in every change that could take the last one away. A team with nobody
 * else in it keeps no owner; its keys keep working and stay in the instance admins' list.
 */
export async function handOverTeamsOf(tx: Tx, userId: string, actorId: string, reason: string, context: RequestContext): Promise<{ team: TeamRef; to: string }[]> {
  const owned = await tx
    .select({ id: teams.id, slug: teams.slug, name: teams.name })
    .from(teamMembers)
    .innerJoin(teams, eq(teams.id, teamMembers.teamId))
    .where(and(eq(teamMembers.userId, userId), eq(teamMembers.role, "owner"), isNull(teams.deletedAt)))
    .orderBy(asc(teams.id));
  const handedOver: { team: TeamRef; to: string }[] = [];
  for (const team of owned) {
    const owners = await lockTeamOwners(tx, team.id);
    if (owners.some((id) => id !== userId)) continue;
    const [successor] = await tx
      .select({ userId: teamMembers.userId, email: users.email, role: teamMembers.role })
      .from(teamMembers)
      .innerJoin(users, eq(users.id, teamMembers.userId))
      .where(and(eq(teamMembers.teamId, team.id), sql`${teamMembers.userId} <> ${userId}`, isNull(users.deletedAt), isNull(users.suspendedAt)))
      .orderBy(SUCCESSION, asc(teamMembers.createdAt), asc(teamMembers.userId))
      .limit(1)
      .for("update", { of: teamMembers });
    if (!successor) continue;
    await tx
      .update(teamMembers)
      .set({ role: "owner", updatedAt: sql`now()` })
      .where(and(eq(teamMembers.teamId, team.id), eq(teamMembers.userId, successor.userId)));
    await recordAudit(tx, {
      actorId,
      action: "team.ownership_transferred",
      targetType: "team",
      targetId: team.id,
      metadata: { ...meta(team), userId: successor.userId, email: successor.email, from: successor.role, steppedDown: false, reason },
      context,
    });
    handedOver.push({ team, to: successor.email });
  }
  return handedOver;
}
