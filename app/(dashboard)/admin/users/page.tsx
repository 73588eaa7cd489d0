import type { Metadata } from "next";
import { DeleteUserButton, SuspendButton } from "@/components/admin/account-buttons";
import { EndSessionsButton } from "@/components/admin/end-sessions-button";
import { FilterForm } from "@/components/admin/filter-form";
import { DateTime } from "@/components/layout/date-time";
import { ResetLinkButton } from "@/components/admin/reset-link-button";
import { ResetSecondFactorButton } from "@/components/admin/reset-second-factor-button";
import { RoleButton } from "@/components/admin/role-button";
import { Badge } from "@/components/ui/badge";
import { Pagination } from "@/components/ui/pagination";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { InvitationsList } from "@/components/admin/invitations-list";
import { InviteButton } from "@/components/admin/invite-button";
import { getDb } from "@/db";
import { listOpenInvitations } from "@/db/queries/invitations";
import { invitationsByEmail } from "@/lib/commands/invitations";
import { listUsers, type AdminUserRow } from "@/db/queries/admin-users";
import { ADMIN_PAGE_SIZE } from "@/db/queries/paging";
import { mayHavePassword } from "@/lib/accounts/sso-policy";
import { ssoOnlyNow } from "@/lib/commands/sso";
import { config } from "@/lib/config";
import { requestTimeZone } from "@/lib/request-time-zone";
import { requireAdmin } from "@/lib/session";
import { activeParams, readFilters } from "@/lib/url-filters";
import { userFilters } from "@/lib/validation/admin.schema";

export const metadata: Metadata = { title: "Users" };

const PATH = "/admin/users";

export default async function UsersPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const me = await requireAdmin();
  const timeZone = await requestTimeZone();
  const filters = readFilters(userFilters, await searchParams, PATH);
  const db = await getDb();
  const { rows, ...paging } = await listUsers(db, filters);
  const invited = await listOpenInvitations(db);
  // While single sign-on is the only way in, a reset link is offered only where a password still counts (break-glass admins).
  const ssoOnly = await ssoOnlyNow(db);
  const resettable = (u: AdminUserRow) => mayHavePassword({ ssoOnly, email: u.email, role: u.role, breakGlassEmails: config.breakGlassEmails });
  return (
    <div className="grid gap-10">
      <section aria-labelledby="users-heading" className="grid gap-4">
        <div className="flex flex-wrap items-start justify-between gap-3">
          <div className="min-w-0 flex-1 basis-80">
            <h2 id="users-heading" className="text-lg font-semibold">
              Users
            </h2>
            <p className="text-sm text-muted-foreground">
              Admins see every key and the audit log. There is always at least one active admin. A suspended user cannot sign in and
              their keys are refused until reinstated.
            </p>
          </div>
          <InviteButton byEmail={invitationsByEmail()} />
        </div>
        <FilterForm
          path={PATH}
          label="Filter users"
          fields={[
            { kind: "text", name: "q", label: "Search", placeholder: "Name or email", value: filters.q },
            {
              kind: "select",
              name: "role",
              label: "Role",
              value: filters.role,
              options: [
                { value: "", label: "Any role" },
                { value: "admin", label: "Admins" },
                { value: "member", label: "Members" },
              ],
            },
          ]}
        />
        {rows.length === 0 ? (
          <p className="rounded-lg border border-dashed p-8 text-center text-sm text-muted-foreground">No users match these filters.</p>
        ) : (
          <>
            {/* A table from md up; on a phone, one card per user, so the actions are in reach. */}
            <div className="hidden md:block">
              <Table aria-label="Users">
                <TableHeader>
                  <TableRow>
                    <TableHead>User</TableHead>
                    <TableHead>Role</TableHead>
                    <TableHead>Active keys</TableHead>
                    <TableHead>Joined</TableHead>
                    <TableHead>
                      <span className="sr-only">Actions</span>
                    </TableHead>
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {rows.map((u) => (
                    <TableRow key={u.id}>
                      {/* Name over email (one column leaves the actions room); names run to 80 characters and emails further: cut here, whole on hover. */}
                      <TableCell>
                        <div className="max-w-64 truncate font-medium" title={u.name}>
                          {u.name}
                          {u.id === me.id && <span className="text-muted-foreground"> (you)</span>}
                        </div>
                        <div className="max-w-64 truncate text-sm text-muted-foreground" title={u.email}>
                          {u.email}
                        </div>
                      </TableCell>
                      <TableCell>
                        <UserBadges role={u.role} suspended={!!u.suspendedAt} twoFactor={u.hasSecondFactor} />
                      </TableCell>
                      <TableCell className="text-sm">{u.activeKeys}</TableCell>
                      <TableCell className="text-sm"><DateTime date={u.createdAt} timeZone={timeZone} /></TableCell>
                      <TableCell className="w-0 text-right">
                        <div className="flex flex-col items-end gap-2">
                          <UserActions user={u} me={me.id} resettable={resettable(u)} />
                        </div>
                      </TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            </div>
            <ul aria-label="Users" className="grid gap-3 md:hidden">
              {rows.map((u) => (
                <li key={u.id} className="rounded-lg border p-4">
                  <div className="flex items-start justify-between gap-2">
                    <div className="min-w-0">
                      <p className="truncate font-medium">
                        {u.name}
                        {u.id === me.id && <span className="text-muted-foreground"> (you)</span>}
                      </p>
                      <p className="truncate text-sm text-muted-foreground">{u.email}</p>
                    </div>
                    <UserBadges role={u.role} suspended={!!u.suspendedAt} twoFactor={u.hasSecondFactor} />
                  </div>
                  <dl className="mt-3 grid grid-cols-[6rem_1fr] gap-y-1 text-sm">
                    <dt className="text-muted-foreground">Active keys</dt>
                    <dd>{u.activeKeys}</dd>
                    <dt className="text-muted-foreground">Joined</dt>
                    <dd><DateTime date={u.createdAt} timeZone={timeZone} /></dd>
                  </dl>
                  <div className="mt-3 grid gap-2">
                    <UserActions user={u} me={me.id} resettable={resettable(u)} />
                  </div>
                </li>
              ))}
            </ul>
          </>
        )}
        <Pagination path={PATH} params={activeParams(filters)} page={filters.page} pageSize={ADMIN_PAGE_SIZE} shown={rows.length} {...paging} />
      </section>
      {/* A list of its own: the users' rows already carry many buttons. */}
      <section aria-labelledby="invitations-heading" className="grid gap-4">
        <div>
          <h2 id="invitations-heading" className="text-lg font-semibold">
            Pending invitations
          </h2>
          <p className="text-sm text-muted-foreground">Each link works once, for 7 days, whoever may sign up here. Revoke one to stop its link at once.</p>
        </div>
        <InvitationsList rows={invited.rows} more={invited.more} timeZone={timeZone} />
      </section>
    </div>
  );
}

function UserBadges({ role, suspended, twoFactor }: { role: "admin" | "member"; suspended: boolean; twoFactor: boolean }) {
  // Whether the user has a second factor rides with the role: a column of its own would push the
  // actions out of a 1280 px table.
  return (
    <span className="flex flex-wrap gap-1">
      <Badge variant={role === "admin" ? "default" : "secondary"}>{role === "admin" ? "Admin" : "Member"}</Badge>
      {twoFactor && <Badge variant="outline">Two-factor on</Badge>}
      {suspended && <Badge variant="destructive">Suspended</Badge>}
    </span>
  );
}

/**
 * A row's actions in two groups: what changes access (role, sessions, a reset link), then what
 * stops or ends the account. Your own account cannot be suspended or deleted from here.
 */
function UserActions({ user, me, resettable }: { user: AdminUserRow; me: string; resettable: boolean }) {
  const other = user.id !== me;
  return (
    <>
      <div role="group" aria-label={`Access of ${user.email}`} className="flex flex-wrap gap-2 md:flex-nowrap md:justify-end">
        <RoleButton userId={user.id} email={user.email} role={user.role} />
        <EndSessionsButton userId={user.id} email={user.email} />
        {other && resettable && <ResetLinkButton userId={user.id} email={user.email} />}
        {other && user.hasSecondFactor && <ResetSecondFactorButton userId={user.id} email={user.email} />}
      </div>
      {other && (
        <div role="group" aria-label={`Account of ${user.email}`} className="flex flex-wrap gap-2 md:justify-end">
          <SuspendButton userId={user.id} email={user.email} suspended={!!user.suspendedAt} />
          <DeleteUserButton userId={user.id} email={user.email} />
        </div>
      )}
    </>
  );
}
