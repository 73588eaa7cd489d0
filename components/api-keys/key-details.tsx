import { ArrowLeftIcon } from "lucide-react";
import Link from "next/link";
import { DateTime } from "@/components/layout/date-time";
import type { KeyDetails } from "@/lib/commands/keys";
import { describeTimeZone } from "@/lib/format";
import { revokedNote } from "@/lib/keys/status";
import { describeAccess } from "@/lib/scopes";
import { fillUtcDays } from "@/lib/time";
import { KeyPageActions } from "./key-page-actions";
import type { KeyRow } from "./key-row";
import type { KeyScope } from "./key-scope";
import { StatusBadge } from "./status-badge";
import { UsageChart, type UsageDay } from "./usage-chart";

/**
 * A key's own page, personal or a team's: status, access, dates, 30 days of requests and the
 * rotation history, with the row menu's actions when `scope.canManage` (a team viewer gets none;
 * the key commands refuse them anyway). A team key also says who created it.
 */
export function KeyDetailsBody({
  details,
  row,
  list,
  scope,
  origin,
  maxLifetimeDays,
  now,
  timeZone,
}: {
  details: KeyDetails;
  row: KeyRow;
  /** The list this page belongs to: the back link, and where a deleted key's page goes. */
  list: { href: string; label: string };
  scope?: KeyScope;
  origin: string;
  maxLifetimeDays: number | null;
  now: Date;
  timeZone: string;
}) {
  const { key, rotations, usage } = details;
  const days: UsageDay[] = fillUtcDays(usage, 30, now);
  const total = days.reduce((n, d) => n + d.success + d.failure, 0);
  const canManage = scope?.canManage ?? true;

  return (
    <div className="grid gap-6">
      <Link href={list.href} className="flex w-fit items-center gap-1 text-sm text-muted-foreground hover:text-foreground">
        <ArrowLeftIcon className="size-4" aria-hidden /> {list.label}
      </Link>
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="flex min-w-0 flex-wrap items-center gap-3">
          <h2 className="min-w-0 text-lg font-semibold [overflow-wrap:anywhere]">{key.name}</h2>
          <StatusBadge status={row.status} />
        </div>
        {canManage && <KeyPageActions row={row} origin={origin} maxLifetimeDays={maxLifetimeDays} list={list.href} scope={scope} />}
      </div>
      {key.description && <p className="text-sm text-muted-foreground [overflow-wrap:anywhere]">{key.description}</p>}
      <dl className="grid grid-cols-[8rem_minmax(0,1fr)] gap-y-2 text-sm">
        <dt className="text-muted-foreground">Key</dt>
        <dd>
          <code className="rounded bg-muted px-1.5 py-0.5 font-mono text-xs">{key.hint}</code>
        </dd>
        <dt className="text-muted-foreground">Access</dt>
        <dd>{describeAccess(key.access, key.scopes)}</dd>
        <dt className="text-muted-foreground">Scopes</dt>
        <dd className="flex flex-wrap gap-1">
          {key.scopes.map((s) => (
            <code key={s} className="rounded border px-1.5 py-0.5 font-mono text-xs">
              {s}
            </code>
          ))}
        </dd>
        <dt className="text-muted-foreground">Allowed IPs</dt>
        <dd>
          {key.allowedIps
            ? `Only from the ${key.allowedIps.length === 1 ? "address" : `${key.allowedIps.length} addresses and ranges`} below`
            : "Any address"}
        </dd>
        <dt className="text-muted-foreground">Created</dt>
        <dd>
          <DateTime date={key.createdAt} timeZone={timeZone} />
        </dd>
        {details.createdBy !== undefined && (
          <>
            <dt className="text-muted-foreground">Created by</dt>
            <dd className="[overflow-wrap:anywhere]">
              {details.createdBy ? (
                <>
                  {details.createdBy.name} <span className="text-muted-foreground">({details.createdBy.email})</span>
                </>
              ) : (
                <span className="text-muted-foreground">Through the API, or an account that no longer exists</span>
              )}
            </dd>
          </>
        )}
        <dt className="text-muted-foreground">{row.status === "expired" ? "Expired" : "Expires"}</dt>
        <dd>{key.expiresAt ? <DateTime date={key.expiresAt} timeZone={timeZone} /> : "Never"}</dd>
        {key.revokedAt && (
          <>
            <dt className="text-muted-foreground">Revoked</dt>
            <dd className="min-w-0 [overflow-wrap:anywhere]">
              <DateTime date={key.revokedAt} timeZone={timeZone} withTime />
              {key.revokedReason && <span className="text-muted-foreground"> · {revokedNote(key.revokedReason)}</span>}
            </dd>
          </>
        )}
        <dt className="text-muted-foreground">Secret issued</dt>
        <dd>
          <DateTime date={key.secretCreatedAt} timeZone={timeZone} />
        </dd>
        <dt className="text-muted-foreground">Last used</dt>
        <dd>
          {key.lastUsedAt ? (
            <>
              <DateTime date={key.lastUsedAt} timeZone={timeZone} now={now} relative />
              {key.lastUsedIp && <span className="text-muted-foreground"> from {key.lastUsedIp}</span>}
            </>
          ) : (
            "Never"
          )}
        </dd>
      </dl>
      <p className="-mt-3 text-xs text-muted-foreground">
        Dates are in your time zone, {describeTimeZone(timeZone, now)}. Point at one for the exact time.
      </p>
      {key.allowedIps && (
        // Its own section, full width: a list of up to 100 IPv6 blocks neither squeezes into the
        // details column at 375 px nor pushes the dates below it out of sight.
        <section aria-labelledby="allowed-ips-heading" className="grid gap-2">
          <h3 id="allowed-ips-heading" className="font-medium">
            Allowed IP addresses <span className="font-normal text-muted-foreground">({key.allowedIps.length})</span>
          </h3>
          <ul className="flex flex-wrap gap-1" aria-labelledby="allowed-ips-heading">
            {key.allowedIps.map((ip) => (
              <li key={ip} className="min-w-0">
                <code className="rounded border px-1.5 py-0.5 font-mono text-xs [overflow-wrap:anywhere]">{ip}</code>
              </li>
            ))}
          </ul>
          <p className="text-xs text-muted-foreground">Requests from any other address are refused. Change the list with Edit.</p>
        </section>
      )}
      <section aria-labelledby="usage-heading" className="grid gap-2">
        <h3 id="usage-heading" className="font-medium">
          Requests, last 30 days <span className="font-normal text-muted-foreground">({total} in all)</span>
        </h3>
        {total > 0 ? (
          <UsageChart days={days} />
        ) : (
          <p className="rounded-lg border border-dashed p-6 text-center text-sm text-muted-foreground">
            No requests in the last 30 days. Calls made with this key appear here within a few seconds.
          </p>
        )}
      </section>
      <section aria-labelledby="rotations-heading" className="grid gap-2">
        <h3 id="rotations-heading" className="font-medium">
          Rotations
        </h3>
        {rotations.length === 0 ? (
          <p className="text-sm text-muted-foreground">This key still has the secret it was created with.</p>
        ) : (
          <ol className="grid gap-2 text-sm">
            {rotations.map((r) => (
              <li key={r.id} className="rounded-md border p-3">
                <DateTime date={r.rotatedAt} timeZone={timeZone} withTime /> via {r.via === "api" ? "the API" : "the dashboard"}:{" "}
                <code className="font-mono text-xs">{r.oldHint}</code> → <code className="font-mono text-xs">{r.newHint}</code>.{" "}
                <span className="text-muted-foreground">
                  <GraceNote rotatedAt={r.rotatedAt} graceUntil={r.graceUntil} now={now} timeZone={timeZone} />
                </span>
              </li>
            ))}
          </ol>
        )}
      </section>
    </div>
  );
}

/** Past or present tense, depending on whether the old secret's grace period is over. */
function GraceNote({ rotatedAt, graceUntil, now, timeZone }: { rotatedAt: Date; graceUntil: Date; now: Date; timeZone: string }) {
  if (graceUntil.getTime() <= rotatedAt.getTime() + 1000) return <>The old secret stopped at once.</>;
  const when = <DateTime date={graceUntil} timeZone={timeZone} withTime />;
  return graceUntil.getTime() > now.getTime() ? <>The old secret keeps working until {when}.</> : <>The old secret worked until {when}.</>;
}
