import Link from "next/link";
import { StatusBadge } from "@/components/api-keys/status-badge";
import { Pagination } from "@/components/ui/pagination";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { DateTime } from "@/components/layout/date-time";
import { describeTimeZone } from "@/lib/format";
import { revokedNote } from "@/lib/keys/status";
import { keyPagePath } from "./key-links";
import type { KeyRow } from "./key-row";
import { RowActions } from "./row-actions";

function Status({ row }: { row: KeyRow }) {
  return (
    <div className="grid justify-items-start gap-1">
      <StatusBadge status={row.status} />
      {row.status === "revoked" && row.revokedReason && (
        // Table cells do not wrap; a reason can be 200 characters: two lines here, in full on the key's page.
        <span className="line-clamp-2 max-w-48 text-xs whitespace-normal text-muted-foreground [overflow-wrap:anywhere]" title={revokedNote(row.revokedReason)}>
          {revokedNote(row.revokedReason)}
        </span>
      )}
    </div>
  );
}

/** A key's name: a link to its own page (a person's key, or a team's under the team's address). */
function KeyName({ row, teamSlug, className }: { row: KeyRow; teamSlug?: string; className: string }) {
  return (
    <Link href={keyPagePath(row.id, teamSlug)} className={`${className} hover:underline`} title={row.name}>
      {row.name}
    </Link>
  );
}

/** Who created a team key: their name, with the address on hover; "Through the API" when a team key made it. */
function Creator({ row }: { row: KeyRow }) {
  if (!row.createdBy) return <span className="text-muted-foreground">Through the API</span>;
  return (
    <span className="[overflow-wrap:anywhere]" title={row.createdBy.email}>
      {row.createdBy.name}
    </span>
  );
}

/**
 * A table on wide screens; on narrow ones (under 768 px) a list of cards, so nothing scrolls
 * sideways. `teamSlug`: a team's keys (each with who created it, its page under the team's address).
 * `controls` false: no actions column or menus (a team viewer; the commands refuse them anyway).
 */
export function KeysTable({
  rows,
  now,
  timeZone,
  teamSlug,
  controls = true,
}: {
  rows: KeyRow[];
  now: Date;
  timeZone: string;
  teamSlug?: string;
  controls?: boolean;
}) {
  const team = teamSlug !== undefined;
  return (
    <>
      <div className="hidden md:block">
        <WideTable rows={rows} now={now} timeZone={timeZone} teamSlug={teamSlug} controls={controls} />
      </div>
      <ul aria-label="API keys" className="grid gap-3 md:hidden">
        {rows.map((row) => (
          <li key={row.id} data-key-id={row.id} className="rounded-lg border p-4">
            {/* Name, description and status stacked: side by side, a long name squeezed the status. */}
            <div className="grid gap-1">
              <KeyName row={row} teamSlug={teamSlug} className="block font-medium [overflow-wrap:anywhere]" />
              {row.description && <p className="line-clamp-2 text-xs [overflow-wrap:anywhere] text-muted-foreground">{row.description}</p>}
              <div className="mt-1">
                <Status row={row} />
              </div>
            </div>
            <dl className="mt-3 grid grid-cols-[6rem_1fr] gap-y-1 text-sm">
              <dt className="text-muted-foreground">Key</dt>
              <dd>
                <code className="rounded bg-muted px-1.5 py-0.5 font-mono text-xs">{row.hint}</code>
              </dd>
              <dt className="text-muted-foreground">Access</dt>
              <dd className="min-w-0">
                {row.access}
                <AllowedIpsNote row={row} />
              </dd>
              <dt className="text-muted-foreground">Created</dt>
              <dd>
                <DateTime date={row.createdAt} timeZone={timeZone} />
              </dd>
              {team && (
                <>
                  <dt className="text-muted-foreground">Created by</dt>
                  <dd className="min-w-0">
                    <Creator row={row} />
                  </dd>
                </>
              )}
              <dt className="text-muted-foreground">Last used</dt>
              <dd>{row.lastUsedAt ? <DateTime date={row.lastUsedAt} timeZone={timeZone} now={now} relative /> : "Never"}</dd>
              <dt className="text-muted-foreground">Expires</dt>
              <dd>{row.expiresAt ? <DateTime date={row.expiresAt} timeZone={timeZone} /> : "Never"}</dd>
            </dl>
            {controls && (
              <div className="mt-2 flex justify-end">
                <RowActions row={row} />
              </div>
            )}
          </li>
        ))}
      </ul>
      <p className="text-xs text-muted-foreground">
        Dates are in your time zone, {describeTimeZone(timeZone, now)}. Point at one for the exact time.
      </p>
    </>
  );
}

function WideTable({ rows, now, timeZone, teamSlug, controls }: { rows: KeyRow[]; now: Date; timeZone: string; teamSlug?: string; controls: boolean }) {
  const team = teamSlug !== undefined;
  return (
    <Table aria-label="API keys">
      <TableHeader>
        <TableRow>
          <TableHead>Name</TableHead>
          <TableHead>Key</TableHead>
          <TableHead>Access</TableHead>
          <TableHead>Created</TableHead>
          {team && <TableHead>Created by</TableHead>}
          <TableHead>Last used</TableHead>
          <TableHead>Expires</TableHead>
          <TableHead>Status</TableHead>
          {controls && (
            <TableHead>
              <span className="sr-only">Actions</span>
            </TableHead>
          )}
        </TableRow>
      </TableHeader>
      <TableBody>
        {rows.map((row) => (
          <TableRow key={row.id} data-key-id={row.id}>
            {/* Two lines for the name: truncated to one, long names sharing a prefix all looked alike. */}
            <TableCell className="max-w-72 min-w-48 whitespace-normal">
              <KeyName row={row} teamSlug={teamSlug} className="line-clamp-2 font-medium [overflow-wrap:anywhere]" />
              {row.description && (
                <div className="truncate text-xs text-muted-foreground" title={row.description}>
                  {row.description}
                </div>
              )}
            </TableCell>
            <TableCell>
              <code className="rounded bg-muted px-1.5 py-0.5 font-mono text-xs">{row.hint}</code>
            </TableCell>
            <TableCell className="text-sm">
              {row.access}
              <AllowedIpsNote row={row} />
            </TableCell>
            <TableCell className="text-sm">
              <DateTime date={row.createdAt} timeZone={timeZone} />
            </TableCell>
            {team && (
              <TableCell className="max-w-40 text-sm whitespace-normal">
                <Creator row={row} />
              </TableCell>
            )}
            <TableCell className="text-sm">{row.lastUsedAt ? <DateTime date={row.lastUsedAt} timeZone={timeZone} now={now} relative /> : "Never"}</TableCell>
            <TableCell className="text-sm">{row.expiresAt ? <DateTime date={row.expiresAt} timeZone={timeZone} /> : "Never"}</TableCell>
            <TableCell>
              <Status row={row} />
            </TableCell>
            {controls && (
              <TableCell className="text-right">
                <RowActions row={row} />
              </TableCell>
            )}
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

/** Under the access: that the key works only from some addresses (the list is on its page and in Edit). */
function AllowedIpsNote({ row }: { row: KeyRow }) {
  if (!row.allowedIps) return null;
  const n = row.allowedIps.length;
  return <div className="text-xs text-muted-foreground">Only from {n === 1 ? "1 allowed IP entry" : `${n} allowed IP entries`}</div>;
}

/**
 * A page of an API Keys list (a person's or a team's): the table, and the pages below it once
 * there is more than one. `pageSize` is the list query's (KEYS_PAGE_SIZE).
 */
export function KeysPageOfList({
  rows,
  list,
  page,
  pageSize,
  path,
  ...table
}: {
  rows: KeyRow[];
  list: { total: number; hasNext: boolean };
  page: number;
  pageSize: number;
  path: string;
  now: Date;
  timeZone: string;
  teamSlug?: string;
  controls?: boolean;
}) {
  return (
    <>
      <KeysTable rows={rows} {...table} />
      {list.total > pageSize && (
        <Pagination path={path} params={{}} page={page} pageSize={pageSize} shown={rows.length} total={list.total} totalIsExact hasNext={list.hasNext} />
      )}
    </>
  );
}
