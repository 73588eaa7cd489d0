// An access review's report as CSV, every key and its answer, streamed page by page: the body of
// both export routes (an administrator's, /admin/reviews/<id>/export, and a team's).
import type { ReviewSummary, reviewItems } from "@/db/queries/access-reviews";
import { csvResponse } from "@/lib/csv";
import { errorFields, log } from "@/lib/log";
import { REVIEW_DECISION_LABELS } from "@/lib/reviews/rules";

const BATCH = 1_000;
type Item = Awaited<ReturnType<typeof reviewItems>>[number];

export function reviewReport(review: ReviewSummary, readPage: (page: { limit: number; offset: number }) => Promise<Item[]>): Promise<Response> {
  async function* batches() {
    for (let offset = 0; ; offset += BATCH) {
      const items = await readPage({ limit: BATCH, offset });
      if (items.length > 0) yield items;
      if (items.length < BATCH) return;
    }
  }
  return csvResponse({
    filename: `keysmith-access-review-${review.createdAt.toISOString().slice(0, 10)}-${review.id.slice(0, 8)}.csv`,
    header: ["review", "due_at", "key_id", "key_name", "key_hint", "access", "owner_email", "team", "answer", "answered_by", "answered_at", "last_used_at"],
    batches: batches(),
    toRow: (i) => [review.name, review.dueAt, i.keyId, i.keyName, i.keyHint, i.access, i.ownerEmail, i.teamSlug, REVIEW_DECISION_LABELS[i.decision], i.decidedByEmail, i.decidedAt, i.lastUsedAt],
    onError: (error) => log.error("reviews.export_failed", errorFields(error)),
  });
}
