import "server-only";
// The team commands: create a team, rename it, add, re-role and remove members, leave, hand over
// ownership, delete. Server actions are thin adapters over these. Each parses its input here (a
// rule only in the browser is no rule), then runs one transaction in db/queries/team-members.ts
// that re-reads the acting user's membership, locked, and asks lib/teams/roles.ts. A team is managed
// from a session only: an API key (even a team's) gets not found, as for a team it cannot see.
import type { Database } from "@/db";
import {
  deleteOwnMembership,
  deleteTeamMember,
  handOverOwnership,
  insertTeam,
  insertTeamMember,
  renameTeamRow,
  setTeamMemberRole,
  softDeleteTeam,
} from "@/db/queries/team-members";
import type { TeamRef } from "@/db/queries/teams";
import { assertRecentAuthentication } from "../accounts/step-up";
import { AppError } from "../errors";
import { isTeamSlug } from "../teams/slug";
import { parseInput } from "../validation/common";
import {
  addMemberSchema,
  changeMemberRoleSchema,
  createTeamSchema,
  deleteTeamSchema,
  memberTargetSchema,
  renameTeamSchema,
  transferOwnershipSchema,
} from "../validation/team.schema";
import type { Actor } from "./actor";

/** A session's user; a slug that cannot be one names no team (nothing is looked up). */
export function sessionOnTeam(actor: Actor, slug: unknown): string {
  if (actor.key || !isTeamSlug(slug)) throw new AppError("team_not_found");
  return slug;
}

/** Any signed-in user creates a team and becomes its owner. */
export async function createTeam(db: Database, actor: Actor, input: unknown): Promise<TeamRef> {
  if (actor.key) throw new AppError("not_found");
  const { name, slug } = parseInput(createTeamSchema, input);
  return insertTeam(db, actor.userId, { name, slug }, actor.context);
}

export async function renameTeam(db: Database, actor: Actor, slug: unknown, input: unknown): Promise<TeamRef> {
  const team = sessionOnTeam(actor, slug);
  const { name } = parseInput(renameTeamSchema, input);
  return renameTeamRow(db, actor.userId, team, name, actor.context);
}

export async function addMember(db: Database, actor: Actor, slug: unknown, input: unknown) {
  const team = sessionOnTeam(actor, slug);
  const { email, role } = parseInput(addMemberSchema, input);
  return insertTeamMember(db, actor.userId, team, { email, role }, actor.context);
}

export async function changeRole(db: Database, actor: Actor, slug: unknown, input: unknown) {
  const team = sessionOnTeam(actor, slug);
  const { userId, role } = parseInput(changeMemberRoleSchema, input);
  return setTeamMemberRole(db, actor.userId, team, userId, role, actor.context);
}

export async function removeMember(db: Database, actor: Actor, slug: unknown, input: unknown) {
  const team = sessionOnTeam(actor, slug);
  const { userId } = parseInput(memberTargetSchema, input);
  return deleteTeamMember(db, actor.userId, team, userId, actor.context);
}

export async function leaveTeam(db: Database, actor: Actor, slug: unknown): Promise<TeamRef> {
  return deleteOwnMembership(db, actor.userId, sessionOnTeam(actor, slug), actor.context);
}

export async function transferOwnership(db: Database, actor: Actor, slug: unknown, input: unknown) {
  const team = sessionOnTeam(actor, slug);
  const { userId, stepDown } = parseInput(transferOwnershipSchema, input);
  // Handing a team over is for good (the new owner can remove the old one): confirm it's you.
  assertRecentAuthentication(actor);
  return handOverOwnership(db, actor.userId, team, userId, stepDown, actor.context);
}

export async function deleteTeam(db: Database, actor: Actor, slug: unknown, input: unknown): Promise<TeamRef> {
  const team = sessionOnTeam(actor, slug);
  const { confirmSlug } = parseInput(deleteTeamSchema, input);
  // Deleting a team revokes every key it owns: confirm it's you.
  assertRecentAuthentication(actor);
  return softDeleteTeam(db, actor.userId, team, confirmSlug, actor.context);
}
