import Link from "next/link";
import { DateTime } from "@/components/layout/date-time";
import { Badge } from "@/components/ui/badge";
import type { ReviewSummary } from "@/db/queries/access-reviews";
import { PLACES } from "@/lib/glossary";
import { ALL_SCOPES } from "@/lib/scopes";
import { ReviewProgress } from "./review-progress";
import { StartReviewForm, type StartReviewState } from "./start-review-form";

/** Reviews with their progress, and the form that starts one: an administrator's (every key) or a team's (its keys). */
export function ReviewList({
  reviews,
  timeZone,
  start,
  basePath,
  team,
}: {
  reviews: ReviewSummary[];
  timeZone: string;
  start: (state: StartReviewState, form: FormData) => Promise<StartReviewState>;
  basePath: string;
  team?: { name: string };
}) {
  return (
    <div className="grid gap-6">
      <section aria-labelledby="reviews-heading" className="grid gap-4">
        <div className="max-w-3xl">
          <h2 id="reviews-heading" className="text-lg font-semibold">
            {PLACES.accessReviews}
          </h2>
          <p className="text-sm text-muted-foreground">
            {team ? `Ask the team's owners and admins to confirm that the team's keys are still needed.` : "Ask owners to confirm that their keys are still needed, as compliance asks every month."} Each review&apos;s report is a CSV of every key and its
            answer.
          </p>
        </div>
        {reviews.length === 0 ? (
          <p className="rounded-lg border border-dashed p-8 text-center text-sm text-muted-foreground">No reviews yet. Start one below.</p>
        ) : (
          <ul className="grid gap-3" aria-label="Reviews">
            {reviews.map((r) => (
              <li key={r.id} className="grid gap-2 rounded-lg border p-4">
                <div className="flex flex-wrap items-center gap-2">
                  <Link href={`${basePath}/${r.id}`} className="min-w-0 font-medium underline-offset-4 [overflow-wrap:anywhere] hover:underline">
                    {r.name}
                  </Link>
                  <Badge variant={r.status === "open" ? "secondary" : "outline"}>{r.status === "open" ? "Open" : "Ended"}</Badge>
                </div>
                <p className="text-xs text-muted-foreground">
                  Due <DateTime date={r.dueAt} timeZone={timeZone} withTime /> · then {r.onDue === "revoke" ? "revoke" : "flag"} what nobody confirmed · started by{" "}
                  {r.startedByEmail ?? "a deleted account"}
                </p>
                <ReviewProgress counts={r.counts} label={`Progress of ${r.name}`} />
              </li>
            ))}
          </ul>
        )}
      </section>
      <StartReviewForm action={start} scopes={ALL_SCOPES} team={team} />
    </div>
  );
}
