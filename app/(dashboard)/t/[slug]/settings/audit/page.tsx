import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { AuditTable } from "@/components/admin/audit-table";
import { FilterForm } from "@/components/admin/filter-form";
import { keyPagePath } from "@/components/api-keys/key-links";
import { teamAuditPath } from "@/components/teams/team-links";
import { Pagination } from "@/components/ui/pagination";
import { getDb } from "@/db";
import { ADMIN_PAGE_SIZE } from "@/db/queries/paging";
import { TEAM_AUDIT_ACTIONS } from "@/lib/audit-events";
import { ACTION_LABELS } from "@/lib/audit-sentences";
import { readTeamAuditLog } from "@/lib/commands/team-insights";
import { AppError, messageOf } from "@/lib/errors";
import { PLACES } from "@/lib/glossary";
import { requestTimeZone } from "@/lib/request-time-zone";
import { requireUser } from "@/lib/session";
import { activeParams, readFilters } from "@/lib/url-filters";
import { teamAuditFilters } from "@/lib/validation/admin.schema";

export const metadata: Metadata = { title: PLACES.auditLog };

type Props = { params: Promise<{ slug: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

// A team's own audit log: what happened to the team and its keys, newest first. Owners and admins
// read it (lib/commands/team-insights.ts decides, on the membership locked in its read); a
// developer or viewer is told whom to ask; a non-member gets the 404 an unknown team gets.
export default async function TeamAuditPage({ params, searchParams }: Props) {
  const { slug } = await params;
  const user = await requireUser();
  const path = teamAuditPath(slug);
  const filters = readFilters(teamAuditFilters, await searchParams, path);
  const log = await readTeamAuditLog(await getDb(), { userId: user.id }, slug, filters).catch((e: unknown) => {
    if (e instanceof AppError && e.code === "team_not_found") notFound();
    if (e instanceof AppError && e.code === "team_audit_admins_only") return null;
    throw e;
  });
  const heading = (
    <h2 id="team-audit-heading" className="text-lg font-semibold">
      {PLACES.auditLog}
    </h2>
  );
  if (!log) {
    return (
      <section aria-labelledby="team-audit-heading" className="grid gap-2">
        {heading}
        <p className="text-sm text-muted-foreground">{messageOf("team_audit_admins_only")}</p>
      </section>
    );
  }
  const { events, members, membership } = log;
  const { rows, ...paging } = events;
  const filterParams = activeParams(filters);
  const actors = members.map((m) => ({ value: m.email, label: `${m.name} (${m.email})` }));
  // Someone no longer in the team, chosen from a link in the log, stays chosen.
  if (filters.actor && !actors.some((a) => a.value === filters.actor)) actors.push({ value: filters.actor, label: filters.actor });
  return (
    <section aria-labelledby="team-audit-heading" className="grid gap-4">
      <div>
        {heading}
        <p className="text-sm text-muted-foreground">
          What happened to the team, its members and its keys, newest first. Only the team&apos;s owners and admins see this page; nothing can edit or delete the log.
        </p>
      </div>
      <FilterForm
        path={path}
        label="Filter the team's events"
        fields={[
          { kind: "select", name: "action", label: "Action", value: filters.action, options: [{ value: "", label: "Any action" }, ...TEAM_AUDIT_ACTIONS.map((a) => ({ value: a, label: ACTION_LABELS[a] }))] },
          { kind: "select", name: "actor", label: "Member", value: filters.actor, options: [{ value: "", label: "Anyone" }, ...actors] },
          { kind: "date", name: "from", label: "From", value: filters.from },
          { kind: "date", name: "to", label: "To", value: filters.to },
        ]}
      />
      {rows.length === 0 ? (
        <p className="rounded-lg border border-dashed p-8 text-center text-sm text-muted-foreground">
          {Object.keys(filterParams).length > 0 ? "No events match these filters." : "Nothing has happened in this team yet."}
        </p>
      ) : (
        <AuditTable
          rows={rows.map((r) => ({ ...r, actor: r.actorEmail }))}
          timeZone={await requestTimeZone()}
          filterPath={path}
          keyHref={(id) => keyPagePath(id, membership.team.slug)}
        />
      )}
      <Pagination path={path} params={filterParams} page={filters.page} pageSize={ADMIN_PAGE_SIZE} shown={rows.length} {...paging} />
    </section>
  );
}
