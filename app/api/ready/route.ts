// GET /api/ready: readiness. 200 when the database answers, 503 (with Retry-After) when it does
// not. It names no versions, hosts or drivers: an unauthenticated probe learns nothing else.
import { getDb } from "@/db";
import { pingDatabase } from "@/db/queries/health";
import { errorResponse, json } from "@/lib/api/http";
import { AppError } from "@/lib/errors";
import { errorFields, log } from "@/lib/log";

export async function GET() {
  try {
    await pingDatabase(await getDb());
    return json({ status: "ready" });
  } catch (error) {
    log.warn("ready.db_unavailable", errorFields(error));
    return errorResponse(new AppError("service_unavailable", { message: "The database is not reachable. Retry shortly.", headers: { "Retry-After": "5" } }));
  }
}
