import { formatDate, formatDateTime, formatExact, formatRelative } from "@/lib/format";

/**
 * A date as the pages show it: the day in the viewer's zone ("Dec 6, 2026"), the day and time
 * with the zone's name (`withTime`), or how long ago (`relative`); the exact time on hover, in words.
 */
export function DateTime({
  date,
  timeZone,
  now,
  relative,
  withTime,
}: {
  date: Date;
  timeZone: string;
  now?: Date;
  relative?: boolean;
  withTime?: boolean;
}) {
  const text = relative ? formatRelative(date, now) : withTime ? formatDateTime(date, timeZone) : formatDate(date, timeZone);
  return (
    <time dateTime={date.toISOString()} title={formatExact(date, timeZone)}>
      {text}
    </time>
  );
}
