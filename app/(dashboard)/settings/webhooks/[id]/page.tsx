import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { cache } from "react";
import { EndpointPage } from "@/components/webhooks/endpoint-page";
import { getDb } from "@/db";
import { endpointWithDeliveries } from "@/lib/commands/webhooks";
import { AppError } from "@/lib/errors";
import { requestTimeZone } from "@/lib/request-time-zone";
import { requireUser } from "@/lib/session";
import { deleteWebhookAction, redeliverAction, rotateWebhookSecretAction, sendTestEventAction, setWebhookEnabledAction, updateWebhookAction } from "../actions";

type Params = { params: Promise<{ id: string }> };

/** The signed-in person's endpoint, once per request; anyone else's, or a malformed id, is not found. */
const load = cache(async (id: string) => {
  const user = await requireUser();
  return endpointWithDeliveries(await getDb(), { userId: user.id }, id).catch((e: unknown) => {
    if (e instanceof AppError && e.code === "webhook_not_found") notFound();
    throw e;
  });
});

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const { endpoint } = await load((await params).id);
  return { title: `${new URL(endpoint.url).host} · Webhook` };
}

export default async function WebhookEndpointPage({ params }: Params) {
  const { id } = await params;
  const [{ endpoint, deliveries }, timeZone] = await Promise.all([load(id), requestTimeZone()]);
  return (
    <EndpointPage
      endpoint={endpoint}
      deliveries={deliveries}
      timeZone={timeZone}
      actions={{
        update: updateWebhookAction.bind(null, endpoint.id),
        setEnabled: setWebhookEnabledAction.bind(null, endpoint.id),
        rotateSecret: rotateWebhookSecretAction.bind(null, endpoint.id),
        remove: deleteWebhookAction.bind(null, endpoint.id),
        sendTest: sendTestEventAction.bind(null, endpoint.id),
        redeliver: redeliverAction,
      }}
    />
  );
}
