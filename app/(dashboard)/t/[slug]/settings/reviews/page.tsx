import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { ReviewList } from "@/components/reviews/review-list";
import { accessReviews } from "@/lib/commands/access-reviews";
import { AppError, messageOf } from "@/lib/errors";
import { PLACES } from "@/lib/glossary";
import { requestTimeZone } from "@/lib/request-time-zone";
import { requireTeamMember } from "@/lib/session";
import { startTeamAccessReviewAction } from "./actions";

export const metadata: Metadata = { title: PLACES.accessReviews };

// A team's own access reviews: its owners and admins start and follow them (lib/commands decides,
// on the membership locked in its read); a developer or viewer is told whom to ask; a non-member
// gets the 404 an unknown team gets.
export default async function TeamReviewsPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const { user, db, membership } = await requireTeamMember(slug);
  const reviews = await accessReviews(db, { userId: user.id }, slug).catch((e: unknown) => {
    if (e instanceof AppError && e.code === "team_not_found") notFound();
    if (e instanceof AppError && e.code === "team_reviews_admins_only") return null;
    throw e;
  });
  if (!reviews) {
    return (
      <section aria-labelledby="reviews-heading" className="grid gap-2">
        <h2 id="reviews-heading" className="text-lg font-semibold">
          {PLACES.accessReviews}
        </h2>
        <p className="text-sm text-muted-foreground">{messageOf("team_reviews_admins_only")}</p>
      </section>
    );
  }
  return (
    <ReviewList
      reviews={reviews}
      timeZone={await requestTimeZone()}
      start={startTeamAccessReviewAction.bind(null, membership.team.slug)}
      basePath={`/t/${membership.team.slug}/settings/reviews`}
      team={{ name: membership.team.name }}
    />
  );
}
