// The order of key access levels and the team policy's numeric limits: pure and safe for the
// browser (lib/teams/policy.ts, which reads the deployment's settings, re-exports them).
import type { Access } from "../scopes";

export const TEAM_LIFETIME_MIN = 1;
export const TEAM_LIFETIME_MAX = 3650;

/** Narrowest to broadest. A restricted key ranks between read only and full, whatever its scopes. */
export const ACCESS_ORDER: readonly Access[] = ["read_only", "restricted", "full"];
const RANK: Record<Access, number> = { read_only: 0, restricted: 1, full: 2 };

export const ACCESS_WORDS: Record<Access, string> = { read_only: "Read only", restricted: "Restricted", full: "Full access" };

/** Whether `access` is at least `threshold` (read_only < restricted < full). */
export function atLeastAccess(access: Access, threshold: Access): boolean {
  return RANK[access] >= RANK[threshold];
}

export function accessRank(access: Access): number {
  return RANK[access];
}
