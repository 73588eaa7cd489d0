import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { PolicyForm } from "@/components/teams/policy-form";
import { teamPolicyOf } from "@/db/queries/team-policy";
import { PLACES } from "@/lib/glossary";
import { policy as deploymentPolicy } from "@/lib/policy";
import { requireTeamMember } from "@/lib/session";
import { deploymentLifetimeWords } from "@/lib/teams/policy";
import { canAdministerTeam } from "@/lib/teams/roles";

export const metadata: Metadata = { title: PLACES.teamPolicy };

// The team's key policy: every member sees it (so they know the rules); owners and admins change
// it. A non-member gets the 404 an unknown team gets. The action's command re-checks the role.
export default async function TeamPolicyPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const { db, membership } = await requireTeamMember(slug);
  const policy = await teamPolicyOf(db, membership.team.id);
  if (!policy) notFound();
  const max = deploymentPolicy.maxLifetimeDays;
  return (
    <PolicyForm
      slug={membership.team.slug}
      policy={policy}
      editable={canAdministerTeam(membership.role)}
      deployment={{ maxLifetimeDays: max, lifetimeWords: deploymentLifetimeWords(max) }}
    />
  );
}
