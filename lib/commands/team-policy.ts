import "server-only";
// A team's key policy: owners and admins change it (setTeamPolicy re-reads their membership, locked,
// in the transaction that changes it). What it means, and how it tightens the deployment's, is
// lib/teams/policy.ts; the key commands apply it (lib/commands/keys.ts, lib/commands/key-requests.ts).
import type { Database } from "@/db";
import { setTeamPolicy } from "@/db/queries/team-policy";
import type { TeamPolicy } from "../teams/policy";
import { parseInput } from "../validation/common";
import { teamPolicySchema } from "../validation/team-policy.schema";
import type { Actor } from "./actor";
import { sessionOnTeam } from "./teams";

export async function changeTeamPolicy(db: Database, actor: Actor, slug: unknown, input: unknown): Promise<TeamPolicy> {
  const team = sessionOnTeam(actor, slug);
  const policy = parseInput(teamPolicySchema(), input);
  return setTeamPolicy(db, actor.userId, team, policy as TeamPolicy, actor.context);
}
