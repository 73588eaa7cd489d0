import { sql, type SQL } from "drizzle-orm";

export const ADMIN_PAGE_SIZE = 50;

/**
 * Lists count at most this many rows past the current page and then say "10,000+": an exact
 * count(*) over 100,000 filtered rows costs more than the page itself, on every request.
 */
export const COUNT_WINDOW = 10_000;

/** One page of a list, as the Pagination component shows it. */
export type Paged<T> = {
  rows: T[];
  /** Exact when `totalIsExact`; otherwise a lower bound ("at least this many"). */
  total: number;
  totalIsExact: boolean;
  hasNext: boolean;
};

/** The LIMIT of the counting subquery for a page starting at `offset`. */
export function countLimit(offset: number): number {
  return offset + COUNT_WINDOW + 1;
}

/** Turns a count taken with countLimit(offset) and a page fetched with pageSize + 1 into a Paged. */
export function toPaged<T>(fetched: T[], counted: number, offset: number, pageSize: number): Paged<T> {
  const limit = countLimit(offset);
  const exact = counted < limit;
  return {
    rows: fetched.slice(0, pageSize),
    total: exact ? counted : limit - 1,
    totalIsExact: exact,
    hasNext: fetched.length > pageSize,
  };
}

/** `text` with LIKE's wildcards taken literally, wrapped for a substring match. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** A LIKE pattern for text that starts with `text`, its wildcards taken literally. */
export function prefixPattern(text: string): string {
  return `${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * Keyset continuation for an ORDER BY (expr dir, id dir): the rows strictly after the last row
 * sent. The cursor carries the sort value as text from the database (cast back here), so
 * timestamps keep their microseconds, which a JavaScript Date would round away.
 */
export function afterCursor(expr: SQL, id: SQL, dir: "asc" | "desc", cursor: { value: string; id: string }, type: "text" | "timestamptz"): SQL {
  const value = type === "text" ? sql`${cursor.value}::text` : sql`${cursor.value}::timestamptz`;
  return dir === "asc" ? sql`(${expr}, ${id}) > (${value}, ${cursor.id}::uuid)` : sql`(${expr}, ${id}) < (${value}, ${cursor.id}::uuid)`;
}
