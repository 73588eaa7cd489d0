// GET (keys:read), PATCH and DELETE (keys:write) /api/v1/keys/{id}. Another user's key, an
// unknown id and a malformed id all answer the same 404; a revoked or expired key cannot be
// changed (409), only deleted.
import { getDb } from "@/db";
import { getApiKey, updateApiKey } from "@/db/queries/api-keys";
import { deleteApiKey } from "@/db/queries/key-revocation";
import { authenticate } from "@/lib/api/authenticate";
import { keyDto } from "@/lib/api/dto";
import { handler, json, methodNotAllowed, readJson } from "@/lib/api/http";
import { assertCanManage, assertExpiryPolicy, assertWithinCaller } from "@/lib/api/key-rules";
import { clockOffsetMs } from "@/lib/clock";
import { AppError } from "@/lib/errors";
import { contextFromHeaders } from "@/lib/request-context";
import { normalizeScopes, type Scope } from "@/lib/scopes";
import { patchKeyBody } from "@/lib/validation/api.schema";
import { uuidSchema } from "@/lib/validation/common";

type Params = { params: Promise<{ id: string }> };

async function keyId({ params }: Params): Promise<string> {
  const parsed = uuidSchema.safeParse((await params).id);
  if (!parsed.success) throw new AppError("not_found:api_key");
  return parsed.data;
}

export const GET = handler("keys.get", async (request: Request, ctx: Params) => {
  const caller = await authenticate(request, "keys:read");
  const key = await getApiKey(await getDb(), caller.key.owner.id, await keyId(ctx));
  return json(keyDto(key));
});

export const PATCH = handler("keys.update", async (request: Request, ctx: Params) => {
  const caller = await authenticate(request, "keys:write");
  const body = await readJson(request, patchKeyBody);
  const db = await getDb();
  const id = await keyId(ctx);
  const target = await getApiKey(db, caller.key.owner.id, id);
  // The deployment's rule first (an invalid expiry is 422 whoever asks; it counts from the
  // target's creation), then the caller's limits (403).
  assertExpiryPolicy(body.expiresAt, target);
  assertCanManage(caller, target);
  const scoped = body.scopes ? normalizeScopes(body.scopes as Scope[]) : undefined;
  assertWithinCaller(caller, { scopes: scoped?.scopes, expiresAt: body.expiresAt });
  const key = await updateApiKey(
    db,
    caller.key.owner.id,
    id,
    {
      name: body.name,
      // An empty description clears it, as in the dashboard (stored as null, not "").
      description: body.description === undefined ? undefined : body.description || null,
      access: scoped?.access,
      scopes: scoped?.scopes,
      expiresAt: body.expiresAt,
    },
    contextFromHeaders(request.headers),
    { viaKeyId: caller.key.id, clockOffsetMs: clockOffsetMs(request.headers) },
  );
  return json(keyDto(key));
});

export const DELETE = handler("keys.delete", async (request: Request, ctx: Params) => {
  const caller = await authenticate(request, "keys:write");
  const db = await getDb();
  const id = await keyId(ctx);
  assertCanManage(caller, await getApiKey(db, caller.key.owner.id, id));
  const key = await deleteApiKey(db, caller.key.owner.id, id, contextFromHeaders(request.headers), { keyId: caller.key.id });
  return json(keyDto(key));
});

const notAllowed = methodNotAllowed("GET", "PATCH", "DELETE");
export const POST = notAllowed;
export const PUT = notAllowed;
