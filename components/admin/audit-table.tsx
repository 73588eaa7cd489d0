import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { formatDate } from "@/lib/format";

export type AuditRow = {
  id: string;
  action: string;
  createdAt: Date;
  actorEmail: string | null;
  targetType: string | null;
  targetId: string | null;
  metadata: Record<string, unknown>;
  ip: string | null;
  userAgent: string | null;
};

/** Audit events as text: every value, including user-supplied names, is rendered as plain text. */
export function AuditTable({ rows, showActor = true }: { rows: AuditRow[]; showActor?: boolean }) {
  return (
    <Table aria-label="Audit events">
      <TableHeader>
        <TableRow>
          <TableHead>When (UTC)</TableHead>
          {showActor && <TableHead>Actor</TableHead>}
          <TableHead>Action</TableHead>
          <TableHead>Target</TableHead>
          <TableHead>Details</TableHead>
          <TableHead>From</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {rows.map((r) => (
          <TableRow key={r.id}>
            <TableCell className="text-sm whitespace-nowrap">
              <time dateTime={r.createdAt.toISOString()}>
                {formatDate(r.createdAt)} {r.createdAt.toISOString().slice(11, 19)}
              </time>
            </TableCell>
            {showActor && <TableCell className="text-sm">{r.actorEmail ?? "—"}</TableCell>}
            <TableCell>
              <code className="font-mono text-xs">{r.action}</code>
            </TableCell>
            <TableCell className="font-mono text-xs">{r.targetId ? `${r.targetType}:${r.targetId.slice(0, 8)}` : "—"}</TableCell>
            <TableCell className="max-w-72 truncate font-mono text-xs" title={JSON.stringify(r.metadata)}>
              {Object.keys(r.metadata).length ? JSON.stringify(r.metadata) : "—"}
            </TableCell>
            <TableCell className="max-w-56 text-xs">
              <div>{r.ip ?? "—"}</div>
              <div className="truncate text-muted-foreground" title={r.userAgent ?? ""}>
                {r.userAgent}
              </div>
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
