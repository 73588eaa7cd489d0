import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { cache } from "react";
import { ReviewDetails } from "@/components/reviews/review-details";
import { getDb } from "@/db";
import { accessReviewDetails } from "@/lib/commands/access-reviews";
import { AppError } from "@/lib/errors";
import { requestTimeZone } from "@/lib/request-time-zone";
import { requireAdmin } from "@/lib/session";

type Params = { params: Promise<{ id: string }> };

const load = cache(async (id: string) => {
  await requireAdmin();
  return accessReviewDetails(await getDb(), id).catch((e: unknown) => {
    if (e instanceof AppError && e.code === "review_not_found") notFound();
    throw e;
  });
});

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const { review } = await load((await params).id);
  return { title: `${review.name} · Access review` };
}

/** One review: where it stands, each key's answer, and its report as CSV. */
export default async function AccessReviewPage({ params }: Params) {
  const { id } = await params;
  const [{ review, items }, timeZone] = await Promise.all([load(id), requestTimeZone()]);
  return <ReviewDetails review={review} items={items} timeZone={timeZone} basePath="/admin/reviews" />;
}
