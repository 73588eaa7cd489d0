"use server";

// The API Keys page's server actions: thin adapters over the key commands (lib/commands/keys.ts),
// which own every permission and policy check. Each parses its form, calls one command and maps
// the result to the form's state.
import { revalidatePath } from "next/cache";
import { validationError, withUser } from "@/lib/action";
import type { ActionState } from "@/lib/action-state";
import { appNow } from "@/lib/clock";
import { createKey, deleteKey, revokeKey, rotateKey, updateKey } from "@/lib/commands/keys";
import { AppError } from "@/lib/errors";
import { GRACE_CHOICES, type GracePeriod } from "@/lib/keys/grace";
import { createApiKeyFormValues, resolveCreateApiKey, resolveEditApiKey } from "@/lib/validation/api-key.schema";

const PAGE = "/settings/api-keys";

export type CreatedKey = { secret: string; id: string; name: string; hint: string; previousSecretValidUntil?: string };

/**
 * Creates a key for the signed-in user. The response is the only place the plaintext ever
 * travels; the dialog keeps it in component state and drops it on close.
 */
export async function createApiKeyAction(
  _prev: ActionState<CreatedKey>,
  form: FormData,
): Promise<ActionState<CreatedKey>> {
  return withUser("createApiKey", async ({ db, actor }) => {
    const parsed = resolveCreateApiKey(createApiKeyFormValues(form));
    if (!parsed.success) throw validationError(parsed.error);
    const { key, secret } = await onExpiryField(form, () => createKey(db, actor, parsed.data));
    revalidatePath(PAGE);
    return { ok: true, data: { secret, id: key.id, name: key.name, hint: key.hint } };
  });
}

/** Renames, re-describes, re-scopes or re-dates one of the user's keys. */
export async function updateApiKeyAction(id: string, _prev: ActionState, form: FormData): Promise<ActionState> {
  return withUser("updateApiKey", async ({ db, actor }) => {
    const parsed = resolveEditApiKey(createApiKeyFormValues(form), appNow(actor.clockOffsetMs));
    if (!parsed.success) throw validationError(parsed.error);
    const key = await onExpiryField(form, () => updateKey(db, actor, id, parsed.data));
    revalidatePath(PAGE);
    revalidatePath(`${PAGE}/${key.id}`);
    return { ok: true, message: `“${key.name}” was updated. Changes apply to its next request.` };
  });
}

/** A new secret for the same key; the old one keeps working for the chosen grace period. */
export async function rotateApiKeyAction(id: unknown, grace: unknown): Promise<ActionState<CreatedKey>> {
  return withUser("rotateApiKey", async ({ db, actor }) => {
    if (typeof grace !== "string" || !(GRACE_CHOICES as string[]).includes(grace)) {
      throw new AppError("validation_failed", { fieldErrors: { grace: "Choose when the current secret stops working." } });
    }
    const { key, secret, graceUntil } = await rotateKey(db, actor, id, grace as GracePeriod);
    revalidatePath(PAGE);
    revalidatePath(`${PAGE}/${key.id}`);
    return {
      ok: true,
      data: { secret, id: key.id, name: key.name, hint: key.hint, previousSecretValidUntil: graceUntil.toISOString() },
    };
  });
}

/** Stops the key working at once; it stays in the owner's list, marked Revoked. */
export async function revokeApiKeyAction(id: unknown): Promise<ActionState> {
  return withUser("revokeApiKey", async ({ db, actor }) => {
    const key = await revokeKey(db, actor, id);
    revalidatePath(PAGE);
    revalidatePath(`${PAGE}/${key.id}`);
    return { ok: true, message: `“${key.name}” was revoked. Apps using it can no longer authenticate.` };
  });
}

/** Revokes the key (if it still worked) and removes it from the owner's list. Another user's id is "not found". */
export async function deleteApiKeyAction(id: unknown): Promise<ActionState> {
  return withUser("deleteApiKey", async ({ db, actor }) => {
    const key = await deleteKey(db, actor, id);
    revalidatePath(PAGE);
    return { ok: true, message: `“${key.name}” was deleted. Apps using it can no longer authenticate.` };
  });
}

/**
 * The commands name the expiry field `expiresAt`; the form shows its error beside the field the
 * user used (the custom date, or the expiry choice).
 */
async function onExpiryField<T>(form: FormData, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    const problem = error instanceof AppError ? error.fieldErrors?.expiresAt : undefined;
    if (!problem) throw error;
    const field = form.get("expiration") === "custom" ? "customDate" : "expiration";
    throw new AppError("validation_failed", { fieldErrors: { [field]: problem } });
  }
}
