// GET /api/v1/usage (usage:read): requests per key per day for the owner's keys.
import { getDb } from "@/db";
import { usageForOwner } from "@/db/queries/usage";
import { authenticate } from "@/lib/api/authenticate";
import { apiError, ApiProblem, handler, json, methodNotAllowed } from "@/lib/api/http";
import { fieldErrorsOf } from "@/lib/validation/common";
import { usageQuery } from "@/lib/validation/api.schema";

export const GET = handler("usage.list", async (request: Request) => {
  const { key } = await authenticate(request, "usage:read");
  const query = usageQuery.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!query.success) {
    throw new ApiProblem(apiError(422, "validation_failed", "days must be 1-90; keyId a key id.", { details: { fields: fieldErrorsOf(query.error) } }));
  }
  const rows = await usageForOwner(await getDb(), key.owner.id, query.data.days, query.data.keyId);
  return json({ days: query.data.days, data: rows });
});

const notAllowed = methodNotAllowed("GET");
export const POST = notAllowed;
export const PUT = notAllowed;
export const PATCH = notAllowed;
export const DELETE = notAllowed;
