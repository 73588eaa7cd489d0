import Link from "next/link";
import { DateTime } from "@/components/layout/date-time";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { describeEvent, sentenceText, shortUserAgent, type Part } from "@/lib/audit-sentences";

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

const LINK = "font-medium underline-offset-4 hover:underline";

/**
 * Audit events as sentences ("You rotated CI deploys; the old secret works until …"), in the
 * viewer's time zone, every value rendered as plain text. `keyHref` links a key's name (its page on
 * Activity, its events on the admin log); with `filterPath`, who did it links to their events.
 */
export function AuditTable({
  rows,
  timeZone,
  filterPath,
  keyHref,
}: {
  rows: AuditRow[];
  timeZone: string;
  filterPath?: string;
  keyHref?: (id: string) => string;
}) {
  const now = new Date();
  const filterLink = (key: string, value: string) => `${filterPath}?${new URLSearchParams({ [key]: value }).toString()}`;
  const part = (p: Part, i: number) => {
    if ("text" in p) return <span key={i}>{p.text}</span>;
    if ("actor" in p) {
      return filterPath ? (
        <Link key={i} href={filterLink("actor", p.actor)} className={LINK} title={`Events by ${p.actor}`}>
          {p.actor}
        </Link>
      ) : (
        <span key={i}>{p.actor}</span>
      );
    }
    return keyHref && p.key.id ? (
      <Link key={i} href={keyHref(p.key.id)} className={LINK}>
        {p.key.name}
      </Link>
    ) : (
      <span key={i} className="font-medium">
        {p.key.name}
      </span>
    );
  };
  const events = rows.map((r) => ({ r, sentence: describeEvent(r, timeZone, now), device: shortUserAgent(r.userAgent) }));
  return (
    <>
      <div className="hidden md:block">
        <Table aria-label="Audit events">
          <TableHeader>
            <TableRow>
              <TableHead className="w-40">When</TableHead>
              <TableHead>What happened</TableHead>
              <TableHead className="w-44">From</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {events.map(({ r, sentence, device }) => (
              <TableRow key={r.id} data-action={r.action}>
                <TableCell className="align-top text-sm whitespace-nowrap">
                  <DateTime date={r.createdAt} timeZone={timeZone} withTime />
                </TableCell>
                <TableCell className="align-top text-sm [overflow-wrap:anywhere] whitespace-normal" title={sentenceText(sentence)}>
                  {sentence.map(part)}
                </TableCell>
                <TableCell className="max-w-44 align-top text-xs text-muted-foreground">
                  <div className="truncate">{r.ip ?? "—"}</div>
                  {device && (
                    <div className="truncate" title={r.userAgent ?? undefined}>
                      {device}
                    </div>
                  )}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </div>
      {/* Phones: one card per event, the sentence at full width (three columns squeezed it to a word a line). */}
      <ol aria-label="Audit events" className="grid gap-3 md:hidden">
        {events.map(({ r, sentence, device }) => (
          <li key={r.id} data-action={r.action} className="grid gap-1 rounded-lg border p-3 text-sm">
            <div className="text-xs text-muted-foreground">
              <DateTime date={r.createdAt} timeZone={timeZone} withTime />
            </div>
            <p className="[overflow-wrap:anywhere]">{sentence.map(part)}</p>
            <p className="truncate text-xs text-muted-foreground" title={r.userAgent ?? undefined}>
              From {[r.ip, device].filter(Boolean).join(" · ") || "—"}
            </p>
          </li>
        ))}
      </ol>
    </>
  );
}
