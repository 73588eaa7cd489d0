import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { cache } from "react";
import { ReviewDetails } from "@/components/reviews/review-details";
import { accessReviewDetails } from "@/lib/commands/access-reviews";
import { AppError } from "@/lib/errors";
import { requestTimeZone } from "@/lib/request-time-zone";
import { requireTeamMember } from "@/lib/session";

type Params = { params: Promise<{ slug: string; id: string }> };

/** A team's review, once per request: its owners' and admins' only; anyone else, or another team's review, gets a 404. */
const load = cache(async (slug: string, id: string) => {
  const { user, db } = await requireTeamMember(slug);
  return accessReviewDetails(db, id, { limit: 200 }, { actor: { userId: user.id }, team: slug }).catch((e: unknown) => {
    if (e instanceof AppError && ["team_not_found", "team_reviews_admins_only", "review_not_found"].includes(e.code)) notFound();
    throw e;
  });
});

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const { slug, id } = await params;
  const { review } = await load(slug, id);
  return { title: `${review.name} · Access review` };
}

export default async function TeamReviewPage({ params }: Params) {
  const { slug, id } = await params;
  const [{ review, items }, timeZone] = await Promise.all([load(slug, id), requestTimeZone()]);
  return <ReviewDetails review={review} items={items} timeZone={timeZone} basePath={`/t/${slug}/settings/reviews`} />;
}
