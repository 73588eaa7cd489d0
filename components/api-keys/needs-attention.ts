import type { KeyRow } from "./key-row";

/** Keys that are expired, expiring within 7 days or due for rotation (the attention banner's). */
export function needsAttention(row: KeyRow): boolean {
  return row.status === "expiring_soon" || row.status === "rotation_due" || row.status === "expired";
}
