import type { Metadata } from "next";
import { ACTION_LABELS } from "@/lib/audit-sentences";
import { requestTimeZone } from "@/lib/request-time-zone";
import Link from "next/link";
import { AuditTable } from "@/components/admin/audit-table";
import { FilterForm } from "@/components/admin/filter-form";
import { buttonVariants } from "@/components/ui/button";
import { Pagination } from "@/components/ui/pagination";
import { getDb } from "@/db";
import { listAudit } from "@/db/queries/audit-log";
import { ADMIN_PAGE_SIZE } from "@/db/queries/paging";
import { AUDIT_ACTIONS } from "@/lib/audit-events";
import { requireAdmin } from "@/lib/session";
import { activeParams, readFilters } from "@/lib/url-filters";
import { auditFilters } from "@/lib/validation/admin.schema";

export const metadata: Metadata = { title: "Audit log" };

const PATH = "/admin/audit";

export default async function AuditLogPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireAdmin();
  const filters = readFilters(auditFilters, await searchParams, PATH);
  const { rows, ...paging } = await listAudit(await getDb(), filters);
  const params = activeParams(filters);
  return (
    <section aria-labelledby="audit-heading" className="grid gap-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div>
          <h2 id="audit-heading" className="text-lg font-semibold">
            Audit log
          </h2>
          <p className="text-sm text-muted-foreground">Every security event, newest first. The log is append-only: nothing can edit or delete it.</p>
        </div>
        <Link href={`${PATH}/export?${new URLSearchParams(params).toString()}`} className={buttonVariants({ variant: "outline", size: "sm" })} prefetch={false}>
          Export CSV
        </Link>
      </div>
      <FilterForm
        path={PATH}
        label="Filter events"
        fields={[
          { kind: "select", name: "action", label: "Action", value: filters.action, options: [{ value: "", label: "Any action" }, ...AUDIT_ACTIONS.map((a) => ({ value: a, label: ACTION_LABELS[a] }))] },
          { kind: "text", name: "actor", label: "Actor", placeholder: "Exact email or user id", value: filters.actor },
          { kind: "text", name: "target", label: "Target id", placeholder: "A key or user id", value: filters.target },
          { kind: "date", name: "from", label: "From", value: filters.from },
          { kind: "date", name: "to", label: "To", value: filters.to },
        ]}
      />
      {rows.length === 0 ? (
        <p className="rounded-lg border border-dashed p-8 text-center text-sm text-muted-foreground">No events match these filters.</p>
      ) : (
        <AuditTable
          rows={rows.map((r) => ({ ...r, actor: r.actorEmail }))}
          timeZone={await requestTimeZone()}
          filterPath={PATH}
          keyHref={(id) => `${PATH}?${new URLSearchParams({ target: id })}`}
        />
      )}
      <Pagination path={PATH} params={params} page={filters.page} pageSize={ADMIN_PAGE_SIZE} shown={rows.length} {...paging} />
    </section>
  );
}
