"use server";

// Settings -> Webhooks: thin adapters over lib/commands/webhooks.ts.
import { revalidatePath } from "next/cache";
import { withUser } from "@/lib/action";
import { endpointFormValues } from "@/lib/validation/webhook.schema";
import type { NewSecretState } from "@/components/webhooks/types";
import type { ActionState } from "@/lib/action-state";
import { changeEndpoint, createEndpoint, redeliverDelivery, removeEndpoint, rotateEndpointSecret, sendTestEvent } from "@/lib/commands/webhooks";

const PAGE = "/settings/webhooks";

/** Registers an endpoint; its signing secret comes back in this answer only. */
export async function createWebhookAction(_prev: NewSecretState, form: FormData): Promise<NewSecretState> {
  const values = endpointFormValues(form);
  const state: NewSecretState = await withUser("createWebhook", async ({ db, actor }) => {
    const { endpoint, secret } = await createEndpoint(db, actor, values);
    revalidatePath(PAGE);
    return { ok: true, message: "Endpoint added.", data: { endpointId: endpoint.id, secret } };
  });
  return state.ok ? state : { ...state, data: { values } };
}

/** Changes an endpoint's URL, description and events. */
export async function updateWebhookAction(id: string, _prev: NewSecretState, form: FormData): Promise<NewSecretState> {
  const values = endpointFormValues(form);
  const state: NewSecretState = await withUser("updateWebhook", async ({ db, actor }) => {
    await changeEndpoint(db, actor, id, values);
    revalidatePath(PAGE, "layout");
    return { ok: true, message: "Endpoint saved.", data: {} };
  });
  return state.ok ? state : { ...state, data: { values } };
}

export async function setWebhookEnabledAction(id: string, enabled: boolean): Promise<ActionState> {
  return withUser("setWebhookEnabled", async ({ db, actor }) => {
    await changeEndpoint(db, actor, id, { enabled });
    revalidatePath(PAGE, "layout");
    return { ok: true, message: enabled ? "Endpoint enabled." : "Endpoint disabled: nothing is sent to it until you enable it again." };
  });
}

export async function rotateWebhookSecretAction(id: string): Promise<NewSecretState> {
  return withUser("rotateWebhookSecret", async ({ db, actor }) => {
    const { secret } = await rotateEndpointSecret(db, actor, id);
    revalidatePath(PAGE, "layout");
    return { ok: true, message: "New signing secret made.", data: { endpointId: id, secret } };
  });
}

export async function deleteWebhookAction(id: string): Promise<ActionState> {
  return withUser("deleteWebhook", async ({ db, actor }) => {
    const deleted = await removeEndpoint(db, actor, id);
    revalidatePath(PAGE, "layout");
    return { ok: true, message: `Deleted the endpoint ${deleted.url}.` };
  });
}

export async function sendTestEventAction(id: string): Promise<ActionState> {
  return withUser("sendWebhookTestEvent", async ({ db, actor }) => {
    await sendTestEvent(db, actor, id);
    revalidatePath(`${PAGE}/${id}`);
    return { ok: true, message: "Test event queued: it shows in the delivery log within seconds." };
  });
}

export async function redeliverAction(deliveryId: string): Promise<ActionState> {
  return withUser("redeliverWebhook", async ({ db, actor }) => {
    await redeliverDelivery(db, actor, deliveryId);
    revalidatePath(PAGE, "layout");
    return { ok: true, message: "Delivery queued again." };
  });
}
