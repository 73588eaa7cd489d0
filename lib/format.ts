// Dates render identically on the server and in the browser (fixed locale and time zone), so
// hydration never disagrees; the exact instant is in the <time> element's title.
const DATE = new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeZone: "UTC" });
const RELATIVE = new Intl.RelativeTimeFormat("en", { numeric: "auto" });

export function formatDate(date: Date): string {
  return DATE.format(date);
}

/** A date and the time of day in UTC, to the minute: "Nov 23, 2026 14:05 UTC". */
export function formatDateTime(date: Date): string {
  return `${formatDate(date)} ${date.toISOString().slice(11, 16)} UTC`;
}

/** A date and the time of day in UTC, to the second, for the audit log: "Nov 23, 2026 14:05:09". */
export function formatTimestamp(date: Date): string {
  return `${formatDate(date)} ${date.toISOString().slice(11, 19)}`;
}

export function formatRelative(date: Date, now: Date = new Date()): string {
  const seconds = Math.round((date.getTime() - now.getTime()) / 1000);
  const abs = Math.abs(seconds);
  if (abs < 60) return seconds <= 0 ? "just now" : "in under a minute";
  const units: [Intl.RelativeTimeFormatUnit, number][] = [
    ["minute", 60],
    ["hour", 3600],
    ["day", 86_400],
    ["month", 30 * 86_400],
    ["year", 365 * 86_400],
  ];
  let chosen = units[0]!;
  for (const unit of units) if (abs >= unit[1]) chosen = unit;
  return RELATIVE.format(Math.round(seconds / chosen[1]), chosen[0]);
}
