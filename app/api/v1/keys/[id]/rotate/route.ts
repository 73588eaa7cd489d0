// POST /api/v1/keys/{id}/rotate (keys:rotate): a new secret for the same key, shown once. Only a
// key's current secret may rotate, and never a key that outlives it (lib/commands/keys.ts).
import { getDb } from "@/db";
import { apiActor, authenticate } from "@/lib/api/authenticate";
import { keyDto } from "@/lib/api/dto";
import { handler, json, methodNotAllowed, readJson } from "@/lib/api/http";
import { rotateKey } from "@/lib/commands/keys";
import { rotateKeyBody } from "@/lib/validation/api.schema";

export const POST = handler("keys.rotate", async (request: Request, { params }: { params: Promise<{ id: string }> }) => {
  const caller = await authenticate(request, "keys:rotate");
  const hasBody = request.headers.has("content-type") || Number(request.headers.get("content-length") ?? 0) > 0;
  const body = hasBody ? await readJson(request, rotateKeyBody) : { grace: "none" as const };
  const { key, secret, graceUntil } = await rotateKey(await getDb(), apiActor(request, caller), (await params).id, body.grace);
  // The only response that ever carries the new secret.
  return json({ ...keyDto(key), key: secret, previousSecretValidUntil: graceUntil.toISOString() });
});

const notAllowed = methodNotAllowed("POST");
export const GET = notAllowed;
export const PUT = notAllowed;
export const PATCH = notAllowed;
export const DELETE = notAllowed;
