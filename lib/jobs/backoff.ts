import { randomInt } from "node:crypto";
import { HOUR_MS, MINUTE_MS } from "../time";

/**
 * The default wait before attempt n + 1 after attempt n failed: 5 s, doubling each time, at most an
 * hour, with up to 20% taken off at random so that jobs failing together do not retry together.
 * Ten attempts (the default) span about an hour and a half.
 */
export function retryDelayMs(attempt: number, random: () => number = () => randomInt(1_000_000) / 1_000_000): number {
  const base = Math.min(HOUR_MS, 5_000 * 2 ** Math.max(0, attempt - 1));
  return Math.round(base * (1 - 0.2 * random()));
}

/**
 * A webhook's schedule after each failed attempt: 5 s, 30 s, 2 min, 10 min, 30 min, 1 h, 2 h, 4 h,
 * 8 h, 8 h (with up to 20% taken off at random): eleven attempts over about 24 hours.
 */
export const WEBHOOK_RETRY_DELAYS_MS = [5_000, 30_000, 2 * MINUTE_MS, 10 * MINUTE_MS, 30 * MINUTE_MS, HOUR_MS, 2 * HOUR_MS, 4 * HOUR_MS, 8 * HOUR_MS, 8 * HOUR_MS];

export function webhookRetryDelayMs(attempt: number, random: () => number = () => randomInt(1_000_000) / 1_000_000): number {
  const base = WEBHOOK_RETRY_DELAYS_MS[Math.min(WEBHOOK_RETRY_DELAYS_MS.length - 1, Math.max(0, attempt - 1))]!;
  return Math.round(base * (1 - 0.2 * random()));
}
