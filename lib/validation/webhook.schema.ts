import { z } from "zod";
import { WEBHOOK_URL_MAX } from "../webhooks/address";
import { WEBHOOK_EVENTS } from "../webhooks/events";
import { plainText } from "./common";

export const WEBHOOK_DESCRIPTION_MAX = 200;

const url = z
  .string({ error: "Enter the endpoint's URL." })
  .trim()
  .min(1, "Enter the endpoint's URL.")
  .max(WEBHOOK_URL_MAX, `The URL must be at most ${WEBHOOK_URL_MAX} characters.`);

const events = z
  .array(z.enum(WEBHOOK_EVENTS, { error: "Choose events from the list." }), { error: "Choose at least one event." })
  .min(1, "Choose at least one event.")
  .max(WEBHOOK_EVENTS.length)
  .transform((list) => [...new Set(list)]);

/** A new endpoint: its URL (the SSRF rules are the command's), what it is for, the events it takes. */
export const createWebhookInput = z.strictObject({
  url,
  description: plainText("The description", WEBHOOK_DESCRIPTION_MAX).default(""),
  events,
});

/** A change to an endpoint: any of its fields, or turning it on or off. */
export const updateWebhookInput = z.strictObject({
  url: url.optional(),
  description: plainText("The description", WEBHOOK_DESCRIPTION_MAX).optional(),
  events: events.optional(),
  enabled: z.boolean({ error: "Enabled must be true or false." }).optional(),
});

/** An endpoint form's fields as the commands take them (the checked events; text as typed). */
export function endpointFormValues(form: FormData): { url: string; description: string; events: string[] } {
  const text = (name: string) => {
    const value = form.get(name);
    return typeof value === "string" ? value : "";
  };
  return { url: text("url"), description: text("description"), events: form.getAll("events").filter((v): v is string => typeof v === "string") };
}
