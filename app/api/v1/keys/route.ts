// GET /api/v1/keys (keys:read): the caller's keys. POST /api/v1/keys (keys:write): create one.
import { getDb } from "@/db";
import { apiActor, authenticate } from "@/lib/api/authenticate";
import { keyDto } from "@/lib/api/dto";
import { handler, json, methodNotAllowed, readJson, readQuery } from "@/lib/api/http";
import { createKey, listKeys } from "@/lib/commands/keys";
import { createKeyBody, listQuery } from "@/lib/validation/api.schema";

export const GET = handler("keys.list", async (request: Request) => {
  const caller = await authenticate(request, "keys:read");
  const page = readQuery(request, listQuery, "limit must be 1-100 and offset 0 or more.");
  const keys = await listKeys(await getDb(), apiActor(request, caller), page);
  const now = new Date();
  return json({ data: keys.map((k) => keyDto(k, now)), limit: page.limit, offset: page.offset });
});

export const POST = handler("keys.create", async (request: Request) => {
  const caller = await authenticate(request, "keys:write");
  const body = await readJson(request, createKeyBody);
  const { key, secret } = await createKey(await getDb(), apiActor(request, caller), body);
  // The only response that ever carries this secret.
  return json({ ...keyDto(key), key: secret }, { status: 201 });
});

const notAllowed = methodNotAllowed("GET", "POST");
export const PUT = notAllowed;
export const PATCH = notAllowed;
export const DELETE = notAllowed;
