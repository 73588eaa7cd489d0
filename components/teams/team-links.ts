// A team's places in the dashboard, and what the switcher needs of a team (no component here:
// pages, layouts and client components share it).

export type TeamChoice = { slug: string; name: string };

export const teamMembersPath = (slug: string) => `/t/${slug}/settings/members`;
export const teamPolicyPath = (slug: string) => `/t/${slug}/settings/policy`;
export const teamRequestsPath = (slug: string) => `/t/${slug}/settings/requests`;
export const teamApiKeysPath = (slug: string) => `/t/${slug}/settings/api-keys`;
export const teamAuditPath = (slug: string) => `/t/${slug}/settings/audit`;
export const teamUsagePath = (slug: string) => `/t/${slug}/settings/usage`;
/** Where the switcher opens a team: its API keys. */
export const teamHome = teamApiKeysPath;
