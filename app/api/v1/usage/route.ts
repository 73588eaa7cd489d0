// GET /api/v1/usage (usage:read): requests per key per day for the owner's keys.
import { getDb } from "@/db";
import { usageForOwner } from "@/db/queries/usage";
import { authenticate } from "@/lib/api/authenticate";
import { handler, json, methodNotAllowed, readQuery } from "@/lib/api/http";
import { usageQuery } from "@/lib/validation/api.schema";

export const GET = handler("usage.list", async (request: Request) => {
  const { key } = await authenticate(request, "usage:read");
  const query = readQuery(request, usageQuery, "days must be 1-90; keyId a key id.");
  const rows = await usageForOwner(await getDb(), key.owner.id, query.days, query.keyId);
  return json({ days: query.days, data: rows });
});

const notAllowed = methodNotAllowed("GET");
export const POST = notAllowed;
export const PUT = notAllowed;
export const PATCH = notAllowed;
export const DELETE = notAllowed;
