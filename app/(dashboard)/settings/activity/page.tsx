import type { Metadata } from "next";
import { AuditTable } from "@/components/admin/audit-table";
import { Pagination } from "@/components/ui/pagination";
import { getDb } from "@/db";
import { listActivity } from "@/db/queries/audit-log";
import { ADMIN_PAGE_SIZE } from "@/db/queries/paging";
import { requestTimeZone } from "@/lib/request-time-zone";
import { requireUser } from "@/lib/session";
import { readFilters } from "@/lib/url-filters";
import { activityFilters } from "@/lib/validation/admin.schema";

export const metadata: Metadata = { title: "Activity" };

const PATH = "/settings/activity";

/**
 * The signed-in user's security events, newest first: what they did, and what others did to
 * their account or keys. Other people are not named: an admin is "An administrator".
 */
export default async function ActivityPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requireUser();
  const { page } = readFilters(activityFilters, await searchParams, PATH);
  const { rows, ...paging } = await listActivity(await getDb(), user.id, page);
  const actorOf = (actorId: string | null) => (actorId === user.id ? "You" : actorId ? "An administrator" : null);
  return (
    <section aria-labelledby="activity-heading" className="grid gap-4">
      <div>
        <h2 id="activity-heading" className="text-lg font-semibold">
          Activity
        </h2>
        <p className="text-sm text-muted-foreground">
          Sign-ins and changes to your account and keys, by you or by others. If you see something you did not do, rotate or
          delete the key involved and change your password.
        </p>
      </div>
      {rows.length === 0 ? (
        <p className="rounded-lg border border-dashed p-8 text-center text-sm text-muted-foreground">No activity yet.</p>
      ) : (
        <AuditTable
          rows={rows.map((r) => ({ ...r, actor: actorOf(r.actorId) }))}
          timeZone={await requestTimeZone()}
          keyHref={(id) => `/settings/api-keys/${id}`}
        />
      )}
      <Pagination path={PATH} params={{}} page={page} pageSize={ADMIN_PAGE_SIZE} shown={rows.length} {...paging} />
    </section>
  );
}
