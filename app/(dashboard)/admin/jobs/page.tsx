import type { Metadata } from "next";
import { FilterForm } from "@/components/admin/filter-form";
import { JobsTable } from "@/components/admin/jobs-table";
import { Pagination } from "@/components/ui/pagination";
import { getDb } from "@/db";
import { listJobs } from "@/db/queries/jobs";
import { ADMIN_PAGE_SIZE } from "@/db/queries/paging";
import { JOB_STATUSES, JOB_STATUS_LABELS } from "@/lib/jobs/labels";
import { requestTimeZone } from "@/lib/request-time-zone";
import { requireAdmin } from "@/lib/session";
import { activeParams, readFilters } from "@/lib/url-filters";
import { jobFilters } from "@/lib/validation/admin.schema";

export const metadata: Metadata = { title: "Jobs" };

const PATH = "/admin/jobs";

export default async function JobsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireAdmin();
  const filters = readFilters(jobFilters, await searchParams, PATH);
  const { rows, ...paging } = await listJobs(await getDb(), filters);
  const params = activeParams(filters);
  return (
    <section aria-labelledby="jobs-heading" className="grid gap-4">
      <div>
        <h2 id="jobs-heading" className="text-lg font-semibold">
          Jobs
        </h2>
        <p className="text-sm text-muted-foreground">
          Work the server does in the background, newest first. A failed attempt is tried again later, waiting longer each time; a job that runs out of attempts stays
          here as Failed with its last error. Finished jobs are kept for 30 days.
        </p>
      </div>
      <FilterForm
        path={PATH}
        label="Filter jobs"
        fields={[{ kind: "select", name: "status", label: "Status", value: filters.status, options: [{ value: "", label: "Any status" }, ...JOB_STATUSES.map((s) => ({ value: s, label: JOB_STATUS_LABELS[s] }))] }]}
      />
      {rows.length === 0 ? (
        <p className="rounded-lg border border-dashed p-8 text-center text-sm text-muted-foreground">
          {filters.status ? "No jobs with this status. Choose Any status to see them all." : "No background jobs yet. They appear here as the server queues them."}
        </p>
      ) : (
        <JobsTable rows={rows} timeZone={await requestTimeZone()} />
      )}
      <Pagination path={PATH} params={params} page={filters.page} pageSize={ADMIN_PAGE_SIZE} shown={rows.length} {...paging} />
    </section>
  );
}
