// GET /admin/audit/export: the filtered audit log as CSV, newest first, every row, streamed.
// Admins only (others: 404, checked before anything else so the endpoint does not reveal itself).
import { getDb } from "@/db";
import { exportAudit } from "@/db/queries/audit-log";
import { csvResponse } from "@/lib/csv";
import { errorFields, log } from "@/lib/log";
import { currentUser, needsSecondFactorSetup } from "@/lib/session";
import { auditFilters } from "@/lib/validation/admin.schema";

export async function GET(request: Request) {
  const user = await currentUser();
  if (user?.role !== "admin" || needsSecondFactorSetup(user)) return new Response("Not found", { status: 404 });
  const filters = auditFilters.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!filters.success) return new Response("Unknown filter in the URL. Export from the Audit log page.", { status: 400 });
  return csvResponse({
    filename: `keysmith-audit-${new Date().toISOString().slice(0, 10)}.csv`,
    header: ["id", "created_at", "actor_email", "action", "target_type", "target_id", "metadata", "ip", "user_agent"],
    batches: exportAudit(await getDb(), filters.data),
    toRow: (r) => [r.id, r.createdAt, r.actorEmail, r.action, r.targetType, r.targetId, JSON.stringify(r.metadata), r.ip, r.userAgent],
    onError: (error) => log.error("admin.audit_export_failed", errorFields(error)),
  });
}
