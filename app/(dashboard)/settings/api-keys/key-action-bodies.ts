import "server-only";
// The bodies of the key dialogs' server actions, shared by the personal API Keys page
// (./actions.ts) and a team's (app/(dashboard)/t/[slug]/settings/api-keys/actions.ts). Each parses
// its form, calls one key command (lib/commands/keys.ts, which owns every permission and policy
// check, in the transaction that changes the row) and maps the result to the form's state. `page`
// is the list to refresh; the commands decide whose keys `actor` may touch.
import { revalidatePath } from "next/cache";
import { validationError } from "@/lib/action";
import type { ActionState } from "@/lib/action-state";
import { appNow } from "@/lib/clock";
import { createKey, deleteKey, revokeKey, rotateKey, updateKey, type KeyActor } from "@/lib/commands/keys";
import type { Database } from "@/db";
import { AppError } from "@/lib/errors";
import { GRACE_CHOICES, type GracePeriod } from "@/lib/keys/grace";
import { createApiKeyFormValues, resolveCreateApiKey, resolveEditApiKey } from "@/lib/validation/api-key.schema";

export type CreatedKey = { secret: string; id: string; name: string; hint: string; previousSecretValidUntil?: string };

/** Where a key's list lives, and its own page when it has one (a team key has none yet). */
export type KeyPages = { list: string; key?: (id: string) => string };

function refresh(pages: KeyPages, id?: string) {
  revalidatePath(pages.list);
  if (id && pages.key) revalidatePath(pages.key(id));
}

export async function createKeyBody(db: Database, actor: KeyActor, pages: KeyPages, form: FormData): Promise<ActionState<CreatedKey>> {
  const parsed = resolveCreateApiKey(createApiKeyFormValues(form));
  if (!parsed.success) throw validationError(parsed.error);
  const { key, secret } = await onExpiryField(form, () => createKey(db, actor, parsed.data));
  refresh(pages);
  return { ok: true, data: { secret, id: key.id, name: key.name, hint: key.hint } };
}

export async function updateKeyBody(db: Database, actor: KeyActor, pages: KeyPages, id: string, form: FormData): Promise<ActionState> {
  const parsed = resolveEditApiKey(createApiKeyFormValues(form), appNow(actor.clockOffsetMs));
  if (!parsed.success) throw validationError(parsed.error);
  const key = await onExpiryField(form, () => updateKey(db, actor, id, parsed.data));
  refresh(pages, key.id);
  return { ok: true, message: `“${key.name}” was updated. Changes apply to its next request.` };
}

export async function rotateKeyBody(db: Database, actor: KeyActor, pages: KeyPages, id: unknown, grace: unknown): Promise<ActionState<CreatedKey>> {
  if (typeof grace !== "string" || !(GRACE_CHOICES as string[]).includes(grace)) {
    throw new AppError("validation_failed", { fieldErrors: { grace: "Choose when the current secret stops working." } });
  }
  const { key, secret, graceUntil } = await rotateKey(db, actor, id, grace as GracePeriod);
  refresh(pages, key.id);
  return {
    ok: true,
    data: { secret, id: key.id, name: key.name, hint: key.hint, previousSecretValidUntil: graceUntil.toISOString() },
  };
}

export async function revokeKeyBody(db: Database, actor: KeyActor, pages: KeyPages, id: unknown): Promise<ActionState> {
  const key = await revokeKey(db, actor, id);
  refresh(pages, key.id);
  return { ok: true, message: `“${key.name}” was revoked. Apps using it can no longer authenticate.` };
}

export async function deleteKeyBody(db: Database, actor: KeyActor, pages: KeyPages, id: unknown): Promise<ActionState> {
  const key = await deleteKey(db, actor, id);
  refresh(pages);
  return { ok: true, message: `“${key.name}” was deleted. Apps using it can no longer authenticate.` };
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
