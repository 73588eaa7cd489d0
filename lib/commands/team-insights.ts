import "server-only";
// What a team's members may read about the team as a whole: its audit log (owners and admins) and
// its usage overview (every member). The slug is untrusted; the membership is read share-locked in
// the transaction that reads, and the role decided there (lib/teams/roles.ts). Anyone but a member
// (an unknown or deleted team, a suspended account) learns nothing: team_not_found.
import type { Database } from "@/db";
import { listTeamAudit, type AuditListRow } from "@/db/queries/audit-log";
import type { Paged } from "@/db/queries/paging";
import { listTeamMembers, type TeamMemberView } from "@/db/queries/team-members";
import { teamBusiestKeys, teamKeyCounts, teamUsageByDay } from "@/db/queries/team-usage";
import { lockMembership, type Membership } from "@/db/queries/teams";
import { AppError } from "../errors";
import { canAdministerTeam, canViewTeam, type TeamRole } from "../teams/roles";
import { isTeamSlug } from "../teams/slug";
import { teamAuditFilters } from "../validation/admin.schema";

type Tx = Parameters<Parameters<Database["transaction"]>[0]>[0];

/** Who reads: a signed-in person (pages pass their session's user id). */
export type Reader = { userId: string };

/** A read for the team at `slug`, after `allowed(role)` on the membership as locked in the read's own transaction. */
async function readForTeam<T>(
  db: Database,
  reader: Reader,
  slug: unknown,
  allowed: (role: TeamRole) => boolean,
  refusal: "team_not_found" | "team_audit_admins_only",
  read: (db: Database, membership: Membership) => Promise<T>,
): Promise<T & { membership: Membership }> {
  if (!isTeamSlug(slug)) throw new AppError("team_not_found");
  return db.transaction(async (tx: Tx) => {
    const membership = await lockMembership(tx, slug, reader.userId);
    if (!membership) throw new AppError("team_not_found");
    if (!allowed(membership.role)) throw new AppError(refusal);
    return { ...(await read(tx as unknown as Database, membership)), membership };
  });
}

export type TeamAuditLog = { events: Paged<AuditListRow>; members: TeamMemberView[] };

/**
 * The team's audit log, one page, filtered (the URL's filters, untrusted: each unknown value falls
 * back to its default). Owners and admins only (canAdministerTeam): a developer or viewer is told
 * so (team_audit_admins_only); a non-member learns nothing. The members come along for the filter.
 */
export async function readTeamAuditLog(db: Database, reader: Reader, slug: unknown, filters: unknown): Promise<TeamAuditLog & { membership: Membership }> {
  const parsed = teamAuditFilters.safeParse(filters);
  if (!parsed.success) throw new AppError("validation_failed");
  return readForTeam(db, reader, slug, canAdministerTeam, "team_audit_admins_only", async (db, { team }) => ({
    events: await listTeamAudit(db, team.id, parsed.data),
    members: await listTeamMembers(db, team.id),
  }));
}

export type TeamUsage = {
  /** Requests a day over the team's keys, newest first (days without any are absent). */
  byDay: { day: string; success: number; failure: number }[];
  busiest: { id: string; name: string; success: number; failure: number }[];
  keys: number;
  unused: number;
  unusedRows: { id: string; name: string; createdAt: Date }[];
};

/** The team's usage over the last `days` days: every member may read it (canViewTeam). */
export async function readTeamUsage(db: Database, reader: Reader, slug: unknown, days = 30): Promise<TeamUsage & { membership: Membership }> {
  return readForTeam(db, reader, slug, canViewTeam, "team_not_found", async (db, { team }) => ({
    byDay: await teamUsageByDay(db, team.id, days),
    busiest: await teamBusiestKeys(db, team.id, days),
    ...(await teamKeyCounts(db, team.id)),
  }));
}
