import Link from "next/link";
import { DateTime } from "@/components/layout/date-time";
import type { EndpointSummary } from "@/db/queries/webhooks";
import { PLACES } from "@/lib/glossary";
import { webhookPagePath } from "@/lib/webhooks/paths";
import { WEBHOOK_EVENT_LABELS, type WebhookEvent } from "@/lib/webhooks/events";
import type { NewSecretState } from "./types";
import { AddEndpointButton } from "./add-endpoint-button";
import { EndpointStatus } from "./endpoint-status";

/** A person's or a team's webhook endpoints, and "Add endpoint" (Settings -> Webhooks, and a team's). */
export function EndpointList({
  endpoints,
  timeZone,
  create,
  team,
}: {
  endpoints: EndpointSummary[];
  timeZone: string;
  create: (state: NewSecretState, form: FormData) => Promise<NewSecretState>;
  team?: { slug: string; name: string };
}) {
  return (
    <section aria-labelledby="webhooks-heading" className="grid gap-4">
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div className="min-w-0 max-w-3xl">
          <h2 id="webhooks-heading" className="text-lg font-semibold">
            {PLACES.webhooks}
          </h2>
          <p className="text-sm text-muted-foreground">
            Keysmith POSTs an event to {team ? "the team's" : "your"} endpoints when one of {team ? `the team's keys` : "your keys"} is created, changed, rotated, revoked, deleted, about to expire or reported
            leaked. Each delivery is signed (Standard Webhooks) and never holds a key&apos;s secret; a failed one is retried for 24 hours.
          </p>
        </div>
        {/* One button whether or not the list is empty: the dialog it opens (and the secret it shows once)
            must outlive the list's first endpoint appearing behind it. */}
        <AddEndpointButton action={create} />
      </div>
      {endpoints.length === 0 ? (
        <p className="rounded-lg border border-dashed p-8 text-center text-sm text-muted-foreground">
          No endpoints yet. Add one to have your systems told when {team ? "the team's" : "your"} keys change or are about to expire.
        </p>
      ) : (
        <ul className="grid gap-3" aria-label="Webhook endpoints">
          {endpoints.map((e) => (
            <li key={e.id} className="grid gap-2 rounded-lg border p-4">
              <div className="flex flex-wrap items-center gap-2">
                <Link href={webhookPagePath(e.id, team?.slug)} className="min-w-0 font-mono text-sm font-medium underline-offset-4 [overflow-wrap:anywhere] hover:underline">
                  {e.url}
                </Link>
                <EndpointStatus endpoint={e} />
              </div>
              {e.description && <p className="text-sm [overflow-wrap:anywhere]">{e.description}</p>}
              <p className="text-xs text-muted-foreground">
                {e.events.map((ev) => WEBHOOK_EVENT_LABELS[ev as WebhookEvent]?.label ?? ev).join(" · ")}
              </p>
              <p className="text-xs text-muted-foreground">
                {e.disabledAt ? (
                  <>
                    Disabled <DateTime date={e.disabledAt} timeZone={timeZone} withTime /> {e.disabledReason === "failing for 3 days" ? "after failing for 3 days" : "by you"}
                  </>
                ) : e.failingSince ? (
                  <>
                    Deliveries failing since <DateTime date={e.failingSince} timeZone={timeZone} withTime />
                  </>
                ) : (
                  <>
                    Added <DateTime date={e.createdAt} timeZone={timeZone} />
                  </>
                )}
              </p>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
