import "server-only";
// A team's key policy: owners and admins change it (setTeamPolicy re-reads their membership, locked,
// in the transaction that changes it). What it means, and how it tightens the deployment's, is
// lib/teams/policy.ts; the key commands apply it (lib/commands/keys.ts, lib/commands/key-requests.ts).
import type { Database } from "@/db";
import { setTeamPolicy } from "@/db/queries/team-policy";
import { AppError } from "../errors";
import type { TeamPolicy } from "../teams/policy";
import { isTeamSlug } from "../teams/slug";
import { fieldErrorsOf } from "../validation/common";
import { teamPolicySchema } from "../validation/team-policy.schema";
import type { Actor } from "./actor";

export async function changeTeamPolicy(db: Database, actor: Actor, slug: unknown, input: unknown): Promise<TeamPolicy> {
  if (actor.key || !isTeamSlug(slug)) throw new AppError("team_not_found");
  const parsed = teamPolicySchema().safeParse(input);
  if (!parsed.success) throw new AppError("validation_failed", { fieldErrors: fieldErrorsOf(parsed.error) });
  return setTeamPolicy(db, actor.userId, slug, parsed.data as TeamPolicy, actor.context);
}
