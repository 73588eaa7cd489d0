// A key's address, in a module that imports nothing: the list's row menu (a client component, in
// the API Keys page's first load) links with it through components/api-keys/key-links.ts, and mail
// (lib/commands/notifications.ts) links to the same page.

/** A key's own page: a person's under Settings, a team's under the team's address. */
export function keyPagePath(id: string, teamSlug?: string): string {
  return teamSlug === undefined ? `/settings/api-keys/${id}` : `/t/${teamSlug}/settings/api-keys/${id}`;
}
