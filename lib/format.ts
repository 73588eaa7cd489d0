// Date display, in one place. Dates show in the viewer's time zone: the browser's, sent to the
// server in TIME_ZONE_COOKIE (lib/time-zone.ts; components/layout/time-zone-sync.tsx keeps it current), so the
// server renders the same text the browser would, with no hydration mismatch and no flash. Where
// no zone is known (the first request of a browser, CSV exports, the audit log) dates are UTC and
// say so. Every formatter takes the zone explicitly; none reads the machine's own zone.

const FALLBACK_ZONE = "UTC";

const cache = new Map<string, Intl.DateTimeFormat>();
/** A cached Intl.DateTimeFormat: building one is slow, and a page formats hundreds of dates. */
function formatter(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let f = cache.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, options);
    cache.set(key, f);
  }
  return f;
}

/** "December 2026": the month of `date` in `timeZone` (the monthly review's name). */
export function formatMonth(date: Date, timeZone = FALLBACK_ZONE): string {
  return formatter("en-US", { month: "long", year: "numeric", timeZone }).format(date);
}

/** "Dec 6, 2026": the calendar day of `date` in `timeZone`. */
export function formatDate(date: Date, timeZone = FALLBACK_ZONE): string {
  return formatter("en-US", { dateStyle: "medium", timeZone }).format(date);
}

/** The zone's short name at `date`: "UTC", "CET", "GMT+9", "EST". */
export function timeZoneName(timeZone: string, date: Date = new Date()): string {
  const parts = formatter("en-GB", { timeZone, timeZoneName: "short" }).formatToParts(date);
  return parts.find((p) => p.type === "timeZoneName")?.value ?? timeZone;
}

function hoursMinutes(date: Date, timeZone: string, seconds = false): string {
  return formatter("en-GB", { timeZone, hour: "2-digit", minute: "2-digit", ...(seconds ? { second: "2-digit" } : {}), hourCycle: "h23" }).format(date);
}

/** A date and the time of day, to the minute, naming the zone: "Nov 23, 2026 14:05 UTC", "Nov 24, 2026 08:05 GMT+9". */
export function formatDateTime(date: Date, timeZone = FALLBACK_ZONE): string {
  return `${formatDate(date, timeZone)} ${hoursMinutes(date, timeZone)} ${timeZoneName(timeZone, date)}`;
}

/** The exact time, for a hover: "6 December 2026, 14:03 CET". */
export function formatExact(date: Date, timeZone = FALLBACK_ZONE): string {
  const day = formatter("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone }).format(date);
  return `${day}, ${hoursMinutes(date, timeZone)} ${timeZoneName(timeZone, date)}`;
}

/** The zone as a person reads it: "Asia/Tokyo (GMT+9)", or just "UTC". */
export function describeTimeZone(timeZone: string, date: Date = new Date()): string {
  const name = timeZoneName(timeZone, date);
  return name === timeZone ? timeZone : `${timeZone.replaceAll("_", " ")} (${name})`;
}

/** A date and the time of day in UTC, to the second, for the audit log: "Nov 23, 2026 14:05:09". */
export function formatTimestamp(date: Date): string {
  return `${formatDate(date)} ${hoursMinutes(date, FALLBACK_ZONE, true)}`;
}

/** A calendar day given as YYYY-MM-DD (a usage bucket), as the other dates read: "Dec 6, 2026". */
export function formatDay(day: string): string {
  return formatDate(new Date(`${day}T00:00:00Z`), FALLBACK_ZONE);
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

const RELATIVE = new Intl.RelativeTimeFormat("en", { numeric: "auto" });
