// A key's address, in a module of its own that imports nothing: the list's row menu (a client
// component, in the API Keys page's first load) links with it, and key-row.ts would bring the
// status and scope rules into that bundle with it.

/** A key's own page: a person's under Settings, a team's under the team's address. */
export function keyPagePath(id: string, teamSlug?: string): string {
  return teamSlug === undefined ? `/settings/api-keys/${id}` : `/t/${teamSlug}/settings/api-keys/${id}`;
}
