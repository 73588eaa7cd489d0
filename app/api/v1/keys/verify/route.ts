// POST /api/v1/keys/verify (keys:verify): lets another service check a key it was handed.
import { authenticate, verifyDeps } from "@/lib/api/authenticate";
import { handler, json, methodNotAllowed, readJson } from "@/lib/api/http";
import { verifyKey } from "@/lib/keys/verify";
import { clientIp } from "@/lib/request-context";
import { isScope, type Scope } from "@/lib/scopes";
import { verifyKeyBody } from "@/lib/validation/api.schema";

export const POST = handler("keys.verify", async (request: Request) => {
  await authenticate(request, "keys:verify");
  const body = await readJson(request, verifyKeyBody);
  // An unknown scope can never be held, so asking for one is simply INSUFFICIENT_SCOPE.
  const wanted = (body.scopes ?? []) as Scope[];
  const unknown = wanted.filter((s) => !isScope(s));
  const result = await verifyKey(await verifyDeps(request), body.key, {
    scopes: wanted.filter(isScope),
    ip: clientIp(request.headers),
  });
  const key = "key" in result ? result.key : null;
  const code = result.code === "VALID" && unknown.length > 0 ? "INSUFFICIENT_SCOPE" : result.code;
  return json({
    valid: code === "VALID",
    code,
    keyId: key?.id ?? null,
    ownerId: key?.owner.id ?? null,
    scopes: key?.scopes ?? [],
    expiresAt: key?.expiresAt?.toISOString() ?? null,
    // Only a key that was found and is otherwise valid has scopes worth naming.
    ...(code === "INSUFFICIENT_SCOPE" ? { missingScopes: [...("missing" in result ? result.missing : []), ...unknown] } : {}),
    ...(result.code === "RATE_LIMITED" ? { retryAfterSeconds: result.retryAfterSeconds } : {}),
    // The checked key's limit after this check (not the verifier's, which is in the headers).
    ...("rate" in result ? { rateLimit: { limit: result.rate.limit, remaining: result.rate.remaining, resetSeconds: result.rate.resetSeconds } } : {}),
  });
});

const notAllowed = methodNotAllowed("POST");
export const GET = notAllowed;
export const PUT = notAllowed;
export const PATCH = notAllowed;
export const DELETE = notAllowed;
