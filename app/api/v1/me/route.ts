// GET /api/v1/me: who this key belongs to and what it may do. Any valid key may ask.
import { authenticate } from "@/lib/api/authenticate";
import { handler, json, methodNotAllowed } from "@/lib/api/http";

export const GET = handler("me", async (request: Request) => {
  const { key } = await authenticate(request);
  return json({
    owner: { id: key.owner.id, email: key.owner.email, name: key.owner.name },
    key: { id: key.id, name: key.name, access: key.access, scopes: key.scopes, expiresAt: key.expiresAt?.toISOString() ?? null },
  });
});

const notAllowed = methodNotAllowed("GET");
export const POST = notAllowed;
export const PUT = notAllowed;
export const PATCH = notAllowed;
export const DELETE = notAllowed;
