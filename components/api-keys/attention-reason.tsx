import { formatRelative } from "@/lib/format";
import type { KeyRow } from "./key-row";

/** Why a key is in the attention banner, as of `now` (the page's clock, shifted under the test clock). */
export function AttentionReason({ row, now }: { row: KeyRow; now: Date }) {
  const issued = formatRelative(row.secretCreatedAt, now);
  if (row.status === "expired" && row.expiresAt) {
    return (
      <>
        expired {formatRelative(row.expiresAt, now)}. Create a replacement for the apps that used it, and delete this one. Expired keys
        leave this list after a week; they stay in the table below until you delete them.
      </>
    );
  }
  if (row.status === "expiring_soon" && row.expiresAt) {
    const expires = `expires ${formatRelative(row.expiresAt, now)}.`;
    return row.rotationDue ? (
      <>
        {expires} Its current secret, issued {issued}, is also due for rotation. Extend it and rotate it, or replace it
        before then.
      </>
    ) : (
      <>{expires} Extend it, or replace it before then.</>
    );
  }
  return <>got its current secret {issued}. It is due for rotation.</>;
}
