"use client";

import { TriangleAlertIcon } from "lucide-react";
import { Button } from "@/components/ui/button";
import { preloadKeyDialogs } from "./dialog-loaders";
import type { KeyActions } from "./key-actions";
import type { KeyRow } from "./key-row";

/** A key in the banner and the sentence saying why (AttentionReason, rendered on the server). */
export type AttentionRow = { row: KeyRow; reason: React.ReactNode };

/**
 * The summary at the top of the API Keys page, with a one-click fix per key. A key can be both
 * expiring soon and due for rotation: its badge shows the more urgent one, but it gets both
 * buttons here. Most urgent first (db/queries/api-key-list.ts). `total` counts them on every
 * page; `rows` may list only the first of them. Each row's sentence (`reason`, AttentionReason)
 * is written on the server, so no date formatting ships in this page's JavaScript. An expired key is listed for a week after it expired
 * (EXPIRED_ATTENTION_DAYS), then only in the list, marked Expired, until it is deleted.
 */
/** `actions` null: the caller may not change these keys (a team viewer): the reasons without the buttons. */
export function AttentionBanner({ rows, total, actions }: { rows: AttentionRow[]; total: number; actions: KeyActions | null }) {
  return (
    <div role="region" aria-label="Keys that need attention" className="rounded-lg border border-warning/60 bg-warning/10 p-4">
      <p className="flex items-center gap-2 text-sm font-medium">
        <TriangleAlertIcon className="size-4" aria-hidden />
        {total === 1 ? "1 key needs attention" : `${total.toLocaleString("en-US")} keys need attention`}
      </p>
      {total > rows.length && <p className="mt-1 text-sm text-muted-foreground">The {rows.length} most urgent are listed here.</p>}
      <ul className="mt-2 grid gap-2 text-sm">
        {rows.map(({ row, reason }) => (
          <li key={row.id} className="flex flex-wrap items-center justify-between gap-2">
            <span className="min-w-0 [overflow-wrap:anywhere]">
              <span className="font-medium">{row.name}</span> {reason}
            </span>
            {actions && (
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
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}
