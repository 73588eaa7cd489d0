import { and, eq, isNull, sql } from "drizzle-orm";
import type { RequestContext } from "@/lib/audit-events";
import { AppError } from "@/lib/errors";
import { canAdministerTeam } from "@/lib/teams/roles";
import type { TeamPolicy } from "@/lib/teams/policy";
import type { Database } from "../client";
import { teams } from "../schema";
import { recordAudit } from "./audit";
import { lockMembership, type TeamRef } from "./teams";

// A team's key policy (the teams.policy_* columns; what it means: lib/teams/policy.ts). Read locked
// by every transaction that creates, edits, rotates or issues a team key, and changed by owners and
// admins in a transaction that takes the same lock: a key is judged by the policy as it is when the
// key changes, never by one changed meanwhile.

type Tx = Parameters<Parameters<Database["transaction"]>[0]>[0];

const policyColumns = {
  maxLifetimeDays: teams.policyMaxLifetimeDays,
  requireExpiry: teams.policyRequireExpiry,
  developerScopes: teams.policyDeveloperScopes,
  approvalFrom: teams.policyApprovalFrom,
  ipsRequiredForFull: teams.policyIpsRequiredForFull,
};

/**
 * The live team and its policy, its row locked FOR NO KEY UPDATE: the lock a team key's create
 * takes anyway for the team's quota (db/queries/api-keys.ts), so taking it first never upgrades a
 * weaker lock (two creates holding a share lock each would deadlock upgrading). A policy change or
 * a deletion waits for the key change, or the key change sees it. Null: no such team, or deleted.
 */
export async function lockTeamPolicy(tx: Tx, teamId: string): Promise<{ team: TeamRef; policy: TeamPolicy } | null> {
  const [row] = await tx
    .select({ id: teams.id, slug: teams.slug, name: teams.name, ...policyColumns })
    .from(teams)
    .where(and(eq(teams.id, teamId), isNull(teams.deletedAt)))
    .for("no key update");
  if (!row) return null;
  const { id, slug, name, ...policy } = row;
  return { team: { id, slug, name }, policy };
}

/** A page's read of the policy (no lock). */
export async function teamPolicyOf(db: Database, teamId: string): Promise<TeamPolicy | null> {
  const [row] = await db
    .select(policyColumns)
    .from(teams)
    .where(and(eq(teams.id, teamId), isNull(teams.deletedAt)));
  return row ?? null;
}

const samePolicy = (a: TeamPolicy, b: TeamPolicy) => JSON.stringify(a) === JSON.stringify(b);

/** Sets the team's policy (owners and admins, on their membership as locked); audited with from and to. */
export async function setTeamPolicy(db: Database, userId: string, slug: string, next: TeamPolicy, context: RequestContext): Promise<TeamPolicy> {
  return db.transaction(async (tx) => {
    const membership = await lockMembership(tx, slug, userId);
    if (!membership) throw new AppError("team_not_found");
    if (!canAdministerTeam(membership.role)) throw new AppError("team_role_not_allowed");
    const locked = await lockTeamPolicy(tx, membership.team.id);
    if (!locked) throw new AppError("team_not_found");
    const to: TeamPolicy = {
      maxLifetimeDays: next.maxLifetimeDays,
      requireExpiry: next.requireExpiry,
      developerScopes: next.developerScopes,
      approvalFrom: next.approvalFrom,
      ipsRequiredForFull: next.ipsRequiredForFull,
    };
    if (samePolicy(locked.policy, to)) return to;
    await tx
      .update(teams)
      .set({
        policyMaxLifetimeDays: to.maxLifetimeDays,
        policyRequireExpiry: to.requireExpiry,
        policyDeveloperScopes: to.developerScopes,
        policyApprovalFrom: to.approvalFrom,
        policyIpsRequiredForFull: to.ipsRequiredForFull,
        updatedAt: sql`now()`,
      })
      .where(eq(teams.id, locked.team.id));
    await recordAudit(tx, {
      actorId: userId,
      action: "team.policy_changed",
      targetType: "team",
      targetId: locked.team.id,
      metadata: { team: locked.team.name, slug: locked.team.slug, from: locked.policy, to },
      context,
    });
    return to;
  });
}
