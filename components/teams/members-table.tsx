import { DateTime } from "@/components/layout/date-time";
import { Badge } from "@/components/ui/badge";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { TEAM_ROLES, TEAM_ROLE_LABELS, mayChangeMember, type TeamRole } from "@/lib/teams/roles";
import { RemoveMemberButton, RoleControl } from "./member-controls";
import type { MemberView } from "./member-view";

/**
 * The team's members. The controls each row shows follow lib/teams/roles.ts for the viewer's role
 * (a convenience: the command decides again on the server); viewers and developers read only.
 */
export function MembersTable({
  slug,
  teamName,
  members,
  viewer,
  timeZone,
}: {
  slug: string;
  teamName: string;
  members: MemberView[];
  viewer: { userId: string; role: TeamRole };
  timeZone: string;
}) {
  return (
    <Table aria-label={`Members of ${teamName}`}>
      <TableHeader>
        <TableRow>
          <TableHead>Member</TableHead>
          <TableHead>Role</TableHead>
          <TableHead className="max-sm:hidden">Added</TableHead>
          <TableHead className="max-sm:hidden">
            <span className="sr-only">Actions</span>
          </TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {members.map((m) => {
          const self = m.userId === viewer.userId;
          const choices = self ? [] : TEAM_ROLES.filter((r) => r === m.role || mayChangeMember(viewer.role, m.role, r));
          const canChange = choices.length > 1;
          const canRemove = !self && mayChangeMember(viewer.role, m.role, null);
          return (
            <TableRow key={m.userId} data-member-email={m.email} data-member-role={m.role}>
              {/* Name and address together: one column that wraps long ones keeps the row readable on a phone. */}
              <TableCell className="min-w-40 whitespace-normal [overflow-wrap:anywhere]">
                <span className="font-medium">{m.name}</span>
                {self && (
                  <Badge variant="secondary" className="ml-2">
                    You
                  </Badge>
                )}
                <span className="block text-xs text-muted-foreground">{m.email}</span>
              </TableCell>
              <TableCell>
                <div className="flex flex-wrap items-center gap-2">
                  {canChange ? <RoleControl slug={slug} member={m} choices={choices} /> : TEAM_ROLE_LABELS[m.role]}
                  {/* A phone has no room for a column of its own: Remove sits under the role (one of the two is shown). */}
                  {canRemove && (
                    <span className="sm:hidden">
                      <RemoveMemberButton slug={slug} member={m} teamName={teamName} />
                    </span>
                  )}
                </div>
              </TableCell>
              <TableCell className="whitespace-nowrap max-sm:hidden">
                <DateTime date={new Date(m.addedAt)} timeZone={timeZone} />
              </TableCell>
              <TableCell className="text-right max-sm:hidden">{canRemove && <RemoveMemberButton slug={slug} member={m} teamName={teamName} />}</TableCell>
            </TableRow>
          );
        })}
      </TableBody>
    </Table>
  );
}
