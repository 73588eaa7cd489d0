"use client";

import { useRouter } from "next/navigation";
import { useEffect, useTransition } from "react";
import { toast } from "sonner";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import type { ActionState } from "@/lib/action-state";
import type { WebhookDeliveryStatus } from "@/lib/webhooks/delivery-status";

export type DeliveryRow = {
  id: string;
  event: string;
  status: WebhookDeliveryStatus;
  statusLabel: string;
  attempts: number;
  responseStatus: number | null;
  durationMs: number | null;
  error: string | null;
  responseExcerpt: string | null;
  payload: string;
  created: React.ReactNode;
  lastAttempt: React.ReactNode | null;
  attemptsList: { at: React.ReactNode; status: number | null; durationMs: number; error?: string }[];
};

const VARIANT: Record<WebhookDeliveryStatus, "success" | "warning" | "destructive" | "secondary"> = {
  delivered: "success",
  retrying: "warning",
  failed: "destructive",
  pending: "secondary",
};

/** An endpoint's newest deliveries: what was sent, how each attempt went, and "Send again" once its attempts ended. */
export function DeliveryLog({ rows, redeliver }: { rows: DeliveryRow[]; redeliver: (id: string) => Promise<ActionState> }) {
  const router = useRouter();
  // A delivery being sent shows its outcome without a reload: the page is read again every 2 s while one is.
  const sending = rows.some((r) => r.status === "pending");
  useEffect(() => {
    if (!sending) return;
    const timer = setTimeout(() => router.refresh(), 2_000);
    return () => clearTimeout(timer);
  }, [sending, rows, router]);
  if (rows.length === 0) {
    return <p className="rounded-lg border border-dashed p-8 text-center text-sm text-muted-foreground">No deliveries yet. Send a test event to see one here.</p>;
  }
  return (
    <ul className="grid gap-2" aria-label="Deliveries">
      {rows.map((row) => (
        <li key={row.id} className="rounded-lg border" data-delivery-id={row.id}>
          <details className="group">
            <summary className="flex cursor-pointer flex-wrap items-center gap-x-3 gap-y-1 p-3 text-sm focus-visible:outline-2 focus-visible:outline-ring">
              <span className="font-mono font-medium">{row.event}</span>
              <Badge variant={VARIANT[row.status]}>{row.statusLabel}</Badge>
              <span className="text-muted-foreground">
                {row.responseStatus !== null ? `HTTP ${row.responseStatus}` : row.attempts > 0 ? "no answer" : "not tried yet"}
                {row.durationMs !== null ? ` · ${row.durationMs} ms` : ""} · {row.attempts === 1 ? "1 attempt" : `${row.attempts} attempts`}
              </span>
              <span className="ml-auto text-xs text-muted-foreground">{row.created}</span>
            </summary>
            <div className="grid gap-3 border-t p-3 text-sm">
              {row.error && <p className="text-destructive [overflow-wrap:anywhere]">{row.error}</p>}
              {row.attemptsList.length > 0 && (
                <div>
                  <h4 className="mb-1 text-xs font-medium text-muted-foreground">Attempts</h4>
                  <ol className="grid gap-1 text-xs">
                    {row.attemptsList.map((a, i) => (
                      <li key={i} className="[overflow-wrap:anywhere]">
                        {a.at}: {a.status !== null ? `HTTP ${a.status}` : "no answer"}, {a.durationMs} ms{a.error ? `: ${a.error}` : ""}
                      </li>
                    ))}
                  </ol>
                </div>
              )}
              {row.responseExcerpt && (
                <div>
                  <h4 className="mb-1 text-xs font-medium text-muted-foreground">Response (first 1,000 characters)</h4>
                  <pre className="max-h-40 overflow-auto rounded bg-muted p-2 text-xs whitespace-pre-wrap [overflow-wrap:anywhere]">{row.responseExcerpt}</pre>
                </div>
              )}
              <div>
                <h4 className="mb-1 text-xs font-medium text-muted-foreground">Body sent</h4>
                <pre className="max-h-60 overflow-auto rounded bg-muted p-2 text-xs whitespace-pre-wrap [overflow-wrap:anywhere]">{row.payload}</pre>
              </div>
              {(row.status === "delivered" || row.status === "failed") && <RedeliverButton id={row.id} event={row.event} redeliver={redeliver} />}
            </div>
          </details>
        </li>
      ))}
    </ul>
  );
}

function RedeliverButton({ id, event, redeliver }: { id: string; event: string; redeliver: (id: string) => Promise<ActionState> }) {
  const [pending, start] = useTransition();
  return (
    <div>
      <Button
        variant="outline"
        size="sm"
        disabled={pending}
        aria-label={`Send again: ${event}`}
        onClick={() =>
          start(async () => {
            const result = await redeliver(id);
            if (result.ok) toast.success(result.message ?? "Delivery queued again.");
            else toast.error(result.message ?? "The delivery could not be queued again. Try again.");
          })
        }
      >
        {pending ? "Queuing…" : "Send again"}
      </Button>
    </div>
  );
}
