import type { Metadata } from "next";
import Link from "next/link";
import { AuditTable } from "@/components/admin/audit-table";
import { FilterForm, activeParams } from "@/components/admin/filter-form";
import { Pagination } from "@/components/admin/pagination";
import { buttonVariants } from "@/components/ui/button";
import { getDb } from "@/db";
import { ADMIN_PAGE_SIZE, listAudit } from "@/db/queries/admin";
import { AUDIT_ACTIONS } from "@/lib/audit-events";
import { requireAdmin } from "@/lib/session";
import { auditFilters, paramsRecord } from "@/lib/validation/admin.schema";

export const metadata: Metadata = { title: "Audit log" };

export default async function AuditLogPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireAdmin();
  const filters = auditFilters.parse(paramsRecord(await searchParams));
  const { rows, total } = await listAudit(await getDb(), filters);
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
        <Link href={`/admin/audit/export?${new URLSearchParams(params).toString()}`} className={buttonVariants({ variant: "outline", size: "sm" })} prefetch={false}>
          Export CSV
        </Link>
      </div>
      <FilterForm
        path="/admin/audit"
        label="Filter events"
        fields={[
          { kind: "select", name: "action", label: "Action", value: filters.action, options: [{ value: "", label: "Any action" }, ...AUDIT_ACTIONS.map((a) => ({ value: a, label: a }))] },
          { kind: "text", name: "actor", label: "Actor email", value: filters.actor },
          { kind: "text", name: "target", label: "Target id", placeholder: "A key or user id", value: filters.target },
          { kind: "date", name: "from", label: "From", value: filters.from },
          { kind: "date", name: "to", label: "To", value: filters.to },
        ]}
      />
      {rows.length === 0 ? (
        <p className="rounded-lg border border-dashed p-8 text-center text-sm text-muted-foreground">No events match these filters.</p>
      ) : (
        <AuditTable rows={rows} />
      )}
      <Pagination path="/admin/audit" params={params} page={filters.page} pageSize={ADMIN_PAGE_SIZE} total={total} />
    </section>
  );
}
