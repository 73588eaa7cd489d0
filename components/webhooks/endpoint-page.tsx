import Link from "next/link";
import { DateTime } from "@/components/layout/date-time";
import type { EndpointSummary, listDeliveries } from "@/db/queries/webhooks";
import type { ActionState } from "@/lib/action-state";
import { PLACES } from "@/lib/glossary";
import { WEBHOOK_DELIVERY_STATUS_LABELS } from "@/lib/webhooks/delivery-status";
import { WEBHOOK_EVENT_LABELS, type WebhookEvent } from "@/lib/webhooks/events";
import { webhooksPath } from "@/lib/webhooks/paths";
import { DeliveryLog } from "./delivery-log";
import { EndpointActions } from "./endpoint-actions";
import { EndpointStatus } from "./endpoint-status";
import type { NewSecretState } from "./types";

export type EndpointPageActions = {
  update: (state: NewSecretState, form: FormData) => Promise<NewSecretState>;
  setEnabled: (enabled: boolean) => Promise<ActionState>;
  rotateSecret: () => Promise<NewSecretState>;
  remove: () => Promise<ActionState>;
  sendTest: () => Promise<ActionState>;
  redeliver: (deliveryId: string) => Promise<ActionState>;
};

/** An endpoint's page, a person's or a team's: its state, its controls, its newest deliveries. */
export function EndpointPage({
  endpoint,
  deliveries,
  timeZone,
  actions,
  teamSlug,
}: {
  endpoint: EndpointSummary;
  deliveries: Awaited<ReturnType<typeof listDeliveries>>;
  timeZone: string;
  actions: EndpointPageActions;
  teamSlug?: string;
}) {
  const rows = deliveries.map((d) => ({
    id: d.id,
    event: d.event,
    status: d.status,
    statusLabel: WEBHOOK_DELIVERY_STATUS_LABELS[d.status],
    attempts: d.attempts,
    responseStatus: d.responseStatus,
    durationMs: d.durationMs,
    error: d.error,
    responseExcerpt: d.responseExcerpt,
    payload: JSON.stringify(d.payload, null, 2),
    created: <DateTime date={d.createdAt} timeZone={timeZone} withTime />,
    lastAttempt: d.lastAttemptAt ? <DateTime date={d.lastAttemptAt} timeZone={timeZone} withTime /> : null,
    attemptsList: d.history.map((a) => ({ at: <DateTime date={new Date(a.at)} timeZone={timeZone} withTime />, status: a.status, durationMs: a.durationMs, error: a.error })),
  }));
  return (
    <div className="grid gap-6">
      <nav aria-label="Breadcrumb" className="text-sm">
        <Link href={webhooksPath(teamSlug)} className="text-muted-foreground underline-offset-4 hover:underline">
          {PLACES.webhooks}
        </Link>
      </nav>
      <section aria-labelledby="endpoint-heading" className="grid gap-3" data-endpoint-state={endpoint.disabledAt ? "disabled" : "enabled"} data-endpoint-events={endpoint.events.join(" ")}>
        <div className="flex flex-wrap items-center gap-2">
          <h2 id="endpoint-heading" className="min-w-0 font-mono text-lg font-semibold [overflow-wrap:anywhere]">
            {endpoint.url}
          </h2>
          <EndpointStatus endpoint={endpoint} />
        </div>
        {endpoint.description && <p className="text-sm [overflow-wrap:anywhere]">{endpoint.description}</p>}
        {endpoint.disabledAt && (
          <p role="status" className="rounded-md border border-destructive/40 bg-destructive/5 p-3 text-sm">
            {endpoint.disabledReason === "failing for 3 days" ? (
              <>
                Disabled <DateTime date={endpoint.disabledAt} timeZone={timeZone} withTime /> after its deliveries failed for 3 days. Fix the receiver (the
                log below shows each failure), enable it, then send the failed deliveries again.
              </>
            ) : (
              <>
                Disabled <DateTime date={endpoint.disabledAt} timeZone={timeZone} withTime />. Nothing is sent to it until you enable it.
              </>
            )}
          </p>
        )}
        {!endpoint.disabledAt && endpoint.failingSince && (
          <p role="status" className="rounded-md border border-warning/60 bg-warning/10 p-3 text-sm">
            Deliveries have failed since <DateTime date={endpoint.failingSince} timeZone={timeZone} withTime />. After 3 days of failures the endpoint is
            disabled and you are told.
          </p>
        )}
        <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
          <dt className="text-muted-foreground">Events</dt>
          <dd>{endpoint.events.map((e) => WEBHOOK_EVENT_LABELS[e as WebhookEvent]?.label ?? e).join(", ")}</dd>
          <dt className="text-muted-foreground">Added</dt>
          <dd>
            <DateTime date={endpoint.createdAt} timeZone={timeZone} withTime />
          </dd>
        </dl>
        <EndpointActions
          endpoint={{ id: endpoint.id, url: endpoint.url, description: endpoint.description, events: endpoint.events, enabled: !endpoint.disabledAt }}
          update={actions.update}
          setEnabled={actions.setEnabled}
          rotateSecret={actions.rotateSecret}
          remove={actions.remove}
          sendTest={actions.sendTest}
          listPath={webhooksPath(teamSlug)}
        />
      </section>
      <section aria-labelledby="deliveries-heading" className="grid gap-3">
        <div>
          <h3 id="deliveries-heading" className="font-semibold">
            Recent deliveries
          </h3>
          <p className="text-sm text-muted-foreground">The newest 50. Open one to see its attempts, the answer and the body sent.</p>
        </div>
        <DeliveryLog rows={rows} redeliver={actions.redeliver} />
      </section>
    </div>
  );
}
