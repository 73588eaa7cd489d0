import Link from "next/link";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { formatTimestamp } from "@/lib/format";

export type AuditRow = {
  id: string;
  action: string;
  createdAt: Date;
  /** Who did it, as shown: an email on the admin log, "You" / "An administrator" on Activity. */
  actor: string | null;
  targetType: string | null;
  targetId: string | null;
  metadata: Record<string, unknown>;
  ip: string | null;
  userAgent: string | null;
};

/**
 * Audit events as text: every value, including user-supplied names, is rendered as plain text.
 * With `filterPath`, actor and target link to the log filtered to them (the target filter takes a
 * full id, which the cell shortens for display).
 */
export function AuditTable({ rows, filterPath }: { rows: AuditRow[]; filterPath?: string }) {
  const filterLink = (key: string, value: string) => `${filterPath}?${new URLSearchParams({ [key]: value }).toString()}`;
  return (
    <Table aria-label="Audit events">
      <TableHeader>
        <TableRow>
          <TableHead>When (UTC)</TableHead>
          <TableHead>Actor, from</TableHead>
          <TableHead>Action</TableHead>
          <TableHead>Target</TableHead>
          <TableHead>Details</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {rows.map((r) => (
          <TableRow key={r.id}>
            <TableCell className="text-sm whitespace-nowrap">
              <time dateTime={r.createdAt.toISOString()}>
                {formatTimestamp(r.createdAt)}
              </time>
            </TableCell>
            {/* Who and from where share a column, so the table fits a desktop screen without scrolling. */}
            <TableCell className="max-w-44 text-sm">
              <div className="truncate" title={r.actor ?? undefined}>
                {r.actor && filterPath ? (
                  <Link href={filterLink("actor", r.actor)} className="underline-offset-4 hover:underline" aria-label={`Events by ${r.actor}`}>
                    {r.actor}
                  </Link>
                ) : (
                  (r.actor ?? "—")
                )}
              </div>
              <div className="truncate text-xs text-muted-foreground" title={r.userAgent ?? ""}>
                {r.ip ?? "—"}
                {r.userAgent ? ` · ${r.userAgent}` : ""}
              </div>
            </TableCell>
            <TableCell>
              <code className="font-mono text-xs">{r.action}</code>
            </TableCell>
            <TableCell className="font-mono text-xs whitespace-nowrap">
              {!r.targetId ? (
                "—"
              ) : filterPath ? (
                <Link
                  href={filterLink("target", r.targetId)}
                  className="underline-offset-4 hover:underline"
                  title={r.targetId}
                  aria-label={`Events for ${r.targetType} ${r.targetId}`}
                >
                  {r.targetType}:{r.targetId.slice(0, 8)}
                </Link>
              ) : (
                <span title={r.targetId}>
                  {r.targetType}:{r.targetId.slice(0, 8)}
                </span>
              )}
            </TableCell>
            <TableCell className="max-w-56 truncate font-mono text-xs" title={JSON.stringify(r.metadata)}>
              {Object.keys(r.metadata).length ? JSON.stringify(r.metadata) : "—"}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
