"use server";

// A team's access reviews: a thin adapter over lib/commands/access-reviews.ts, which re-reads the
// caller's membership (owners and admins), locked, in the transaction that starts the review.
import { revalidatePath } from "next/cache";
import type { StartReviewState } from "@/components/reviews/start-review-form";
import { withUser } from "@/lib/action";
import { startAccessReview } from "@/lib/commands/access-reviews";
import { messageOf } from "@/lib/errors";

const FIELDS = ["name", "dueDate", "timeZone", "onDue", "scope", "usage"] as const;

export async function startTeamAccessReviewAction(slug: string, _prev: StartReviewState, form: FormData): Promise<StartReviewState> {
  const values: Record<string, string> = {};
  for (const field of FIELDS) {
    const value = form.get(field);
    if (typeof value === "string") values[field] = value;
  }
  const state: StartReviewState = await withUser("startTeamAccessReview", async ({ db, actor }) => {
    const { review, keys } = await startAccessReview(db, actor, values, slug);
    revalidatePath(`/t/${String(slug)}/settings/reviews`);
    return { ok: true, message: `Started “${review.name}”: ${keys === 1 ? "1 key" : `${keys} keys`} to review. The team's owners and admins have been told.`, data: { reviewId: review.id } };
  });
  const inputRefused = !!state.fieldErrors || state.message === messageOf("review_no_keys") || state.message === messageOf("review_too_large");
  return inputRefused ? { ...state, data: { values } } : state;
}
