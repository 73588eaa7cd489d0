import { DateTime } from "@/components/layout/date-time";
import { Badge } from "@/components/ui/badge";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { OpenInvitationRow } from "@/db/queries/invitations";
import { RevokeInvitationButton } from "./revoke-invitation-button";

/** Admin -> Users: invitations not yet accepted or revoked, each with its Revoke button. */
export function InvitationsList({ rows, more, timeZone }: { rows: OpenInvitationRow[]; more: boolean; timeZone: string }) {
  if (rows.length === 0) {
    return <p className="rounded-lg border border-dashed p-6 text-center text-sm text-muted-foreground">No pending invitations. Invite someone to see it here until they accept.</p>;
  }
  return (
    <>
      <div className="hidden md:block">
        <Table aria-label="Pending invitations">
          <TableHeader>
            <TableRow>
              <TableHead>Email</TableHead>
              <TableHead>Role</TableHead>
              <TableHead>Invited by</TableHead>
              <TableHead>Expires</TableHead>
              <TableHead>
                <span className="sr-only">Actions</span>
              </TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {rows.map((i) => (
              <TableRow key={i.id}>
                <TableCell className="max-w-64 truncate text-sm font-medium" title={i.email}>
                  {i.email}
                </TableCell>
                <TableCell>
                  <InvitationBadges invitation={i} />
                </TableCell>
                <TableCell className="max-w-56 truncate text-sm" title={i.invitedBy ?? undefined}>
                  {i.invitedBy ?? "A deleted account"}
                </TableCell>
                <TableCell className="text-sm">
                  <DateTime date={i.expiresAt} timeZone={timeZone} />
                </TableCell>
                <TableCell className="text-right">
                  <RevokeInvitationButton invitationId={i.id} email={i.email} />
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </div>
      <ul aria-label="Pending invitations" className="grid gap-3 md:hidden">
        {rows.map((i) => (
          <li key={i.id} className="rounded-lg border p-4">
            <div className="flex items-start justify-between gap-2">
              <p className="min-w-0 truncate text-sm font-medium">{i.email}</p>
              <InvitationBadges invitation={i} />
            </div>
            <dl className="mt-3 grid grid-cols-[6rem_minmax(0,1fr)] gap-y-1 text-sm">
              <dt className="text-muted-foreground">Invited by</dt>
              <dd className="truncate">{i.invitedBy ?? "A deleted account"}</dd>
              <dt className="text-muted-foreground">Expires</dt>
              <dd>
                <DateTime date={i.expiresAt} timeZone={timeZone} />
              </dd>
            </dl>
            <div className="mt-3">
              <RevokeInvitationButton invitationId={i.id} email={i.email} />
            </div>
          </li>
        ))}
      </ul>
      {more && <p className="text-sm text-muted-foreground">Showing the newest {rows.length}. Revoke old ones to see the rest.</p>}
    </>
  );
}

function InvitationBadges({ invitation }: { invitation: OpenInvitationRow }) {
  return (
    <span className="flex flex-wrap gap-1">
      <Badge variant={invitation.role === "admin" ? "default" : "secondary"}>{invitation.role === "admin" ? "Admin" : "Member"}</Badge>
      {invitation.expired && <Badge variant="outline">Expired</Badge>}
      {!invitation.expired && !invitation.vouched && (
        <Badge variant="outline" title="Whoever invited them is no longer an active admin, so the link no longer works. Invite them again.">
          Inviter no longer an admin
        </Badge>
      )}
    </span>
  );
}
