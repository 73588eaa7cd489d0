import type { Metadata } from "next";
import { RoleButton } from "@/components/admin/role-button";
import { Badge } from "@/components/ui/badge";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { getDb } from "@/db";
import { listUsers } from "@/db/queries/admin";
import { formatDate } from "@/lib/format";
import { requireAdmin } from "@/lib/session";

export const metadata: Metadata = { title: "Users" };

export default async function UsersPage() {
  const me = await requireAdmin();
  const users = await listUsers(await getDb());
  return (
    <section aria-labelledby="users-heading" className="grid gap-4">
      <div>
        <h2 id="users-heading" className="text-lg font-semibold">
          Users
        </h2>
        <p className="text-sm text-muted-foreground">Admins see every key and the audit log. There is always at least one admin.</p>
      </div>
      <Table aria-label="Users">
        <TableHeader>
          <TableRow>
            <TableHead>Name</TableHead>
            <TableHead>Email</TableHead>
            <TableHead>Role</TableHead>
            <TableHead>Active keys</TableHead>
            <TableHead>Joined</TableHead>
            <TableHead>
              <span className="sr-only">Actions</span>
            </TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {users.map((u) => (
            <TableRow key={u.id}>
              <TableCell className="font-medium">
                {u.name}
                {u.id === me.id && <span className="text-muted-foreground"> (you)</span>}
              </TableCell>
              <TableCell className="text-sm">{u.email}</TableCell>
              <TableCell>
                <Badge variant={u.role === "admin" ? "default" : "secondary"}>{u.role === "admin" ? "Admin" : "Member"}</Badge>
              </TableCell>
              <TableCell className="text-sm">{u.activeKeys}</TableCell>
              <TableCell className="text-sm">{formatDate(u.createdAt)}</TableCell>
              <TableCell className="text-right">
                <RoleButton userId={u.id} email={u.email} role={u.role} />
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </section>
  );
}
