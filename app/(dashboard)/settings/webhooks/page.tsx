import type { Metadata } from "next";
import { EndpointList } from "@/components/webhooks/endpoint-list";
import { getDb } from "@/db";
import { myEndpoints } from "@/lib/commands/webhooks";
import { PLACES } from "@/lib/glossary";
import { requestTimeZone } from "@/lib/request-time-zone";
import { requireUser } from "@/lib/session";
import { createWebhookAction } from "./actions";

export const metadata: Metadata = { title: PLACES.webhooks };

/** The signed-in person's webhook endpoints: where their keys' events are sent. */
export default async function WebhooksPage() {
  const user = await requireUser();
  const [endpoints, timeZone] = await Promise.all([myEndpoints(await getDb(), { userId: user.id }), requestTimeZone()]);
  return <EndpointList endpoints={endpoints} timeZone={timeZone} create={createWebhookAction} />;
}
