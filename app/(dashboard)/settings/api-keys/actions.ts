"use server";

import { revalidatePath } from "next/cache";
import { createApiKey, getApiKey, updateApiKey } from "@/db/queries/api-keys";
import { deleteApiKey, revokeApiKey } from "@/db/queries/key-revocation";
import { rotateApiKey } from "@/db/queries/rotations";
import { validationError, withUser } from "@/lib/action";
import type { ActionState } from "@/lib/action-state";
import { appNow } from "@/lib/clock";
import { AppError } from "@/lib/errors";
import { GRACE_CHOICES, GRACE_PERIODS, expiryPolicyError, type GracePeriod } from "@/lib/policy";
import { getSecrets } from "@/lib/secrets";
import { createApiKeyFormValues, resolveCreateApiKey, resolveEditApiKey } from "@/lib/validation/api-key.schema";
import { uuidSchema } from "@/lib/validation/common";

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
  return withUser("createApiKey", async ({ user, db, context }) => {
    const parsed = resolveCreateApiKey(createApiKeyFormValues(form));
    if (!parsed.success) throw validationError(parsed.error);
    const expiresAt = parsed.data.expiresAt ?? null;
    assertPolicy(expiresAt, form);
    const { key, secret } = await createApiKey(db, user.id, { ...parsed.data, expiresAt }, context, getSecrets().keyPepper);
    revalidatePath(PAGE);
    return { ok: true, data: { secret, id: key.id, name: key.name, hint: key.hint } };
  });
}

/**
 * Renames, re-describes, re-scopes or re-dates one of the user's keys. The maximum lifetime counts
 * from the key's creation (read owner-scoped; it never changes); updateApiKey refuses revoked and
 * expired keys under its row lock.
 */
export async function updateApiKeyAction(id: string, _prev: ActionState, form: FormData): Promise<ActionState> {
  return withUser("updateApiKey", async ({ user, db, context, clockOffsetMs }) => {
    const keyId = uuidOrNotFound(id);
    const parsed = resolveEditApiKey(createApiKeyFormValues(form), appNow(clockOffsetMs));
    if (!parsed.success) throw validationError(parsed.error);
    if (parsed.data.expiresAt !== undefined) assertPolicy(parsed.data.expiresAt, form, await getApiKey(db, user.id, keyId));
    const key = await updateApiKey(db, user.id, keyId, parsed.data, context, { clockOffsetMs });
    revalidatePath(PAGE);
    revalidatePath(`${PAGE}/${keyId}`);
    return { ok: true, message: `“${key.name}” was updated. Changes apply to its next request.` };
  });
}

/** A new secret for the same key; the old one keeps working for the chosen grace period. */
export async function rotateApiKeyAction(id: unknown, grace: unknown): Promise<ActionState<CreatedKey>> {
  return withUser("rotateApiKey", async ({ user, db, context, clockOffsetMs }) => {
    const keyId = uuidOrNotFound(id);
    if (typeof grace !== "string" || !(GRACE_CHOICES as string[]).includes(grace)) {
      throw new AppError("bad_request:validation", { fieldErrors: { grace: "Choose when the current secret stops working." } });
    }
    const { key, secret, graceUntil } = await rotateApiKey(
      db,
      user.id,
      keyId,
      { graceMs: GRACE_PERIODS[grace as GracePeriod].ms, via: "dashboard", clockOffsetMs },
      context,
      getSecrets().keyPepper,
    );
    revalidatePath(PAGE);
    revalidatePath(`${PAGE}/${keyId}`);
    return {
      ok: true,
      data: { secret, id: key.id, name: key.name, hint: key.hint, previousSecretValidUntil: graceUntil.toISOString() },
    };
  });
}

/** Stops the key working at once; it stays in the owner's list, marked Revoked. */
export async function revokeApiKeyAction(id: unknown): Promise<ActionState> {
  return withUser("revokeApiKey", async ({ user, db, context }) => {
    const keyId = uuidOrNotFound(id);
    const key = await revokeApiKey(db, user.id, keyId, context);
    revalidatePath(PAGE);
    revalidatePath(`${PAGE}/${keyId}`);
    return { ok: true, message: `“${key.name}” was revoked. Apps using it can no longer authenticate.` };
  });
}

/** Revokes the key (if it still worked) and removes it from the owner's list. Another user's id is "not found". */
export async function deleteApiKeyAction(id: unknown): Promise<ActionState> {
  return withUser("deleteApiKey", async ({ user, db, context }) => {
    const keyId = uuidOrNotFound(id);
    const key = await deleteApiKey(db, user.id, keyId, context);
    revalidatePath(PAGE);
    return { ok: true, message: `“${key.name}” was deleted. Apps using it can no longer authenticate.` };
  });
}

function assertPolicy(expiresAt: Date | null, form: FormData, key?: { createdAt: Date; expiresAt: Date | null }) {
  const problem = expiryPolicyError(expiresAt, key);
  if (problem) {
    const field = form.get("expiration") === "custom" ? "customDate" : "expiration";
    throw new AppError("bad_request:validation", { fieldErrors: { [field]: problem } });
  }
}

function uuidOrNotFound(id: unknown): string {
  const parsed = uuidSchema.safeParse(id);
  if (!parsed.success) throw new AppError("not_found:api_key");
  return parsed.data;
}
