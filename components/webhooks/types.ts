import type { ActionState } from "@/lib/action-state";

/** The form values a refused endpoint form is filled with again. */
export type EndpointFormValues = { url: string; description: string; events: string[] };
/** What adding an endpoint or making a new secret answers: the secret, once. */
export type NewSecretState = ActionState<{ values?: EndpointFormValues; endpointId?: string; secret?: string }>;
