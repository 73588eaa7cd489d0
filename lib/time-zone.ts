// Which time zone: the viewer's (the browser's, told to the server in a cookie). Calendar days in a
// zone are lib/calendar.ts, display is lib/format.ts: each apart, so the code every dashboard page
// loads to send the zone (components/layout/time-zone-sync.tsx) stays a few lines.

export const TIME_ZONE_COOKIE = "tz";

/** An IANA time zone the runtime knows ("Asia/Tokyo"), or null for anything else. */
export function validTimeZone(value: unknown): string | null {
  if (typeof value !== "string" || value.length === 0 || value.length > 64 || !/^[A-Za-z0-9_+\-/]+$/.test(value)) return null;
  try {
    return new Intl.DateTimeFormat("en-US", { timeZone: value }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

/** The browser's (or the process's) time zone. */
export function runtimeTimeZone(): string {
  return validTimeZone(Intl.DateTimeFormat().resolvedOptions().timeZone) ?? "UTC";
}
