import type { Metadata } from "next";
import Link from "next/link";
import { AdminKeysTable, type AdminKeyRow } from "@/components/admin/admin-keys-table";
import { FilterForm } from "@/components/admin/filter-form";
import { buttonVariants } from "@/components/ui/button";
import { Pagination } from "@/components/ui/pagination";
import { getDb } from "@/db";
import { countRevocable, listAllKeys } from "@/db/queries/admin-keys";
import { ADMIN_PAGE_SIZE } from "@/db/queries/paging";
import { keyStatus, STATUS_LABELS } from "@/lib/keys/status";
import { policy } from "@/lib/policy";
import { requestTimeZone } from "@/lib/request-time-zone";
import { ALL_SCOPES, describeAccess } from "@/lib/scopes";
import { requireAdmin } from "@/lib/session";
import { activeParams, readFilters } from "@/lib/url-filters";
import { BULK_REVOKE_MAX, KEY_STATUS_FILTERS, NARROWING_FILTERS, SEARCH_MIN, adminKeyFilters, type KeyStatusFilter } from "@/lib/validation/admin.schema";
import { PLACES } from "@/lib/glossary";

export const metadata: Metadata = { title: PLACES.allApiKeys };

const PATH = "/admin/keys";
const STATUS_FILTER_LABELS: Record<KeyStatusFilter, string> = { ...STATUS_LABELS, usable: "Usable (not revoked or expired)" };

export default async function AdminKeysPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireAdmin();
  const raw = await searchParams;
  const filters = readFilters(adminKeyFilters, raw, PATH);
  const shortSearch = !!filters.q && filters.q.length < SEARCH_MIN;
  const db = await getDb();
  const { rows, ...paging } = await listAllKeys(db, filters, policy.rotationPeriodDays);
  // "Revoke all matching" is offered once the list is narrowed by a filter, with the count it would revoke.
  const narrowed = NARROWING_FILTERS.some((name) => filters[name] !== undefined);
  const revocable = narrowed ? await countRevocable(db, filters, policy.rotationPeriodDays) : 0;
  const now = new Date();
  const data: AdminKeyRow[] = rows.map((r) => ({
    id: r.id,
    name: r.name,
    hint: r.hint,
    access: describeAccess(r.access, r.scopes),
    owner: r.teamId ? { kind: "team", name: r.teamName!, slug: r.teamSlug! } : { kind: "user", email: r.ownerEmail!, name: r.ownerName! },
    createdAt: r.createdAt,
    lastUsedAt: r.lastUsedAt,
    expiresAt: r.expiresAt,
    status: keyStatus(r, now, policy.rotationPeriodDays),
    revokedReason: r.revokedReason,
  }));
  const params = activeParams(filters);
  return (
    <section aria-labelledby="admin-keys-heading" className="grid gap-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h2 id="admin-keys-heading" className="text-lg font-semibold">
          {PLACES.allApiKeys}
        </h2>
        <Link href={`${PATH}/export?${new URLSearchParams(params).toString()}`} className={buttonVariants({ variant: "outline", size: "sm" })} prefetch={false}>
          Export CSV
        </Link>
      </div>
      <FilterForm
        path={PATH}
        label="Filter keys"
        fields={[
          { kind: "text", name: "q", label: "Search", placeholder: "Name, key hint or owner's email", value: typeof raw.q === "string" ? raw.q : undefined },
          { kind: "text", name: "owner", label: "Owner", placeholder: "Exact email or user id", value: filters.owner },
          { kind: "text", name: "team", label: "Team", placeholder: "Exact team slug", value: filters.team },
          {
            kind: "select",
            name: "status",
            label: "Status",
            value: filters.status,
            options: [{ value: "", label: "Any status" }, ...KEY_STATUS_FILTERS.map((s) => ({ value: s, label: STATUS_FILTER_LABELS[s] }))],
          },
          { kind: "select", name: "scope", label: "Scope", value: filters.scope, options: [{ value: "", label: "Any scope" }, ...ALL_SCOPES.map((s) => ({ value: s, label: s }))] },
          {
            kind: "select",
            name: "usage",
            label: "Usage",
            value: filters.usage,
            options: [
              { value: "", label: "Any usage" },
              { value: "never", label: "Never used" },
              { value: "stale", label: "Unused for 90+ days" },
            ],
          },
          {
            kind: "select",
            name: "sort",
            label: "Sort by",
            value: filters.sort,
            options: [
              { value: "created", label: "Created" },
              { value: "last_used", label: "Last used" },
              { value: "expires", label: "Expires" },
              { value: "name", label: "Name" },
            ],
          },
          { kind: "select", name: "dir", label: "Order", value: filters.dir, options: [{ value: "desc", label: "Descending" }, { value: "asc", label: "Ascending" }] },
        ]}
      />
      {shortSearch && (
        <p role="status" className="text-sm text-muted-foreground">
          Showing keys whose names start with “{filters.q}”. With {SEARCH_MIN} or more characters, search finds text anywhere in names,
          key hints and owners&apos; emails.
        </p>
      )}
      {data.length === 0 ? (
        <p className="rounded-lg border border-dashed p-8 text-center text-sm text-muted-foreground">
          No keys match these filters. Clear them to see every key.
        </p>
      ) : (
        <AdminKeysTable
          rows={data}
          now={now}
          timeZone={await requestTimeZone()}
          matching={revocable > 0 ? { count: revocable, tooMany: revocable > BULK_REVOKE_MAX, max: BULK_REVOKE_MAX, filters: params } : null}
        />
      )}
      <Pagination path={PATH} params={params} page={filters.page} pageSize={ADMIN_PAGE_SIZE} shown={rows.length} {...paging} />
    </section>
  );
}
