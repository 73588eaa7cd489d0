import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { keyPagePath } from "@/components/api-keys/key-links";
import { UsageChart } from "@/components/api-keys/usage-chart";
import { DateTime } from "@/components/layout/date-time";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { getDb } from "@/db";
import { readTeamUsage } from "@/lib/commands/team-insights";
import { AppError } from "@/lib/errors";
import { describeTimeZone } from "@/lib/format";
import { PLACES } from "@/lib/glossary";
import { requestNow } from "@/lib/request-clock";
import { requestTimeZone } from "@/lib/request-time-zone";
import { requireUser } from "@/lib/session";
import { fillUtcDays } from "@/lib/time";

export const metadata: Metadata = { title: PLACES.teamUsage };

const DAYS = 30;
const n = (value: number) => value.toLocaleString("en-US");

// A team's usage: requests a day over all its keys, its busiest keys and those never used. Every
// member reads it (lib/commands/team-insights.ts); a non-member gets the 404 an unknown team gets.
export default async function TeamUsagePage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const user = await requireUser();
  const usage = await readTeamUsage(await getDb(), { userId: user.id }, slug, DAYS).catch((e: unknown) => {
    if (e instanceof AppError && e.code === "team_not_found") notFound();
    throw e;
  });
  const teamSlug = usage.membership.team.slug;
  const now = await requestNow();
  const timeZone = await requestTimeZone();
  const days = fillUtcDays(usage.byDay, DAYS, now);
  const success = days.reduce((s, d) => s + d.success, 0);
  const failure = days.reduce((s, d) => s + d.failure, 0);
  const totals = [
    { label: "Requests", value: n(success + failure) },
    { label: "Succeeded", value: n(success) },
    { label: "Failed", value: n(failure) },
    { label: "Keys", value: n(usage.keys) },
    { label: "Never used", value: n(usage.unused) },
  ];

  return (
    <div className="grid gap-6">
      <div>
        <h2 className="text-lg font-semibold">{PLACES.teamUsage}</h2>
        <p className="text-sm text-muted-foreground">
          Requests made with the team&apos;s keys over the last {DAYS} days (UTC days), keys deleted since included. Calls appear here within a few seconds.
        </p>
      </div>
      <dl aria-label={`Totals, last ${DAYS} days`} className="grid grid-cols-2 gap-3 sm:grid-cols-5">
        {totals.map((t) => (
          <div key={t.label} className="rounded-lg border p-3">
            <dt className="text-xs text-muted-foreground">{t.label}</dt>
            <dd className="text-xl font-semibold tabular-nums" data-total={t.label}>
              {t.value}
            </dd>
          </div>
        ))}
      </dl>
      <section aria-labelledby="team-usage-chart" className="grid gap-2">
        <h3 id="team-usage-chart" className="font-medium">
          Requests a day
        </h3>
        {success + failure > 0 ? (
          <UsageChart days={days} />
        ) : (
          <p className="rounded-lg border border-dashed p-6 text-center text-sm text-muted-foreground">
            No requests with the team&apos;s keys in the last {DAYS} days.
          </p>
        )}
      </section>
      <section aria-labelledby="team-busiest" className="grid gap-2">
        <h3 id="team-busiest" className="font-medium">
          Busiest keys
        </h3>
        {usage.busiest.length === 0 ? (
          <p className="text-sm text-muted-foreground">No key has been used in the last {DAYS} days.</p>
        ) : (
          <Table aria-label="Busiest keys">
            <TableHeader>
              <TableRow>
                <TableHead>Key</TableHead>
                <TableHead className="text-right">Requests</TableHead>
                <TableHead className="text-right">Failed</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {usage.busiest.map((k) => (
                <TableRow key={k.id} data-key-id={k.id}>
                  <TableCell className="max-w-0 w-full whitespace-normal">
                    <Link href={keyPagePath(k.id, teamSlug)} className="line-clamp-2 font-medium [overflow-wrap:anywhere] hover:underline" title={k.name}>
                      {k.name}
                    </Link>
                  </TableCell>
                  <TableCell className="text-right tabular-nums">{n(k.success + k.failure)}</TableCell>
                  <TableCell className="text-right tabular-nums">{n(k.failure)}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </section>
      <section aria-labelledby="team-unused" className="grid gap-2">
        <h3 id="team-unused" className="font-medium">
          Keys never used
        </h3>
        {usage.unusedRows.length === 0 ? (
          <p className="text-sm text-muted-foreground">Every key of the team has been used at least once.</p>
        ) : (
          <>
            <ul aria-label="Keys never used" className="grid gap-2 text-sm">
              {usage.unusedRows.map((k) => (
                <li key={k.id} className="flex flex-wrap items-baseline justify-between gap-x-3 rounded-md border p-3">
                  <Link href={keyPagePath(k.id, teamSlug)} className="min-w-0 font-medium [overflow-wrap:anywhere] hover:underline">
                    {k.name}
                  </Link>
                  <span className="text-xs text-muted-foreground">
                    Created <DateTime date={k.createdAt} timeZone={timeZone} />
                  </span>
                </li>
              ))}
            </ul>
            {usage.unused > usage.unusedRows.length && (
              <p className="text-xs text-muted-foreground">
                The newest {usage.unusedRows.length} of {n(usage.unused)}. A key nobody uses is one less to leak: revoke those no app needs.
              </p>
            )}
          </>
        )}
        <p className="text-xs text-muted-foreground">Dates are in your time zone, {describeTimeZone(timeZone, now)}.</p>
      </section>
    </div>
  );
}
