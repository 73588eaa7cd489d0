// Date display, in one place. Dates show in the viewer's time zone: the browser's, sent to the
// server in the TIME_ZONE_COOKIE (components/layout/time-zone-sync.tsx keeps it current), so the
// server renders the same text the browser would, with no hydration mismatch and no flash. Where
// no zone is known (the first request of a browser, CSV exports, the audit log) dates are UTC and
// say so. Every formatter takes the zone explicitly; none reads the machine's own zone.

export const TIME_ZONE_COOKIE = "tz";
const FALLBACK_ZONE = "UTC";

const cache = new Map<string, Intl.DateTimeFormat>();
function formatter(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let f = cache.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, options);
    cache.set(key, f);
  }
  return f;
}

/** An IANA time zone the runtime knows ("Asia/Tokyo"), or null for anything else. */
export function validTimeZone(value: unknown): string | null {
  if (typeof value !== "string" || value.length === 0 || value.length > 64 || !/^[A-Za-z0-9_+\-/]+$/.test(value)) return null;
  try {
    return formatter("en-US", { timeZone: value }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

/** The browser's (or the process's) time zone. */
export function runtimeTimeZone(): string {
  return validTimeZone(Intl.DateTimeFormat().resolvedOptions().timeZone) ?? FALLBACK_ZONE;
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

/** The calendar day `date` falls on in `timeZone`, as YYYY-MM-DD (what a date input holds). */
export function dayIn(date: Date | number, timeZone: string): string {
  const p = Object.fromEntries(formatter("en-US", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).formatToParts(date).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day}`;
}

/** How far `timeZone` is ahead of UTC at `instant`, in milliseconds. */
function offsetMs(instant: number, timeZone: string): number {
  const parts = formatter("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "numeric",
    day: "numeric",
    hour: "numeric",
    minute: "numeric",
    second: "numeric",
  }).formatToParts(instant);
  const n = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const asUtc = Date.UTC(n("year"), n("month") - 1, n("day"), n("hour"), n("minute"), n("second"));
  return asUtc - Math.floor(instant / 1000) * 1000;
}

/** The instant a calendar day (YYYY-MM-DD) begins in `timeZone`, or null for a malformed or impossible day. */
export function startOfDayIn(day: string, timeZone: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return null;
  const wall = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  if (new Date(wall).toISOString().slice(0, 10) !== day) return null;
  // Two passes: the offset at the guess can differ from the offset at the answer across a DST change.
  const guess = wall - offsetMs(wall, timeZone);
  return new Date(wall - offsetMs(guess, timeZone));
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
