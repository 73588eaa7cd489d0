/** Where a person's (or a team's) webhook endpoints are listed. */
export function webhooksPath(teamSlug?: string): string {
  return teamSlug ? `/t/${teamSlug}/settings/webhooks` : "/settings/webhooks";
}

/** An endpoint's own page (its delivery log). */
export function webhookPagePath(endpointId: string, teamSlug?: string): string {
  return `${webhooksPath(teamSlug)}/${endpointId}`;
}
