import type { Metadata } from "next";
import { ReviewList } from "@/components/reviews/review-list";
import { getDb } from "@/db";
import { accessReviews } from "@/lib/commands/access-reviews";
import { PLACES } from "@/lib/glossary";
import { requestTimeZone } from "@/lib/request-time-zone";
import { requireAdmin } from "@/lib/session";
import { startAccessReviewAction } from "./actions";

export const metadata: Metadata = { title: PLACES.accessReviews };

/** Admin -> Access reviews: start one, and follow each one's progress (teams' own reviews too). */
export default async function AccessReviewsPage() {
  await requireAdmin();
  const [reviews, timeZone] = await Promise.all([accessReviews(await getDb()), requestTimeZone()]);
  return <ReviewList reviews={reviews} timeZone={timeZone} start={startAccessReviewAction} basePath="/admin/reviews" />;
}
