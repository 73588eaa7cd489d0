// GET /api/v1/keys (keys:read): the caller's keys. POST /api/v1/keys (keys:write): create one.
import { getDb } from "@/db";
import { createApiKey, listApiKeys } from "@/db/queries/api-keys";
import { authenticate } from "@/lib/api/authenticate";
import { keyDto } from "@/lib/api/dto";
import { apiError, ApiProblem, handler, json, methodNotAllowed, readJson } from "@/lib/api/http";
import { assertExpiryPolicy, assertWithinCaller } from "@/lib/api/key-rules";
import { normalizeScopes, type Scope } from "@/lib/scopes";
import { getSecrets } from "@/lib/secrets";
import { contextFromHeaders } from "@/lib/request-context";
import { createKeyBody, listQuery } from "@/lib/validation/api.schema";

const DEFAULT_LIFETIME_MS = 30 * 86_400_000;

export const GET = handler("keys.list", async (request: Request) => {
  const caller = await authenticate(request, "keys:read");
  const query = listQuery.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!query.success) throw new ApiProblem(apiError(422, "validation_failed", "limit must be 1-100 and offset 0 or more."));
  const keys = await listApiKeys(await getDb(), caller.key.owner.id, query.data);
  const now = new Date();
  return json({ data: keys.map((k) => keyDto(k, now)), limit: query.data.limit, offset: query.data.offset });
});

export const POST = handler("keys.create", async (request: Request) => {
  const caller = await authenticate(request, "keys:write");
  const body = await readJson(request, createKeyBody);
  const { access, scopes } = normalizeScopes(body.scopes as Scope[]);
  const expiresAt = body.expiresAt === undefined ? new Date(Date.now() + DEFAULT_LIFETIME_MS) : body.expiresAt;
  // The deployment's rule first (an invalid expiry is 422 whoever asks), then the caller's limits (403).
  assertExpiryPolicy(expiresAt);
  assertWithinCaller(caller, { scopes, expiresAt });
  const { key, secret } = await createApiKey(
    await getDb(),
    caller.key.owner.id,
    { name: body.name, description: body.description || null, access, scopes, expiresAt },
    contextFromHeaders(request.headers),
    getSecrets().keyPepper,
    { keyId: caller.key.id },
  );
  // The only response that ever carries this secret.
  return json({ ...keyDto(key), key: secret }, { status: 201 });
});

const notAllowed = methodNotAllowed("GET", "POST");
export const PUT = notAllowed;
export const PATCH = notAllowed;
export const DELETE = notAllowed;
