import { randomInt } from "node:crypto";
import { HOUR_MS } from "../time";

/**
 * The default wait before attempt n + 1 after attempt n failed: 5 s, doubling each time, at most an
 * hour, with up to 20% taken off at random so that jobs failing together do not retry together.
 * Ten attempts (the default) span about an hour and a half.
 */
export function retryDelayMs(attempt: number, random: () => number = () => randomInt(1_000_000) / 1_000_000): number {
  const base = Math.min(HOUR_MS, 5_000 * 2 ** Math.max(0, attempt - 1));
  return Math.round(base * (1 - 0.2 * random()));
}
