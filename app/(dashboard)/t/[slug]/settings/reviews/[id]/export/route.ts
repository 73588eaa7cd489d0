// GET /t/<address>/settings/reviews/<id>/export: a team's access review as CSV. The team's owners
// and admins only: anyone else (a developer, a viewer, a non-member, another team's review) gets 404.
import { getDb } from "@/db";
import { accessReviewDetails } from "@/lib/commands/access-reviews";
import { AppError } from "@/lib/errors";
import { currentUser, needsSecondFactorSetup } from "@/lib/session";
import { reviewReport } from "../../../../../../admin/reviews/report";

const HIDDEN = ["review_not_found", "team_not_found", "team_reviews_admins_only"];

export async function GET(_request: Request, { params }: { params: Promise<{ slug: string; id: string }> }) {
  const user = await currentUser();
  if (!user || needsSecondFactorSetup(user)) return new Response("Not found", { status: 404 });
  const db = await getDb();
  const { slug, id } = await params;
  const scope = { actor: { userId: user.id }, team: slug };
  const found = await accessReviewDetails(db, id, { limit: 0 }, scope).catch((error: unknown) => {
    if (error instanceof AppError && HIDDEN.includes(error.code)) return null;
    throw error;
  });
  if (!found) return new Response("Not found", { status: 404 });
  return reviewReport(found.review, async (page) => (await accessReviewDetails(db, found.review.id, page, scope)).items);
}
