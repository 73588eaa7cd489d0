export type UsageDay = { day: string; success: number; failure: number };

/** 30 bars, successes stacked under failures; the numbers are also in an accessible table. */
export function UsageChart({ days }: { days: UsageDay[] }) {
  const max = Math.max(1, ...days.map((d) => d.success + d.failure));
  const width = 600;
  const height = 160;
  const bar = width / days.length;
  return (
    <figure className="grid gap-2">
      <svg viewBox={`0 0 ${width} ${height}`} className="h-40 w-full" role="img" aria-label="Requests per day, last 30 days">
        {days.map((d, i) => {
          const ok = (d.success / max) * (height - 4);
          const bad = (d.failure / max) * (height - 4);
          return (
            <g key={d.day}>
              <title>{`${d.day}: ${d.success} succeeded, ${d.failure} failed`}</title>
              <rect x={i * bar + 1} y={height - ok} width={bar - 2} height={ok} className="fill-primary" />
              <rect x={i * bar + 1} y={height - ok - bad} width={bar - 2} height={bad} className="fill-destructive" />
            </g>
          );
        })}
        <line x1="0" x2={width} y1={height - 0.5} y2={height - 0.5} className="stroke-border" />
      </svg>
      <figcaption className="flex flex-wrap justify-between gap-2 text-xs text-muted-foreground">
        <span>{days[0]?.day}</span>
        <span className="flex gap-3">
          <span className="flex items-center gap-1">
            <span aria-hidden className="inline-block size-2 rounded-sm bg-primary" /> Succeeded
          </span>
          <span className="flex items-center gap-1">
            <span aria-hidden className="inline-block size-2 rounded-sm bg-destructive" /> Failed
          </span>
        </span>
        <span>{days.at(-1)?.day}</span>
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
                  <td className="py-1">{d.day}</td>
                  <td className="py-1">{d.success}</td>
                  <td className="py-1">{d.failure}</td>
                </tr>
              ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
