// GET /admin/reviews/<id>/export: one access review's report as CSV, every key and its answer.
// Admins only (others: 404, checked before anything else so the endpoint does not reveal itself).
import { getDb } from "@/db";
import { accessReviewDetails } from "@/lib/commands/access-reviews";
import { csvResponse } from "@/lib/csv";
import { AppError } from "@/lib/errors";
import { errorFields, log } from "@/lib/log";
import { REVIEW_DECISION_LABELS } from "@/lib/reviews/rules";
import { currentUser, needsSecondFactorSetup } from "@/lib/session";

const BATCH = 1_000;

export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  const user = await currentUser();
  if (user?.role !== "admin" || needsSecondFactorSetup(user)) return new Response("Not found", { status: 404 });
  const db = await getDb();
  const { id } = await params;
  const found = await accessReviewDetails(db, id, { limit: 0 }).catch((error: unknown) => {
    if (error instanceof AppError && error.code === "review_not_found") return null;
    throw error;
  });
  if (!found) return new Response("Not found", { status: 404 });
  const { review } = found;
  async function* batches() {
    for (let offset = 0; ; offset += BATCH) {
      const { items } = await accessReviewDetails(db, review.id, { limit: BATCH, offset });
      if (items.length > 0) yield items;
      if (items.length < BATCH) return;
    }
  }
  return csvResponse({
    filename: `keysmith-access-review-${review.createdAt.toISOString().slice(0, 10)}-${review.id.slice(0, 8)}.csv`,
    header: ["review", "due_at", "key_id", "key_name", "key_hint", "access", "owner_email", "team", "answer", "answered_by", "answered_at", "last_used_at"],
    batches: batches(),
    toRow: (i) => [review.name, review.dueAt, i.keyId, i.keyName, i.keyHint, i.access, i.ownerEmail, i.teamSlug, REVIEW_DECISION_LABELS[i.decision], i.decidedByEmail, i.decidedAt, i.lastUsedAt],
    onError: (error) => log.error("admin.review_export_failed", errorFields(error)),
  });
}
