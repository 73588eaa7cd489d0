// GET /admin/reviews/<id>/export: one access review's report as CSV, every key and its answer.
// Admins only (others: 404, checked before anything else so the endpoint does not reveal itself).
import { getDb } from "@/db";
import { accessReviewDetails } from "@/lib/commands/access-reviews";
import { AppError } from "@/lib/errors";
import { currentUser, needsSecondFactorSetup } from "@/lib/session";
import { reviewReport } from "../../report";

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
  return reviewReport(found.review, async (page) => (await accessReviewDetails(db, found.review.id, page)).items);
}
