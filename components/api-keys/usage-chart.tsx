import { formatDay } from "@/lib/format";
import { countScale } from "@/lib/scale";

export type UsageDay = { day: string; success: number; failure: number };

const count = (n: number) => n.toLocaleString("en-US");

/**
 * 30 bars, successes stacked under failures, drawn with CSS so the chart fills its container at
 * any width (an SVG of fixed width left the bars far from their labels). A y scale with round
 * ticks; the first and last day under the first and last bar. The numbers are also in a table.
 */
export function UsageChart({ days }: { days: UsageDay[] }) {
  const { top, ticks } = countScale(Math.max(0, ...days.map((d) => d.success + d.failure)));
  const pct = (n: number) => `${(n / top) * 100}%`;
  const first = days[0];
  const last = days.at(-1);
  return (
    <figure className="grid gap-2">
      <div className="grid grid-cols-[auto_minmax(0,1fr)] gap-x-2">
        <div aria-hidden data-axis="y" className="relative h-40 min-w-6 text-right text-xs text-muted-foreground tabular-nums">
          {ticks.map((t) => (
            <span key={t} className="absolute right-0 translate-y-1/2 leading-none" style={{ bottom: pct(t) }}>
              {count(t)}
            </span>
          ))}
        </div>
        <div
          role="img"
          aria-label={`Requests per day from ${first ? formatDay(first.day) : ""} to ${last ? formatDay(last.day) : ""}; the numbers are in the table below.`}
          className="relative h-40 border-b border-l"
        >
          {ticks.slice(1).map((t) => (
            <div key={t} aria-hidden className="absolute inset-x-0 border-t border-dashed border-border" style={{ bottom: pct(t) }} />
          ))}
          <div className="absolute inset-0 flex items-end gap-px px-px sm:gap-1">
            {days.map((d) => (
              <div
                key={d.day}
                data-day={d.day}
                title={`${formatDay(d.day)}: ${count(d.success)} succeeded, ${count(d.failure)} failed`}
                className="flex h-full min-w-0 flex-1 flex-col justify-end"
              >
                <div className="bg-destructive" style={{ height: pct(d.failure) }} />
                <div className="bg-primary" style={{ height: pct(d.success) }} />
              </div>
            ))}
          </div>
        </div>
        <div />
        <div className="flex justify-between gap-2 pt-1 text-xs text-muted-foreground">
          <span>{first && formatDay(first.day)}</span>
          <span>{last && formatDay(last.day)}</span>
        </div>
      </div>
      <figcaption className="flex flex-wrap justify-between gap-2 text-xs text-muted-foreground">
        <span>Days in UTC.</span>
        <span className="flex gap-3">
          <span className="flex items-center gap-1">
            <span aria-hidden className="inline-block size-2 rounded-sm bg-primary" /> Succeeded
          </span>
          <span className="flex items-center gap-1">
            <span aria-hidden className="inline-block size-2 rounded-sm bg-destructive" /> Failed
          </span>
        </span>
      </figcaption>
      <details className="text-sm">
        <summary className="cursor-pointer text-muted-foreground">Show as table</summary>
        <table className="mt-2 w-full text-left text-xs">
          <thead>
            <tr>
              <th className="py-1 font-medium">Day (UTC)</th>
              <th className="py-1 font-medium">Succeeded</th>
              <th className="py-1 font-medium">Failed</th>
            </tr>
          </thead>
          <tbody>
            {days
              .filter((d) => d.success + d.failure > 0)
              .map((d) => (
                <tr key={d.day} className="border-t">
                  <td className="py-1">{formatDay(d.day)}</td>
                  <td className="py-1">{count(d.success)}</td>
                  <td className="py-1">{count(d.failure)}</td>
                </tr>
              ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
