"use client";

import { TriangleAlertIcon } from "lucide-react";
import { Button } from "@/components/ui/button";
import { formatRelative } from "@/lib/format";
import { preloadKeyDialogs } from "./dialog-loaders";
import type { KeyActions } from "./key-actions";
import type { KeyRow } from "./key-row";

/**
 * The summary at the top of the API Keys page, with a one-click fix per key. A key can be both
 * expiring soon and due for rotation: its badge shows the more urgent one, but it gets both
 * buttons here. Most urgent first (db/queries/api-key-list.ts). `total` counts them on every
 * page; `rows` may list only the first of them. `now` comes from the server (the page's clock,
 * shifted under the test clock). An expired key is listed for a week after it expired
 * (EXPIRED_ATTENTION_DAYS), then only in the list, marked Expired, until it is deleted.
 */
export function AttentionBanner({ rows, total, now, actions }: { rows: KeyRow[]; total: number; now: Date; actions: KeyActions }) {
  return (
    <div role="region" aria-label="Keys that need attention" className="rounded-lg border border-warning/60 bg-warning/10 p-4">
      <p className="flex items-center gap-2 text-sm font-medium">
        <TriangleAlertIcon className="size-4" aria-hidden />
        {total === 1 ? "1 key needs attention" : `${total.toLocaleString("en-US")} keys need attention`}
      </p>
      {total > rows.length && <p className="mt-1 text-sm text-muted-foreground">The {rows.length} most urgent are listed here.</p>}
      <ul className="mt-2 grid gap-2 text-sm">
        {rows.map((row) => (
          <li key={row.id} className="flex flex-wrap items-center justify-between gap-2">
            <span className="min-w-0 [overflow-wrap:anywhere]">
              <span className="font-medium">{row.name}</span> <Reason row={row} now={now} />
            </span>
            <span className="flex gap-2">
              {row.status === "expired" && (
                <Button size="sm" variant="outline" onPointerEnter={preloadKeyDialogs} onClick={() => actions.remove(row)} aria-label={`Delete ${row.name}`}>
                  Delete
                </Button>
              )}
              {row.status === "expiring_soon" && (
                <Button size="sm" variant="outline" onPointerEnter={preloadKeyDialogs} onClick={() => actions.extend(row)} aria-label={`Extend ${row.name}`}>
                  Extend
                </Button>
              )}
              {row.status !== "expired" && row.rotationDue && (
                <Button size="sm" variant="outline" onPointerEnter={preloadKeyDialogs} onClick={() => actions.rotate(row)} aria-label={`Rotate ${row.name} now`}>
                  Rotate now
                </Button>
              )}
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}

function Reason({ row, now }: { row: KeyRow; now: Date }) {
  const issued = formatRelative(row.secretCreatedAt, now);
  if (row.status === "expired" && row.expiresAt) {
    return (
      <>
        expired {formatRelative(row.expiresAt, now)}. Create a new key for the apps that used it, and delete this one. Expired keys
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
