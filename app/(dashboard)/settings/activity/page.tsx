import type { Metadata } from "next";
import { AuditTable } from "@/components/admin/audit-table";
import { Pagination } from "@/components/admin/pagination";
import { getDb } from "@/db";
import { ADMIN_PAGE_SIZE, listAudit } from "@/db/queries/admin";
import { requireUser } from "@/lib/session";
import { auditFilters, paramsRecord } from "@/lib/validation/admin.schema";

export const metadata: Metadata = { title: "Activity" };

/** The signed-in user's own security events (sign-ins, key changes), newest first. */
export default async function ActivityPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requireUser();
  // Only paging comes from the URL; the filter is always "my own events".
  const { page } = auditFilters.parse(paramsRecord(await searchParams));
  const filters = auditFilters.parse({ page: String(page) });
  const { rows, total } = await listAudit(await getDb(), filters, { actorOnly: user.id });
  return (
    <section aria-labelledby="activity-heading" className="grid gap-4">
      <div>
        <h2 id="activity-heading" className="text-lg font-semibold">
          Activity
        </h2>
        <p className="text-sm text-muted-foreground">
          Sign-ins and changes made by you or with your keys. If you see something you did not do, rotate or delete the key
          involved and change your password.
        </p>
      </div>
      {rows.length === 0 ? (
        <p className="rounded-lg border border-dashed p-8 text-center text-sm text-muted-foreground">No activity yet.</p>
      ) : (
        <AuditTable rows={rows} showActor={false} />
      )}
      <Pagination path="/settings/activity" params={{}} page={filters.page} pageSize={ADMIN_PAGE_SIZE} total={total} />
    </section>
  );
}
