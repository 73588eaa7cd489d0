import { reviewProgress, type ReviewDecision } from "@/lib/reviews/rules";

/** How far a review has come: a bar with its words (decided of total, and the percentage). */
export function ReviewProgress({ counts, label }: { counts: Partial<Record<ReviewDecision, number>>; label: string }) {
  const { total, decided, percent } = reviewProgress(counts);
  return (
    <div className="grid gap-1">
      <div role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent} aria-valuetext={`${decided} of ${total} keys answered`} className="h-2 w-full overflow-hidden rounded-full bg-muted">
        <div className="h-full bg-primary" style={{ width: `${percent}%` }} />
      </div>
      <p className="text-xs text-muted-foreground">
        {decided} of {total === 1 ? "1 key" : `${total} keys`} answered ({percent}%)
      </p>
    </div>
  );
}
