// GET /admin/keys/export: the filtered admin key list as CSV. Admins only (others: 404); the
// session is checked here, not only by the page that links to it.
import { getDb } from "@/db";
import { exportAllKeys } from "@/db/queries/admin";
import { toCsv } from "@/lib/csv";
import { keyStatus } from "@/lib/keys/status";
import { policy } from "@/lib/policy";
import { currentUser } from "@/lib/session";
import { adminKeyFilters } from "@/lib/validation/admin.schema";

export async function GET(request: Request) {
  const user = await currentUser();
  if (user?.role !== "admin") return new Response("Not found", { status: 404 });
  const filters = adminKeyFilters.parse(Object.fromEntries(new URL(request.url).searchParams));
  const rows = await exportAllKeys(await getDb(), filters, policy.rotationPeriodDays);
  const now = new Date();
  const csv = toCsv(
    ["id", "owner_email", "name", "hint", "access", "scopes", "status", "created_at", "last_used_at", "expires_at", "revoked_at", "revoked_reason"],
    rows.map((r) => [r.id, r.ownerEmail, r.name, r.hint, r.access, r.scopes, keyStatus(r, now, policy.rotationPeriodDays), r.createdAt, r.lastUsedAt, r.expiresAt, r.revokedAt, r.revokedReason]),
  );
  return new Response(csv, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="keysmith-keys-${now.toISOString().slice(0, 10)}.csv"`,
      "Cache-Control": "no-store",
    },
  });
}
