// A team's key policy (teams.policy_* columns), set by its owners and admins: the one home of what
// it means (pure, no I/O). The deployment's policy (lib/policy.ts) is a ceiling: the effective
// policy is the deployment's tightened by the team's, never loosened. lib/commands/keys.ts and
// lib/commands/key-requests.ts ask these checks on the policy and the role they read, locked,
// inside the transaction that creates, edits, rotates or issues a team key.
import { AppError } from "../errors";
import { latestAllowedExpiry, policy as deploymentPolicy } from "../policy";
import { missingScopes, normalizeScopes, type Access, type Scope } from "../scopes";
import { ACCESS_WORDS, accessRank, atLeastAccess } from "./access";
import { canAdministerTeam, type TeamRole } from "./roles";

/** The team's own settings, as stored (null: not set). */
export type TeamPolicy = {
  maxLifetimeDays: number | null;
  requireExpiry: boolean;
  /** The scopes a developer may grant; null = every scope. */
  developerScopes: string[] | null;
  /** Keys with this access or broader wait for an admin's approval; null = none do. */
  approvalFrom: Access | null;
  /** Full-access keys must carry an IP allowlist. */
  ipsRequiredForFull: boolean;
};

export const NO_TEAM_POLICY: TeamPolicy = {
  maxLifetimeDays: null,
  requireExpiry: false,
  developerScopes: null,
  approvalFrom: null,
  ipsRequiredForFull: false,
};

export { ACCESS_ORDER, ACCESS_WORDS, TEAM_LIFETIME_MAX, TEAM_LIFETIME_MIN, atLeastAccess } from "./access";

/** What applies to a team key: the deployment's ceiling tightened by the team's policy. */
export type EffectivePolicy = TeamPolicy & {
  /** Where the maximum lifetime comes from (for the sentences that explain a refusal). */
  lifetimeFrom: "team" | "deployment" | null;
};

/** The shorter of the two maximum lifetimes; an expiry is required if either asks for one. */
export function effectivePolicy(team: TeamPolicy, deploymentMaxDays: number | null = deploymentPolicy.maxLifetimeDays): EffectivePolicy {
  const teamMax = team.maxLifetimeDays;
  const maxLifetimeDays = teamMax === null ? deploymentMaxDays : deploymentMaxDays === null ? teamMax : Math.min(teamMax, deploymentMaxDays);
  const lifetimeFrom = maxLifetimeDays === null ? null : teamMax !== null && teamMax === maxLifetimeDays ? "team" : "deployment";
  return {
    ...team,
    maxLifetimeDays,
    lifetimeFrom,
    requireExpiry: team.requireExpiry || deploymentMaxDays !== null,
  };
}

/** The access a key's scopes amount to: what the policy judges, whatever the form's choice said. */
export function accessOfScopes(scopes: readonly string[]): Access {
  return normalizeScopes(scopes as Scope[]).access;
}

/**
 * Who is bound by the developer rules (the scope set and the approval threshold): developers, and a
 * team key acting through the API (no person: it never approves anything). Owners and admins are not.
 */
export function boundByPolicy(role: TeamRole | null): boolean {
  return role === null || !canAdministerTeam(role);
}

/** Whether a key with `access` needs an admin's approval when `role` (null: a team key) asks for it. */
export function needsApproval(access: Access, role: TeamRole | null, team: Pick<TeamPolicy, "approvalFrom">): boolean {
  return boundByPolicy(role) && team.approvalFrom !== null && atLeastAccess(access, team.approvalFrom);
}

/**
 * Why the team's policy refuses this expiry, or null. The deployment's own rule is checked
 * separately (lib/keys/rules.ts `assertExpiryAllowed`); this adds the team's: an expiry required,
 * and its (shorter) maximum lifetime, counted from the key's creation. Shortening an existing
 * key's expiry is always allowed.
 */
export function teamExpiryError(
  expiresAt: Date | null,
  team: TeamPolicy,
  key?: { createdAt: Date; expiresAt: Date | null },
  now = new Date(),
): string | null {
  const max = team.maxLifetimeDays;
  if (expiresAt === null) {
    if (team.requireExpiry || max !== null) {
      return max !== null
        ? `This team's keys must expire: its policy allows at most ${days(max)}.`
        : "This team's keys must expire: choose an expiry date.";
    }
    return null;
  }
  if (key && key.expiresAt !== null && expiresAt.getTime() <= key.expiresAt.getTime()) return null;
  const latest = latestAllowedExpiry(key?.createdAt ?? now, max);
  if (latest && expiresAt.getTime() > latest.getTime() + 60_000) {
    return key
      ? `Pick a date within ${days(max!)} of the key's creation: that is this team's maximum key lifetime.`
      : `Pick a date within ${days(max!)}: that is this team's maximum key lifetime.`;
  }
  return null;
}

const days = (n: number) => (n === 1 ? "1 day" : `${n} days`);

/** The team's expiry rule as a refusal naming the field (422, like the deployment's). */
export function assertTeamExpiry(expiresAt: Date | null | undefined, team: TeamPolicy, key?: { createdAt: Date; expiresAt: Date | null }, now?: Date) {
  if (expiresAt === undefined) return;
  const problem = teamExpiryError(expiresAt, team, key, now);
  if (problem) throw new AppError("validation_failed", { message: problem, fieldErrors: { expiresAt: problem } });
}

/** The scopes `role` may not grant under the team's developer scope set (none for owners and admins). */
export function scopesBeyondPolicy(role: TeamRole | null, team: Pick<TeamPolicy, "developerScopes">, scopes: readonly string[]): Scope[] {
  if (!boundByPolicy(role) || team.developerScopes === null) return [];
  return missingScopes(team.developerScopes, normalizeScopes(scopes as Scope[]).scopes);
}

export function assertTeamScopes(role: TeamRole | null, team: Pick<TeamPolicy, "developerScopes">, scopes: readonly string[] | undefined) {
  if (!scopes) return;
  const beyond = scopesBeyondPolicy(role, team, scopes);
  if (beyond.length > 0) {
    throw new AppError("scopes_not_allowed_by_team", {
      message: `This team's policy does not let developers grant ${beyond.join(", ")}. Choose fewer scopes, or ask a team admin to create the key.`,
      details: { notAllowed: beyond },
    });
  }
}

/**
 * A key with these scopes, created (or widened) directly by `role`: refused when the team puts it
 * behind approval. `from` is the key's access before an edit (an edit that does not raise the
 * access is not a new grant).
 */
export function assertNoApprovalNeeded(role: TeamRole | null, team: Pick<TeamPolicy, "approvalFrom">, scopes: readonly string[], from?: Access) {
  const access = accessOfScopes(scopes);
  if (from !== undefined && accessRank(access) <= accessRank(from)) return;
  if (needsApproval(access, role, team)) {
    throw new AppError("approval_required", {
      message:
        role === null
          ? `This team's policy needs an admin's approval for keys with ${ACCESS_WORDS[team.approvalFrom!]} or broader: a team key cannot create one. Request it in the dashboard, on the team's API Keys page.`
          : undefined,
      details: { approvalFrom: team.approvalFrom },
    });
  }
}

/**
 * Rotation hands out a new secret of the key: `role` may rotate only a key it could have created
 * itself (within the developer scopes, below the approval threshold).
 */
export function assertMayRotateUnderPolicy(role: TeamRole | null, team: TeamPolicy, scopes: readonly string[]) {
  if (!boundByPolicy(role)) return;
  const beyond = scopesBeyondPolicy(role, team, scopes).length > 0;
  if (beyond || needsApproval(accessOfScopes(scopes), role, team)) {
    throw new AppError("team_policy_rotation", { details: { approvalFrom: team.approvalFrom } });
  }
}

/**
 * Full-access keys must carry an IP allowlist when the team asks for it. Takes the key's allowed
 * IPs (null or empty: none) so it can be applied wherever a key gets them.
 */
export function ipsRequiredError(team: Pick<TeamPolicy, "ipsRequiredForFull">, scopes: readonly string[], allowedIps: readonly string[] | null | undefined): string | null {
  if (!team.ipsRequiredForFull || accessOfScopes(scopes) !== "full") return null;
  return allowedIps && allowedIps.length > 0 ? null : "This team's policy requires Full-access keys to be limited to a list of IP addresses. Add the addresses the key will be used from.";
}

export function assertIpsForFull(team: Pick<TeamPolicy, "ipsRequiredForFull">, scopes: readonly string[], allowedIps: readonly string[] | null | undefined) {
  const problem = ipsRequiredError(team, scopes, allowedIps);
  if (problem) throw new AppError("validation_failed", { message: problem, fieldErrors: { allowedIps: problem } });
}

/** The sentence beside the lifetime field: what the deployment allows at most. */
export function deploymentLifetimeWords(deploymentMaxDays: number | null = deploymentPolicy.maxLifetimeDays): string {
  return deploymentMaxDays === null ? "The deployment sets no maximum lifetime." : `The deployment allows at most ${days(deploymentMaxDays)}.`;
}
