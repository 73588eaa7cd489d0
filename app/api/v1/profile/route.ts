// GET /api/v1/profile (profile:read) and PATCH /api/v1/profile (profile:write): the key owner's account.
import { getDb } from "@/db";
import { getProfile, updateUserName } from "@/db/queries/users";
import { authenticate } from "@/lib/api/authenticate";
import { handler, json, methodNotAllowed, readJson } from "@/lib/api/http";
import { contextFromHeaders } from "@/lib/request-context";
import { profilePatchBody } from "@/lib/validation/api.schema";

function dto(user: { id: string; email: string; name: string; role: string; createdAt: Date }) {
  return { id: user.id, email: user.email, name: user.name, role: user.role, createdAt: user.createdAt.toISOString() };
}

export const GET = handler("profile.get", async (request: Request) => {
  const { key } = await authenticate(request, "profile:read");
  // The account can vanish between verification and this read: 404 user_not_found, never a 500.
  return json(dto(await getProfile(await getDb(), key.owner.id)));
});

export const PATCH = handler("profile.update", async (request: Request) => {
  const { key } = await authenticate(request, "profile:write");
  const body = await readJson(request, profilePatchBody);
  const user = await updateUserName(await getDb(), key.owner.id, body.name, contextFromHeaders(request.headers), { keyId: key.id });
  return json(dto(user));
});

const notAllowed = methodNotAllowed("GET", "PATCH");
export const POST = notAllowed;
export const PUT = notAllowed;
export const DELETE = notAllowed;
