"use server";

// Admin -> Access reviews: a thin adapter over lib/commands/access-reviews.ts.
import { revalidatePath } from "next/cache";
import { withAdmin } from "@/lib/action";
import { messageOf } from "@/lib/errors";
import { startAccessReview } from "@/lib/commands/access-reviews";
import type { StartReviewState } from "@/components/reviews/start-review-form";

const FIELDS = ["name", "dueDate", "timeZone", "onDue", "owner", "team", "scope", "usage"] as const;

export async function startAccessReviewAction(_prev: StartReviewState, form: FormData): Promise<StartReviewState> {
  const values: Record<string, string> = {};
  for (const field of FIELDS) {
    const value = form.get(field);
    if (typeof value === "string") values[field] = value;
  }
  const state: StartReviewState = await withAdmin("startAccessReview", async ({ db, actor }) => {
    const { review, keys } = await startAccessReview(db, actor, values);
    revalidatePath("/admin/reviews");
    return { ok: true, message: `Started “${review.name}”: ${keys === 1 ? "1 key" : `${keys} keys`} to review. Their owners have been told.`, data: { reviewId: review.id } };
  });
  // The form is filled again with what was sent when the input is what was refused (never echoed
  // to a caller refused for who they are).
  const inputRefused = !!state.fieldErrors || state.message === messageOf("review_no_keys") || state.message === messageOf("review_too_large");
  return inputRefused ? { ...state, data: { values } } : state;
}
