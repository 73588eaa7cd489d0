"use server";

// Key requests' server actions (the team's create-key dialog and its Requests page): thin adapters
// over lib/commands/key-requests.ts, which re-reads the caller's membership and the team's policy,
// locked, with the request row, in the transaction that changes it. The slug comes from the page as
// the first argument, as untrusted as the rest.
import { revalidatePath } from "next/cache";
import { validationError, withUser } from "@/lib/action";
import type { ActionState } from "@/lib/action-state";
import { appNow } from "@/lib/clock";
import { approveKeyRequest, cancelKeyRequest, denyKeyRequest, issueRequestedKey, requestTeamKey } from "@/lib/commands/key-requests";
import { AppError } from "@/lib/errors";
import { createApiKeyFormValues, resolveCreateApiKey } from "@/lib/validation/api-key.schema";
import type { CreatedKey } from "@/app/(dashboard)/settings/api-keys/key-action-bodies";

const refresh = (slug: unknown) => {
  revalidatePath(`/t/${String(slug)}/settings/requests`);
  revalidatePath(`/t/${String(slug)}/settings/api-keys`);
};

export type RequestedKey = { id: string; name: string };

/** The create-key dialog, for a key the team's policy puts behind approval: the same form, plus why. */
export async function requestTeamKeyAction(slug: string, _prev: ActionState<RequestedKey>, form: FormData): Promise<ActionState<RequestedKey>> {
  return withUser("requestTeamKey", async ({ db, actor }) => {
    const parsed = resolveCreateApiKey(createApiKeyFormValues(form), appNow(actor.clockOffsetMs));
    if (!parsed.success) throw validationError(parsed.error);
    const justification = form.get("justification");
    try {
      const request = await requestTeamKey(db, actor, slug, { ...parsed.data, justification: typeof justification === "string" ? justification : null });
      refresh(slug);
      return { ok: true, data: { id: request.id, name: request.name } };
    } catch (error) {
      // The command names the expiry `expiresAt`; the form shows it beside the expiry choice.
      const problem = error instanceof AppError ? error.fieldErrors?.expiresAt : undefined;
      if (!problem) throw error;
      throw new AppError("validation_failed", { fieldErrors: { [form.get("expiration") === "custom" ? "customDate" : "expiration"]: problem } });
    }
  });
}

export async function approveKeyRequestAction(slug: string, _prev: ActionState, form: FormData): Promise<ActionState> {
  return withUser("approveKeyRequest", async ({ db, actor }) => {
    const request = await approveKeyRequest(db, actor, slug, { requestId: form.get("requestId"), reason: form.get("reason") || null });
    refresh(slug);
    return { ok: true, message: `“${request.name}” was approved. The requester can now create the key.` };
  });
}

export async function denyKeyRequestAction(slug: string, _prev: ActionState, form: FormData): Promise<ActionState> {
  return withUser("denyKeyRequest", async ({ db, actor }) => {
    const request = await denyKeyRequest(db, actor, slug, { requestId: form.get("requestId"), reason: form.get("reason") });
    refresh(slug);
    return { ok: true, message: `“${request.name}” was denied. The requester sees your reason.` };
  });
}

export async function cancelKeyRequestAction(slug: string, requestId: unknown): Promise<ActionState> {
  return withUser("cancelKeyRequest", async ({ db, actor }) => {
    const request = await cancelKeyRequest(db, actor, slug, { requestId });
    refresh(slug);
    return { ok: true, message: `Your request for “${request.name}” was cancelled.` };
  });
}

/** The approved request's key, created now; its secret is returned here once and never again. */
export async function issueRequestedKeyAction(slug: string, requestId: unknown): Promise<ActionState<CreatedKey>> {
  return withUser("issueRequestedKey", async ({ db, actor }) => {
    const { key, secret } = await issueRequestedKey(db, actor, slug, { requestId });
    refresh(slug);
    return { ok: true, data: { secret, id: key.id, name: key.name, hint: key.hint } };
  });
}
