// GET /admin/audit/export: the filtered audit log as CSV. Admins only (others: 404).
import { getDb } from "@/db";
import { listAudit } from "@/db/queries/admin";
import { toCsv } from "@/lib/csv";
import { currentUser } from "@/lib/session";
import { auditFilters } from "@/lib/validation/admin.schema";

export async function GET(request: Request) {
  const user = await currentUser();
  if (user?.role !== "admin") return new Response("Not found", { status: 404 });
  const filters = auditFilters.parse(Object.fromEntries(new URL(request.url).searchParams));
  const { rows } = await listAudit(await getDb(), filters, { max: 100_000 });
  const csv = toCsv(
    ["id", "created_at", "actor_email", "action", "target_type", "target_id", "metadata", "ip", "user_agent"],
    rows.map((r) => [r.id, r.createdAt, r.actorEmail, r.action, r.targetType, r.targetId, JSON.stringify(r.metadata), r.ip, r.userAgent]),
  );
  return new Response(csv, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="keysmith-audit-${new Date().toISOString().slice(0, 10)}.csv"`,
      "Cache-Control": "no-store",
    },
  });
}
