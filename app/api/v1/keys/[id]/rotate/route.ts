// POST /api/v1/keys/{id}/rotate (keys:rotate): a new secret for the same key, shown once. Only a
// key's current secret may rotate (a previous one in its grace period gets 403 previous_secret).
import { getDb } from "@/db";
import { getApiKey } from "@/db/queries/api-keys";
import { rotateApiKey } from "@/db/queries/rotations";
import { authenticate } from "@/lib/api/authenticate";
import { keyDto } from "@/lib/api/dto";
import { handler, json, methodNotAllowed, readJson } from "@/lib/api/http";
import { assertCanManage, assertCurrentSecret } from "@/lib/api/key-rules";
import { clockOffsetMs } from "@/lib/clock";
import { AppError } from "@/lib/errors";
import { GRACE_PERIODS } from "@/lib/policy";
import { contextFromHeaders } from "@/lib/request-context";
import { getSecrets } from "@/lib/secrets";
import { rotateKeyBody } from "@/lib/validation/api.schema";
import { uuidSchema } from "@/lib/validation/common";

export const POST = handler("keys.rotate", async (request: Request, ctx: { params: Promise<{ id: string }> }) => {
  const caller = await authenticate(request, "keys:rotate");
  assertCurrentSecret(caller);
  const hasBody = request.headers.has("content-type") || Number(request.headers.get("content-length") ?? 0) > 0;
  const body = hasBody ? await readJson(request, rotateKeyBody) : { grace: "none" as const };
  const id = uuidSchema.safeParse((await ctx.params).id);
  if (!id.success) throw new AppError("not_found:api_key");
  const db = await getDb();
  assertCanManage(caller, await getApiKey(db, caller.key.owner.id, id.data));
  const { key, secret, graceUntil } = await rotateApiKey(
    db,
    caller.key.owner.id,
    id.data,
    { graceMs: GRACE_PERIODS[body.grace].ms, via: "api", viaKeyId: caller.key.id, clockOffsetMs: clockOffsetMs(request.headers) },
    contextFromHeaders(request.headers),
    getSecrets().keyPepper,
  );
  // The only response that ever carries the new secret.
  return json({ ...keyDto(key), key: secret, previousSecretValidUntil: graceUntil.toISOString() });
});

const notAllowed = methodNotAllowed("POST");
export const GET = notAllowed;
export const PUT = notAllowed;
export const PATCH = notAllowed;
export const DELETE = notAllowed;
