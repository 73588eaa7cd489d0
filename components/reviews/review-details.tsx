import Link from "next/link";
import { DateTime } from "@/components/layout/date-time";
import { Badge } from "@/components/ui/badge";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { ReviewSummary, reviewItems } from "@/db/queries/access-reviews";
import { PLACES } from "@/lib/glossary";
import { REVIEW_DECISIONS, REVIEW_DECISION_LABELS } from "@/lib/reviews/rules";
import { ReviewProgress } from "./review-progress";

const FILTER_WORDS: Record<string, string> = { owner: "owner", team: "team", scope: "scope", usage: "use" };

/** One review: where it stands, each key's answer, and its report as CSV (an administrator's or a team's). */
export function ReviewDetails({
  review,
  items,
  timeZone,
  basePath,
}: {
  review: ReviewSummary;
  items: Awaited<ReturnType<typeof reviewItems>>;
  timeZone: string;
  basePath: string;
}) {
  const filters = Object.entries(review.filters);
  return (
    <div className="grid gap-6">
      <nav aria-label="Breadcrumb" className="text-sm">
        <Link href={basePath} className="text-muted-foreground underline-offset-4 hover:underline">
          {PLACES.accessReviews}
        </Link>
      </nav>
      <section aria-labelledby="review-heading" className="grid gap-3">
        <div className="flex flex-wrap items-center gap-2">
          <h2 id="review-heading" className="min-w-0 text-lg font-semibold [overflow-wrap:anywhere]">
            {review.name}
          </h2>
          <Badge variant={review.status === "open" ? "secondary" : "outline"}>{review.status === "open" ? "Open" : "Ended"}</Badge>
        </div>
        <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
          <dt className="text-muted-foreground">Due</dt>
          <dd>
            <DateTime date={review.dueAt} timeZone={timeZone} withTime />
          </dd>
          <dt className="text-muted-foreground">Then</dt>
          <dd>{review.onDue === "revoke" ? "Keys nobody confirmed are revoked" : "Keys nobody confirmed are flagged"}</dd>
          <dt className="text-muted-foreground">Keys</dt>
          <dd className="[overflow-wrap:anywhere]">{filters.length === 0 ? "Every usable key" : filters.map(([k, v]) => `${FILTER_WORDS[k] ?? k}: ${v}`).join(" · ")}</dd>
          <dt className="text-muted-foreground">Started</dt>
          <dd>
            <DateTime date={review.createdAt} timeZone={timeZone} withTime /> by {review.startedByEmail ?? "a deleted account"}
          </dd>
        </dl>
        <ReviewProgress counts={review.counts} label={`Progress of ${review.name}`} />
        <ul className="flex flex-wrap gap-x-4 gap-y-1 text-sm" aria-label="Answers">
          {REVIEW_DECISIONS.filter((d) => review.counts[d]).map((d) => (
            <li key={d}>
              {REVIEW_DECISION_LABELS[d]}: <span className="font-medium">{review.counts[d]}</span>
            </li>
          ))}
        </ul>
        <div>
          <a href={`${basePath}/${review.id}/export`} className="text-sm font-medium underline underline-offset-4" download>
            Download the report (CSV)
          </a>
        </div>
      </section>
      <section aria-labelledby="items-heading" className="grid gap-2">
        <h3 id="items-heading" className="font-semibold">
          Keys{items.length === 200 ? " (the first 200: the report has them all)" : ""}
        </h3>
        <Table aria-labelledby="items-heading">
          <TableHeader>
            <TableRow>
              <TableHead>Key</TableHead>
              <TableHead>Owner</TableHead>
              <TableHead>Answer</TableHead>
              <TableHead>Answered</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {items.map((item) => (
              <TableRow key={item.keyId}>
                <TableCell className="align-top whitespace-normal [overflow-wrap:anywhere]">
                  {item.keyName} <span className="font-mono text-xs text-muted-foreground">{item.keyHint}</span>
                </TableCell>
                <TableCell className="align-top whitespace-normal [overflow-wrap:anywhere]">{item.teamName ? `Team ${item.teamName}` : (item.ownerEmail ?? "a deleted account")}</TableCell>
                <TableCell className="align-top whitespace-normal">{REVIEW_DECISION_LABELS[item.decision]}</TableCell>
                <TableCell className="align-top whitespace-normal [overflow-wrap:anywhere]">
                  {item.decidedAt ? (
                    <>
                      <DateTime date={item.decidedAt} timeZone={timeZone} withTime />
                      {item.decidedByEmail ? ` by ${item.decidedByEmail}` : ""}
                    </>
                  ) : (
                    "—"
                  )}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </section>
    </div>
  );
}
