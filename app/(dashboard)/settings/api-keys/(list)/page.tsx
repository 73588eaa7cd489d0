import type { Metadata } from "next";
import { headers } from "next/headers";
import Link from "next/link";
import { redirect } from "next/navigation";
import { AttentionReason } from "@/components/api-keys/attention-reason";
import { toKeyRow } from "@/components/api-keys/key-row";
import { KeysSection } from "@/components/api-keys/keys-section";
import { KeysPageOfList } from "@/components/api-keys/keys-table";
import { getDb } from "@/db";
import { KEYS_PAGE_SIZE, keysNeedingAttention, pageApiKeys } from "@/db/queries/api-key-list";
import type { ApiKeySummary } from "@/db/queries/api-keys";
import { myPendingReviewCount } from "@/lib/commands/access-reviews";
import { policy } from "@/lib/policy";
import { requestNow } from "@/lib/request-clock";
import { requestOrigin } from "@/lib/request-context";
import { requestTimeZone } from "@/lib/request-time-zone";
import { requireUser } from "@/lib/session";
import { PLACES } from "@/lib/glossary";

export const metadata: Metadata = { title: PLACES.apiKeys };

const PATH = "/settings/api-keys";

/** `?page=N` (1 to 10,000); anything else is page 1. */
function pageOf(value: string | string[] | undefined): number {
  const n = typeof value === "string" && /^[1-9]\d{0,3}$/.test(value) ? Number(value) : 1;
  return Math.min(n, 10_000);
}

// Server-side paging (50 keys a page), so an account with 1,000 keys renders as fast as one with
// 50; the attention banner has its own query, so it covers every page.
export default async function ApiKeysPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requireUser();
  const page = pageOf((await searchParams).page);
  const db = await getDb();
  const now = await requestNow();
  const [list, attention, toReview] = await Promise.all([
    pageApiKeys(db, user.id, page),
    keysNeedingAttention(db, user.id, now, policy.rotationPeriodDays),
    myPendingReviewCount(db, { userId: user.id }),
  ]);
  // Past the last page (e.g. after deleting its last key): show the last page that exists.
  if (list.rows.length === 0 && list.total > 0) redirect(`${PATH}?page=${Math.ceil(list.total / KEYS_PAGE_SIZE)}`);
  const toRow = (k: ApiKeySummary) => toKeyRow(k, now, policy.rotationPeriodDays);
  const rows = list.rows.map(toRow);
  // Already exactly the expired, expiring-soon and rotation-due keys (ATTENTION_STATUSES).
  const attentionRows = attention.rows.map(toRow).map((row) => ({ row, reason: <AttentionReason row={row} now={now} /> }));
  const origin = requestOrigin(await headers());
  const timeZone = await requestTimeZone();

  return (
    <>
      {toReview > 0 && (
        <p role="status" className="mb-4 rounded-md border border-warning/60 bg-warning/10 p-3 text-sm">
          An access review asks about {toReview === 1 ? "1 of your keys" : `${toReview} of your keys`}.{" "}
          <Link href="/settings/reviews" className="font-medium underline underline-offset-4">
            {PLACES.reviewYourKeys}
          </Link>
        </p>
      )}
      <KeysSection
        origin={origin}
        attention={attentionRows}
        attentionTotal={attention.total}
        total={list.total}
        maxLifetimeDays={policy.maxLifetimeDays}
      >
        <KeysPageOfList rows={rows} list={list} page={page} pageSize={KEYS_PAGE_SIZE} path={PATH} now={now} timeZone={timeZone} />
      </KeysSection>
    </>
  );
}
