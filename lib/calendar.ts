// Calendar days in a time zone: the day an instant falls on there, and the instant a day begins
// there (a custom expiry date is a day on its chooser's calendar). Pure; no display (lib/format.ts).

const cache = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  let f = cache.get(`${timeZone}|${JSON.stringify(options)}`);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", { ...options, timeZone });
    cache.set(`${timeZone}|${JSON.stringify(options)}`, f);
  }
  return f;
}

/** The calendar day `date` falls on in `timeZone`, as YYYY-MM-DD (what a date input holds). */
export function dayIn(date: Date | number, timeZone: string): string {
  const p = Object.fromEntries(formatter(timeZone, { year: "numeric", month: "2-digit", day: "2-digit" }).formatToParts(date).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day}`;
}

/** How far `timeZone` is ahead of UTC at `instant`, in milliseconds. */
function offsetMs(instant: number, timeZone: string): number {
  const parts = formatter(timeZone, {
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

