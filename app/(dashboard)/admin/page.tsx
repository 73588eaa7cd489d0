import type { Metadata } from "next";
import Link from "next/link";
import { UsageChart, type UsageDay } from "@/components/api-keys/usage-chart";
import { getDb } from "@/db";
import { OVERVIEW_LINKS, keyOverview } from "@/db/queries/admin-keys";
import { policy } from "@/lib/policy";
import { requireAdmin } from "@/lib/session";
import { lastUtcDays } from "@/lib/time";

export const metadata: Metadata = { title: "Admin overview" };

/** The last 30 days (UTC) up to today, with zeros for days without requests. */
function lastThirtyDays(perDay: UsageDay[]): UsageDay[] {
  const byDay = new Map(perDay.map((d) => [d.day, d]));
  return lastUtcDays(30).map((day) => ({ day, success: byDay.get(day)?.success ?? 0, failure: byDay.get(day)?.failure ?? 0 }));
}

export default async function AdminOverviewPage() {
  await requireAdmin();
  const { counts, perDay } = await keyOverview(await getDb(), policy.rotationPeriodDays);
  const days = lastThirtyDays(perDay);
  const href = (filters: Record<string, string>) => `/admin/keys?${new URLSearchParams(filters).toString()}`;
  const cards = [
    { label: "Active", value: counts.active, href: href(OVERVIEW_LINKS.active) },
    { label: "Expiring soon", value: counts.expiringSoon, href: href(OVERVIEW_LINKS.expiringSoon) },
    { label: "Rotation due", value: counts.rotationDue, href: href(OVERVIEW_LINKS.rotationDue) },
    { label: "Never used", value: counts.neverUsed, href: href(OVERVIEW_LINKS.neverUsed), hint: "Usable keys never used" },
    { label: "Revoked", value: counts.revoked, href: href(OVERVIEW_LINKS.revoked) },
  ];
  return (
    <section aria-labelledby="overview-heading" className="grid gap-6">
      <h2 id="overview-heading" className="text-lg font-semibold">
        Overview
      </h2>
      <ul className="grid grid-cols-2 gap-3 md:grid-cols-5">
        {cards.map((c) => (
          <li key={c.label}>
            <Link href={c.href} className="block h-full rounded-lg border p-4 hover:bg-accent">
              <span className="block text-sm text-muted-foreground">{c.label}</span>
              <span className="block text-2xl font-semibold tabular-nums">{c.value.toLocaleString("en-US")}</span>
              {c.hint && <span className="block text-xs text-muted-foreground">{c.hint}</span>}
            </Link>
          </li>
        ))}
      </ul>
      <section aria-labelledby="requests-heading" className="grid gap-2">
        <h3 id="requests-heading" className="font-medium">
          Requests per day, all keys
        </h3>
        <UsageChart days={days} />
      </section>
    </section>
  );
}
