// GET (keys:read), PATCH and DELETE (keys:write) /api/v1/keys/{id}. Another user's key, an
// unknown id and a malformed id all answer the same 404; a revoked or expired key cannot be
// changed (409), only deleted. The checks live in lib/commands/keys.ts.
import { getDb } from "@/db";
import { apiActor, authenticate } from "@/lib/api/authenticate";
import { keyDto } from "@/lib/api/dto";
import { handler, json, methodNotAllowed, readJson } from "@/lib/api/http";
import { deleteKey, getKey, updateKey } from "@/lib/commands/keys";
import { patchKeyBody } from "@/lib/validation/api.schema";

type Params = { params: Promise<{ id: string }> };

export const GET = handler("keys.get", async (request: Request, { params }: Params) => {
  const caller = await authenticate(request, "keys:read");
  return json(keyDto(await getKey(await getDb(), apiActor(request, caller), (await params).id)));
});

export const PATCH = handler("keys.update", async (request: Request, { params }: Params) => {
  const caller = await authenticate(request, "keys:write");
  const body = await readJson(request, patchKeyBody);
  return json(keyDto(await updateKey(await getDb(), apiActor(request, caller), (await params).id, body)));
});

export const DELETE = handler("keys.delete", async (request: Request, { params }: Params) => {
  const caller = await authenticate(request, "keys:write");
  return json(keyDto(await deleteKey(await getDb(), apiActor(request, caller), (await params).id)));
});

const notAllowed = methodNotAllowed("GET", "PATCH", "DELETE");
export const POST = notAllowed;
export const PUT = notAllowed;
