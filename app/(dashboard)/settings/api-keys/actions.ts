"use server";

import { revalidatePath } from "next/cache";
import { createApiKey, deleteApiKey } from "@/db/queries/api-keys";
import { validationError, withUser } from "@/lib/action";
import type { ActionState } from "@/lib/action-state";
import { AppError } from "@/lib/errors";
import { getSecrets } from "@/lib/secrets";
import { createApiKeyFormValues, resolveCreateApiKey } from "@/lib/validation/api-key.schema";
import { uuidSchema } from "@/lib/validation/common";

const PAGE = "/settings/api-keys";

export type CreatedKey = { secret: string; id: string; name: string; hint: string };

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
    const { key, secret } = await createApiKey(db, user.id, parsed.data, context, getSecrets().keyPepper);
    revalidatePath(PAGE);
    return { ok: true, data: { secret, id: key.id, name: key.name, hint: key.hint } };
  });
}

/** Revokes the key and removes it from the owner's list. Another user's id is "not found". */
export async function deleteApiKeyAction(id: unknown): Promise<ActionState> {
  return withUser("deleteApiKey", async ({ user, db, context }) => {
    const keyId = uuidOrNotFound(id);
    const key = await deleteApiKey(db, user.id, keyId, context);
    revalidatePath(PAGE);
    return { ok: true, message: `“${key.name}” was deleted. Apps using it can no longer authenticate.` };
  });
}

function uuidOrNotFound(id: unknown): string {
  const parsed = uuidSchema.safeParse(id);
  if (!parsed.success) throw new AppError("not_found:api_key");
  return parsed.data;
}
