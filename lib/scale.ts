/**
 * A y scale for a bar chart of counts: a round top at or above `max` and the ticks up to it, at
 * most five, each a whole number of 1, 2 or 5 times a power of ten ("0, 500, 1,000, 1,500").
 */
export function countScale(max: number): { top: number; ticks: number[] } {
  const rough = Math.max(max, 1) / 4;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = Math.max(1, [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= rough)!);
  const top = Math.max(step, Math.ceil(max / step) * step);
  return { top, ticks: Array.from({ length: top / step + 1 }, (_, i) => i * step) };
}
