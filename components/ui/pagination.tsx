import Link from "next/link";
import { buttonVariants } from "@/components/ui/button";

const n = (value: number) => value.toLocaleString("en-US");

/**
 * Previous/next links that keep every other filter in the URL. Lists count only so far
 * (db/queries/paging.ts), so a large total reads "of 10,000+"; "Next" comes from whether the
 * database returned one row more than a page, not from the count.
 */
export function Pagination({
  path,
  params,
  page,
  pageSize,
  shown,
  total,
  totalIsExact,
  hasNext,
}: {
  path: string;
  params: Record<string, string>;
  page: number;
  pageSize: number;
  /** Rows on this page. */
  shown: number;
  total: number;
  totalIsExact: boolean;
  hasNext: boolean;
}) {
  const href = (p: number) => `${path}?${new URLSearchParams({ ...params, page: String(p) }).toString()}`;
  const from = (page - 1) * pageSize + 1;
  const to = (page - 1) * pageSize + shown;
  const of = totalIsExact ? n(total) : `${n(total)}+`;
  return (
    <nav aria-label="Pagination" className="flex flex-wrap items-center justify-between gap-2 text-sm">
      <p className="text-muted-foreground" aria-live="polite">
        {shown === 0 ? (page > 1 ? `No results on page ${n(page)}` : "No results") : `${n(from)}–${n(to)} of ${of}`}
      </p>
      <div className="flex gap-2">
        {page > 1 ? (
          <Link className={buttonVariants({ variant: "outline", size: "sm" })} href={href(page - 1)} rel="prev">
            Previous
          </Link>
        ) : (
          <span className={buttonVariants({ variant: "outline", size: "sm", className: "pointer-events-none opacity-50" })} aria-disabled="true">
            Previous
          </span>
        )}
        {hasNext ? (
          <Link className={buttonVariants({ variant: "outline", size: "sm" })} href={href(page + 1)} rel="next">
            Next
          </Link>
        ) : (
          <span className={buttonVariants({ variant: "outline", size: "sm", className: "pointer-events-none opacity-50" })} aria-disabled="true">
            Next
          </span>
        )}
      </div>
    </nav>
  );
}
