import { StatusBadge } from "@/components/api-keys/status-badge";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { formatDate, formatRelative } from "@/lib/format";
import type { KeyStatus } from "@/lib/keys/status";
import { DeleteKeyDialog } from "./delete-key-dialog";

export type KeyRow = {
  id: string;
  name: string;
  description: string | null;
  hint: string;
  access: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  expiresAt: Date | null;
  status: KeyStatus;
};

function When({ date, now, relative }: { date: Date; now: Date; relative?: boolean }) {
  return (
    <time dateTime={date.toISOString()} title={date.toISOString()}>
      {relative ? formatRelative(date, now) : formatDate(date)}
    </time>
  );
}

export function KeysTable({ rows, now }: { rows: KeyRow[]; now: Date }) {
  return (
    <Table aria-label="API keys">
      <TableHeader>
        <TableRow>
          <TableHead>Name</TableHead>
          <TableHead>Key</TableHead>
          <TableHead>Access</TableHead>
          <TableHead>Created</TableHead>
          <TableHead>Last used</TableHead>
          <TableHead>Expires</TableHead>
          <TableHead>Status</TableHead>
          <TableHead>
            <span className="sr-only">Actions</span>
          </TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {rows.map((row) => (
          <TableRow key={row.id} data-key-id={row.id}>
            <TableCell className="max-w-56">
              <div className="truncate font-medium" title={row.name}>
                {row.name}
              </div>
              {row.description && (
                <div className="truncate text-xs text-muted-foreground" title={row.description}>
                  {row.description}
                </div>
              )}
            </TableCell>
            <TableCell>
              <code className="rounded bg-muted px-1.5 py-0.5 font-mono text-xs">{row.hint}</code>
            </TableCell>
            <TableCell className="text-sm">{row.access}</TableCell>
            <TableCell className="text-sm">
              <When date={row.createdAt} now={now} />
            </TableCell>
            <TableCell className="text-sm">{row.lastUsedAt ? <When date={row.lastUsedAt} now={now} relative /> : "Never"}</TableCell>
            <TableCell className="text-sm">{row.expiresAt ? <When date={row.expiresAt} now={now} /> : "Never"}</TableCell>
            <TableCell>
              <StatusBadge status={row.status} />
            </TableCell>
            <TableCell className="text-right">
              <DeleteKeyDialog id={row.id} name={row.name} />
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
