// What each team role may do: the one home of that rule (pure, no I/O). Commands in
// lib/commands/teams.ts (members) and lib/commands/keys.ts (team keys) ask these predicates on the
// membership they read, locked, inside the transaction that acts.

export const TEAM_ROLES = ["owner", "admin", "developer", "viewer"] as const;
export type TeamRole = (typeof TEAM_ROLES)[number];

/** Higher is more. */
const RANK: Record<TeamRole, number> = { viewer: 0, developer: 1, admin: 2, owner: 3 };

export const TEAM_ROLE_LABELS: Record<TeamRole, string> = {
  owner: "Owner",
  admin: "Admin",
  developer: "Developer",
  viewer: "Viewer",
};

export const TEAM_ROLE_DESCRIPTIONS: Record<TeamRole, string> = {
  owner: "Everything an admin can do, plus deleting the team and making other owners.",
  admin: "Manages members, the team's policy, approvals and every team key.",
  developer: "Creates team keys and rotates, revokes or deletes them.",
  viewer: "Sees the team's keys and members; changes nothing.",
};

export function isTeamRole(value: unknown): value is TeamRole {
  return typeof value === "string" && (TEAM_ROLES as readonly string[]).includes(value);
}

export function atLeast(role: TeamRole, minimum: TeamRole): boolean {
  return RANK[role] >= RANK[minimum];
}

/** Sees the team, its members and its keys (every member). */
export const canViewTeam = (role: TeamRole) => atLeast(role, "viewer");
/** Creates team keys; rotates, edits, revokes and deletes them. */
export const canManageTeamKeys = (role: TeamRole) => atLeast(role, "developer");
/** Adds, removes and changes members; sets the team's policy; approves key requests; reads the team's audit log. */
export const canAdministerTeam = (role: TeamRole) => atLeast(role, "admin");

/**
 * May `actor` give `target` the role `next` (or remove them, `next` = null)? Admins manage
 * developers and viewers (and may make them admins); only an owner touches an owner or makes one.
 * Nobody changes their own role here (leaving and handing over ownership are their own commands).
 */
export function mayChangeMember(actor: TeamRole, target: TeamRole, next: TeamRole | null): boolean {
  if (!canAdministerTeam(actor)) return false;
  if (actor === "owner") return true;
  // An admin: not owners, and never to owner.
  return target !== "owner" && next !== "owner";
}
