import { ArrowLeftIcon } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { StatusBadge } from "@/components/api-keys/status-badge";
import { UsageChart, type UsageDay } from "@/components/api-keys/usage-chart";
import { getDb } from "@/db";
import { getApiKey } from "@/db/queries/api-keys";
import { listRotations } from "@/db/queries/rotations";
import { usageForKey } from "@/db/queries/usage";
import { policy } from "@/lib/policy";
import { AppError } from "@/lib/errors";
import { formatDate, formatDateTime, formatRelative } from "@/lib/format";
import { keyStatus, revokedNote } from "@/lib/keys/status";
import { requestNow } from "@/lib/request-clock";
import { describeAccess } from "@/lib/scopes";
import { requireUser } from "@/lib/session";
import { lastUtcDays } from "@/lib/time";
import { uuidSchema } from "@/lib/validation/common";

export const metadata: Metadata = { title: "API key" };

export default async function ApiKeyDetailPage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requireUser();
  const id = uuidSchema.safeParse((await params).id);
  if (!id.success) notFound();
  const db = await getDb();
  // Owner-scoped: another user's key id is simply "not found".
  const key = await getApiKey(db, user.id, id.data).catch((e: unknown) => {
    if (e instanceof AppError && e.code === "key_not_found") notFound();
    throw e;
  });
  const [usage, rotations] = await Promise.all([usageForKey(db, key.id, 30), listRotations(db, user.id, key.id)]);
  const now = await requestNow();
  const byDay = new Map(usage.map((u) => [u.day, u]));
  const days: UsageDay[] = lastUtcDays(30, now).map((day) => {
    const u = byDay.get(day);
    return { day, success: u?.success ?? 0, failure: u?.failure ?? 0 };
  });
  const total = days.reduce((n, d) => n + d.success + d.failure, 0);

  return (
    <div className="grid gap-6">
      <Link href="/settings/api-keys" className="flex w-fit items-center gap-1 text-sm text-muted-foreground hover:text-foreground">
        <ArrowLeftIcon className="size-4" aria-hidden /> All API keys
      </Link>
      <div className="flex flex-wrap items-center gap-3">
        <h2 className="min-w-0 text-lg font-semibold [overflow-wrap:anywhere]">{key.name}</h2>
        <StatusBadge status={keyStatus(key, now, policy.rotationPeriodDays)} />
        {key.revokedAt && key.revokedReason && <span className="min-w-0 text-sm text-muted-foreground [overflow-wrap:anywhere]">{revokedNote(key.revokedReason)}</span>}
      </div>
      {key.description && <p className="text-sm text-muted-foreground [overflow-wrap:anywhere]">{key.description}</p>}
      <dl className="grid grid-cols-[8rem_1fr] gap-y-2 text-sm">
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
        <dt className="text-muted-foreground">Created</dt>
        <dd>{formatDate(key.createdAt)}</dd>
        <dt className="text-muted-foreground">Expires</dt>
        <dd>{key.expiresAt ? formatDate(key.expiresAt) : "Never"}</dd>
        <dt className="text-muted-foreground">Secret issued</dt>
        <dd>{formatDate(key.secretCreatedAt)}</dd>
        <dt className="text-muted-foreground">Last used</dt>
        <dd>
          {key.lastUsedAt ? (
            <>
              <time dateTime={key.lastUsedAt.toISOString()}>{formatRelative(key.lastUsedAt, now)}</time>
              {key.lastUsedIp && <span className="text-muted-foreground"> from {key.lastUsedIp}</span>}
            </>
          ) : (
            "Never"
          )}
        </dd>
      </dl>
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
                <time dateTime={r.rotatedAt.toISOString()}>
                  {formatDateTime(r.rotatedAt)}
                </time>{" "}
                via {r.via === "api" ? "the API" : "the dashboard"}:{" "}
                <code className="font-mono text-xs">{r.oldHint}</code> → <code className="font-mono text-xs">{r.newHint}</code>.{" "}
                <span className="text-muted-foreground">
                  <GraceNote rotatedAt={r.rotatedAt} graceUntil={r.graceUntil} now={now} />
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
function GraceNote({ rotatedAt, graceUntil, now }: { rotatedAt: Date; graceUntil: Date; now: Date }) {
  if (graceUntil.getTime() <= rotatedAt.getTime() + 1000) return <>The old secret stopped at once.</>;
  const when = (
    <time dateTime={graceUntil.toISOString()}>
      {formatDateTime(graceUntil)}
    </time>
  );
  return graceUntil.getTime() > now.getTime() ? (
    <>The old secret keeps working until {when}.</>
  ) : (
    <>The old secret worked until {when}.</>
  );
}
