// Units of time and UTC calendar days, in one place for server and browser code alike (this
// module imports nothing). A "day" is always 24 hours of elapsed time here: rules such as "expires
// within 7 days" count milliseconds, never calendar days in some time zone.

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

/** The UTC calendar day of an instant, as YYYY-MM-DD (the form usage rows are stored under). */
export function utcDay(date: Date | number): string {
  return new Date(date).toISOString().slice(0, 10);
}

/** The last `n` UTC days up to and including the one `now` falls on, oldest first (YYYY-MM-DD). */
export function lastUtcDays(n: number, now: Date | number = Date.now()): string[] {
  const end = new Date(now).getTime();
  return Array.from({ length: n }, (_, i) => utcDay(end - (n - 1 - i) * DAY_MS));
}

/** Daily counts for the last `n` UTC days, oldest first, a day without a row counted as zero (a usage chart's bars). */
export function fillUtcDays(rows: readonly { day: string; success: number; failure: number }[], n: number, now: Date | number = Date.now()) {
  const byDay = new Map(rows.map((r) => [r.day, r]));
  return lastUtcDays(n, now).map((day) => ({ day, success: byDay.get(day)?.success ?? 0, failure: byDay.get(day)?.failure ?? 0 }));
}
