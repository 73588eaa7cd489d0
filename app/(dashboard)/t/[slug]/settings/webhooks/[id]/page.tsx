import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { cache } from "react";
import { EndpointPage } from "@/components/webhooks/endpoint-page";
import { getDb } from "@/db";
import { endpointWithDeliveries } from "@/lib/commands/webhooks";
import { AppError } from "@/lib/errors";
import { requestTimeZone } from "@/lib/request-time-zone";
import { requireTeamMember } from "@/lib/session";
import {
  deleteTeamWebhookAction,
  redeliverTeamWebhookAction,
  rotateTeamWebhookSecretAction,
  sendTeamTestEventAction,
  setTeamWebhookEnabledAction,
  updateTeamWebhookAction,
} from "../actions";

type Params = { params: Promise<{ slug: string; id: string }> };

/** A team's endpoint, once per request: its owners' and admins' only; anyone else (or a malformed id) gets a 404. */
const load = cache(async (slug: string, id: string) => {
  const { user } = await requireTeamMember(slug);
  return endpointWithDeliveries(await getDb(), { userId: user.id }, id, slug).catch((e: unknown) => {
    if (e instanceof AppError && ["team_not_found", "team_webhooks_admins_only", "webhook_not_found"].includes(e.code)) notFound();
    throw e;
  });
});

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const { slug, id } = await params;
  const { endpoint } = await load(slug, id);
  return { title: `${new URL(endpoint.url).host} · Webhook` };
}

export default async function TeamWebhookEndpointPage({ params }: Params) {
  const { slug, id } = await params;
  const [{ endpoint, deliveries }, timeZone] = await Promise.all([load(slug, id), requestTimeZone()]);
  return (
    <EndpointPage
      endpoint={endpoint}
      deliveries={deliveries}
      timeZone={timeZone}
      teamSlug={slug}
      actions={{
        update: updateTeamWebhookAction.bind(null, slug, endpoint.id),
        setEnabled: setTeamWebhookEnabledAction.bind(null, slug, endpoint.id),
        rotateSecret: rotateTeamWebhookSecretAction.bind(null, slug, endpoint.id),
        remove: deleteTeamWebhookAction.bind(null, slug, endpoint.id),
        sendTest: sendTeamTestEventAction.bind(null, slug, endpoint.id),
        redeliver: redeliverTeamWebhookAction.bind(null, slug),
      }}
    />
  );
}
