import Link from "next/link";
import { buttonVariants } from "@/components/ui/button";

/** Previous/next links that keep every other filter in the URL. */
export function Pagination({
  path,
  params,
  page,
  pageSize,
  total,
}: {
  path: string;
  params: Record<string, string>;
  page: number;
  pageSize: number;
  total: number;
}) {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const href = (p: number) => `${path}?${new URLSearchParams({ ...params, page: String(p) }).toString()}`;
  const from = total === 0 ? 0 : (page - 1) * pageSize + 1;
  const to = Math.min(total, page * pageSize);
  return (
    <nav aria-label="Pagination" className="flex flex-wrap items-center justify-between gap-2 text-sm">
      <p className="text-muted-foreground" aria-live="polite">
        {total === 0 ? "No results" : `${from.toLocaleString("en-US")}–${to.toLocaleString("en-US")} of ${total.toLocaleString("en-US")}`}
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
        {page < pages ? (
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
