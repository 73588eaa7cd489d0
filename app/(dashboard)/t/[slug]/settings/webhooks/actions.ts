"use server";

// A team's webhooks (/t/<address>/settings/webhooks): thin adapters over lib/commands/webhooks.ts,
// which re-reads the caller's membership (owners and admins), locked, in each transaction. The
// address comes from the page as the first argument, as untrusted as the rest.
import { revalidatePath } from "next/cache";
import type { NewSecretState } from "@/components/webhooks/types";
import { withUser } from "@/lib/action";
import { endpointFormValues } from "@/lib/validation/webhook.schema";
import type { ActionState } from "@/lib/action-state";
import { changeEndpoint, createEndpoint, redeliverDelivery, removeEndpoint, rotateEndpointSecret, sendTestEvent } from "@/lib/commands/webhooks";

const teamPath = (slug: unknown) => `/t/${String(slug)}/settings/webhooks`;

export async function createTeamWebhookAction(slug: string, _prev: NewSecretState, form: FormData): Promise<NewSecretState> {
  const values = endpointFormValues(form);
  const state: NewSecretState = await withUser("createTeamWebhook", async ({ db, actor }) => {
    const { endpoint, secret } = await createEndpoint(db, actor, values, slug);
    revalidatePath(teamPath(slug));
    return { ok: true, message: "Endpoint added.", data: { endpointId: endpoint.id, secret } };
  });
  return state.ok || !state.fieldErrors ? state : { ...state, data: { values } };
}

export async function updateTeamWebhookAction(slug: string, id: string, _prev: NewSecretState, form: FormData): Promise<NewSecretState> {
  const values = endpointFormValues(form);
  const state: NewSecretState = await withUser("updateTeamWebhook", async ({ db, actor }) => {
    await changeEndpoint(db, actor, id, values, slug);
    revalidatePath(teamPath(slug), "layout");
    return { ok: true, message: "Endpoint saved.", data: {} };
  });
  return state.ok || !state.fieldErrors ? state : { ...state, data: { values } };
}

export async function setTeamWebhookEnabledAction(slug: string, id: string, enabled: boolean): Promise<ActionState> {
  return withUser("setTeamWebhookEnabled", async ({ db, actor }) => {
    await changeEndpoint(db, actor, id, { enabled }, slug);
    revalidatePath(teamPath(slug), "layout");
    return { ok: true, message: enabled ? "Endpoint enabled." : "Endpoint disabled: nothing is sent to it until you enable it again." };
  });
}

export async function rotateTeamWebhookSecretAction(slug: string, id: string): Promise<NewSecretState> {
  return withUser("rotateTeamWebhookSecret", async ({ db, actor }) => {
    const { secret } = await rotateEndpointSecret(db, actor, id, slug);
    revalidatePath(teamPath(slug), "layout");
    return { ok: true, message: "New signing secret made.", data: { endpointId: id, secret } };
  });
}

export async function deleteTeamWebhookAction(slug: string, id: string): Promise<ActionState> {
  return withUser("deleteTeamWebhook", async ({ db, actor }) => {
    const deleted = await removeEndpoint(db, actor, id, slug);
    revalidatePath(teamPath(slug), "layout");
    return { ok: true, message: `Deleted the endpoint ${deleted.url}.` };
  });
}

export async function sendTeamTestEventAction(slug: string, id: string): Promise<ActionState> {
  return withUser("sendTeamWebhookTestEvent", async ({ db, actor }) => {
    await sendTestEvent(db, actor, id, slug);
    revalidatePath(`${teamPath(slug)}/${String(id)}`);
    return { ok: true, message: "Test event queued: it shows in the delivery log within seconds." };
  });
}

export async function redeliverTeamWebhookAction(slug: string, deliveryId: string): Promise<ActionState> {
  return withUser("redeliverTeamWebhook", async ({ db, actor }) => {
    await redeliverDelivery(db, actor, deliveryId, slug);
    revalidatePath(teamPath(slug), "layout");
    return { ok: true, message: "Delivery queued again." };
  });
}
