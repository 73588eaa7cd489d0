import type { Metadata } from "next";
import Link from "next/link";
import { DateTime } from "@/components/layout/date-time";
import { ReviewAnswers } from "@/components/reviews/review-answers";
import { getDb } from "@/db";
import { myReviewItems } from "@/lib/commands/access-reviews";
import { PLACES } from "@/lib/glossary";
import { keyPagePath } from "@/lib/keys/paths";
import { requestTimeZone } from "@/lib/request-time-zone";
import { requireUser } from "@/lib/session";
import { answerReviewItemAction } from "./actions";

export const metadata: Metadata = { title: PLACES.reviewYourKeys };

/** "Review your keys": each key an access review asks this person about (theirs, and their teams' if they own or administer them). */
export default async function ReviewYourKeysPage() {
  const user = await requireUser();
  const [items, timeZone] = await Promise.all([myReviewItems(await getDb(), { userId: user.id }), requestTimeZone()]);
  const reviews = new Map<string, { name: string; dueAt: Date; onDue: string; items: typeof items }>();
  for (const item of items) {
    const entry = reviews.get(item.reviewId) ?? { name: item.reviewName, dueAt: item.dueAt, onDue: item.onDue, items: [] };
    entry.items.push(item);
    reviews.set(item.reviewId, entry);
  }
  return (
    <section aria-labelledby="reviews-heading" className="grid gap-4">
      <div className="max-w-3xl">
        <h2 id="reviews-heading" tabIndex={-1} className="text-lg font-semibold focus-visible:outline-2 focus-visible:outline-ring">
          {PLACES.reviewYourKeys}
        </h2>
        <p className="text-sm text-muted-foreground">
          An administrator asks whether these keys are still needed. For each, answer &ldquo;Still needed&rdquo;, or revoke it if nothing uses it any more.
        </p>
      </div>
      {reviews.size === 0 ? (
        <p className="rounded-lg border border-dashed p-8 text-center text-sm text-muted-foreground">Nothing to review. When an access review asks about one of your keys, it shows here.</p>
      ) : (
        [...reviews].map(([reviewId, review]) => (
          <section key={reviewId} aria-labelledby={`review-${reviewId}`} className="grid gap-3 rounded-lg border p-4">
            <div>
              <h3 id={`review-${reviewId}`} className="font-medium [overflow-wrap:anywhere]">
                {review.name}
              </h3>
              <p className="text-sm text-muted-foreground">
                Answer by <DateTime date={review.dueAt} timeZone={timeZone} withTime />.{" "}
                {review.onDue === "revoke" ? "Keys nobody confirms by then are revoked." : "Keys nobody confirms by then are flagged for the administrator."}
              </p>
            </div>
            <ul className="grid gap-2" aria-label={`Keys to review in ${review.name}`}>
              {review.items.map((item) => (
                <li key={item.keyId} className="flex flex-wrap items-center justify-between gap-3 rounded-md border p-3">
                  <div className="min-w-0">
                    <Link href={keyPagePath(item.keyId, item.teamSlug ?? undefined)} className="font-medium underline-offset-4 [overflow-wrap:anywhere] hover:underline">
                      {item.keyName}
                    </Link>
                    <p className="text-xs text-muted-foreground">
                      <span className="font-mono">{item.keyHint}</span>
                      {item.teamName ? ` · team ${item.teamName}` : ""} ·{" "}
                      {item.lastUsedAt ? (
                        <>
                          last used <DateTime date={item.lastUsedAt} timeZone={timeZone} />
                        </>
                      ) : (
                        "never used"
                      )}
                    </p>
                  </div>
                  <ReviewAnswers reviewId={reviewId} keyId={item.keyId} keyName={item.keyName} answer={answerReviewItemAction} />
                </li>
              ))}
            </ul>
          </section>
        ))
      )}
    </section>
  );
}
