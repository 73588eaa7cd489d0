import { SectionTabs } from "@/components/layout/section-tabs";
import { teamApiKeysPath, teamAuditPath, teamMembersPath, teamPolicyPath, teamRequestsPath, teamUsagePath } from "@/components/teams/team-links";
import { PLACES } from "@/lib/glossary";
import { webhooksPath } from "@/lib/webhooks/paths";
import { TEAM_ROLE_LABELS, canAdministerTeam } from "@/lib/teams/roles";
import { requireTeamMember } from "@/lib/session";

// A team's settings: its name, the caller's role in it, and its tabs. A non-member (or a removed
// member) gets the plain 404 an unknown team gets. This frame protects nothing by itself: each page
// re-reads the membership, and each action's command re-checks it in its transaction.
export default async function TeamSettingsLayout({ children, params }: { children: React.ReactNode; params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const { membership } = await requireTeamMember(slug);
  const { team, role } = membership;
  const tabs = [
    { href: teamApiKeysPath(team.slug), label: PLACES.apiKeys },
    { href: teamMembersPath(team.slug), label: PLACES.teamMembers },
    { href: teamPolicyPath(team.slug), label: PLACES.teamPolicy },
    { href: teamRequestsPath(team.slug), label: PLACES.teamRequests },
    { href: teamUsagePath(team.slug), label: PLACES.teamUsage },
    // Only owners and admins read the log: the tab is a convenience, the page's command decides.
    ...(canAdministerTeam(role) ? [{ href: teamAuditPath(team.slug), label: PLACES.auditLog }, { href: webhooksPath(team.slug), label: PLACES.webhooks }, { href: `/t/${team.slug}/settings/reviews`, label: PLACES.accessReviews }] : []),
  ];
  return (
    <div className="mx-auto max-w-6xl">
      <p className="text-sm text-muted-foreground">Team · your role: {TEAM_ROLE_LABELS[role]}</p>
      <h1 className="text-2xl font-semibold tracking-tight [overflow-wrap:anywhere]">{team.name}</h1>
      <SectionTabs label="Team settings" tabs={tabs} />
      <div className="mt-6">{children}</div>
    </div>
  );
}
