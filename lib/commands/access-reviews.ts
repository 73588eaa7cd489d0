import "server-only";
import type { Database } from "@/db/client";
import { closeDueReviews, countPendingFor, decideItem, findReview, insertReview, listReviews, pendingItemsFor, reviewItems } from "@/db/queries/access-reviews";
import { policy } from "../policy";
import { AppError } from "../errors";
import { mailConfigured } from "../mail";
import { parseInput, uuidSchema } from "../validation/common";
import { reviewDecisionInput, startAccessReviewInput } from "../validation/access-review.schema";
import type { Actor } from "./actor";

// Access reviews: an administrator starts one over a set of keys; each key's owner (a team key's
// owners and admins) confirms or revokes it; at the due date the rest are revoked or flagged. The
// admin check, the answerer check and the revocations run inside the transactions that write
// (db/queries/access-reviews.ts).

/** Starts a review (admins only: anyone else is not found, checked in the transaction). */
export async function startAccessReview(db: Database, actor: Actor, raw: unknown) {
  const input = parseInput(startAccessReviewInput, { ...(raw as object), now: new Date(Date.now() + actor.clockOffsetMs) });
  return insertReview(db, {
    adminId: actor.userId,
    name: input.name,
    dueAt: input.dueAt,
    onDue: input.onDue,
    filters: input.filters,
    context: actor.context,
    rotationDays: policy.rotationPeriodDays,
    mail: mailConfigured(),
  });
}

/** The admin's list of reviews with their progress (the page checks the role; so does every action). */
export async function accessReviews(db: Database) {
  return listReviews(db);
}

/** One review with a page of its keys (pending first). A malformed or unknown id is not found. */
export async function accessReviewDetails(db: Database, rawId: unknown, page: { limit: number; offset?: number } = { limit: 200 }) {
  const parsed = uuidSchema.safeParse(rawId);
  if (!parsed.success) throw new AppError("review_not_found");
  const review = await findReview(db, parsed.data);
  if (!review) throw new AppError("review_not_found");
  return { review, items: await reviewItems(db, review.id, page) };
}

/** "Review your keys": what waits for this person's answer. */
export async function myReviewItems(db: Database, actor: Pick<Actor, "userId">) {
  return pendingItemsFor(db, actor.userId);
}

export async function myPendingReviewCount(db: Database, actor: Pick<Actor, "userId">): Promise<number> {
  return countPendingFor(db, actor.userId);
}

/** An answer for one key: still needed (confirmed) or revoked now. */
export async function answerReviewItem(db: Database, actor: Actor, raw: unknown): Promise<{ keyName: string; decision: "confirmed" | "revoked" }> {
  // A malformed id answers like someone else's item: not found (no oracle for which ids exist).
  const ids = raw && typeof raw === "object" ? (raw as Record<string, unknown>) : {};
  if (!uuidSchema.safeParse(ids.reviewId).success || !uuidSchema.safeParse(ids.keyId).success) throw new AppError("review_item_not_found");
  const input = parseInput(reviewDecisionInput, raw);
  const { keyName } = await decideItem(db, { userId: actor.userId, reviewId: input.reviewId, keyId: input.keyId, decision: input.decision, context: actor.context, clockOffsetMs: actor.clockOffsetMs });
  return { keyName, decision: input.decision };
}

/** The due scan (lib/jobs/app-jobs.ts). */
export async function closeDueAccessReviews(db: Database, clockOffsetMs: number) {
  return closeDueReviews(db, { clockOffsetMs, mail: mailConfigured() });
}
