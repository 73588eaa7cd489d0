import type { Metadata } from "next";
import { MembersTable } from "@/components/teams/members-table";
import type { MemberView } from "@/components/teams/member-view";
import { DeleteTeamForm, LeaveTeamButton, TransferOwnershipButton } from "@/components/teams/team-actions";
import { NameForm } from "@/components/forms/name-form";
import { AddMemberForm } from "@/components/teams/team-forms";
import { TEAM_NAME_MAX } from "@/lib/validation/team.schema";
import { renameTeamAction } from "./actions";
import { listTeamMembers } from "@/db/queries/team-members";
import { PLACES } from "@/lib/glossary";
import { requestTimeZone } from "@/lib/request-time-zone";
import { requireTeamMember } from "@/lib/session";
import { TEAM_ROLES, canAdministerTeam, mayChangeMember } from "@/lib/teams/roles";

export const metadata: Metadata = { title: PLACES.teamMembers };

// Who is in the team and with what role. Every member sees the list; admins and owners get the
// controls their role allows (lib/teams/roles.ts). A non-member gets the 404 an unknown team gets.
export default async function TeamMembersPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const { user, db, membership } = await requireTeamMember(slug);
  const { team, role } = membership;
  const members: MemberView[] = (await listTeamMembers(db, team.id)).map((m) => ({ ...m, addedAt: m.addedAt.toISOString() }));
  const timeZone = await requestTimeZone();
  const admin = canAdministerTeam(role);
  const others = members.filter((m) => m.userId !== user.id);
  return (
    <div className="grid gap-6">
      <section aria-labelledby="members-heading" className="grid gap-3">
        <div>
          <h2 id="members-heading" className="text-lg font-semibold">
            {PLACES.teamMembers}
          </h2>
          <p className="text-sm text-muted-foreground">
            {admin ? "Add people who have an account here, change their role or remove them." : "Only the team's admins and owners change who is in it."}
          </p>
        </div>
        <div className="rounded-lg border">
          <MembersTable slug={team.slug} teamName={team.name} members={members} viewer={{ userId: user.id, role }} timeZone={timeZone} />
        </div>
      </section>
      {admin && <AddMemberForm slug={team.slug} roles={TEAM_ROLES.filter((r) => mayChangeMember(role, r, r))} />}
      {/* The team's name (admins and owners); its address stays, so links keep working. */}
      {admin && (
        <NameForm action={renameTeamAction.bind(null, team.slug)} id="team-rename" heading="Team name" value={team.name} maxLength={TEAM_NAME_MAX} hint={`Its address stays /t/${team.slug}.`} />
      )}
      <section aria-labelledby="membership-heading" className="grid gap-3 rounded-lg border p-4">
        <h2 id="membership-heading" className="font-medium">
          Your membership
        </h2>
        <p className="text-sm text-muted-foreground">
          {role === "owner"
            ? "A team always keeps at least one owner: make someone else an owner before you leave."
            : "Leaving takes away your access to the team's keys at once."}
        </p>
        <div className="flex flex-wrap gap-2">
          {role === "owner" && <TransferOwnershipButton slug={team.slug} teamName={team.name} members={others} />}
          <LeaveTeamButton slug={team.slug} teamName={team.name} />
          {role === "owner" && <DeleteTeamForm slug={team.slug} teamName={team.name} />}
        </div>
      </section>
    </div>
  );
}
