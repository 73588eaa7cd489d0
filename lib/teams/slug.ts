// A team's slug: its address in the dashboard (`/t/<slug>/…`). The shape is the same as the
// CHECK on teams.slug (db/schema.ts); this module is its TypeScript home (pure, no I/O).

export const TEAM_SLUG_MIN = 2;
export const TEAM_SLUG_MAX = 40;
/** Lower-case letters, digits and hyphens; no hyphen first or last (the table's CHECK says the same). */
export const TEAM_SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/;

export function isTeamSlug(value: unknown): value is string {
  return typeof value === "string" && value.length >= TEAM_SLUG_MIN && value.length <= TEAM_SLUG_MAX && TEAM_SLUG_PATTERN.test(value);
}

/**
 * A slug suggested from a team's name ("Platform Team ✨" → "platform-team"): accents dropped,
 * every run of other characters one hyphen, cut to 40 without a trailing hyphen. May be shorter
 * than 2 (a name of symbols only): the form then asks for one.
 */
export function suggestSlug(name: string): string {
  return name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, TEAM_SLUG_MAX)
    .replace(/-+$/, "");
}
