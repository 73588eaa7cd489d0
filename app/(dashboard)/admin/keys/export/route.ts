// GET /admin/keys/export: the filtered, sorted admin key list as CSV, every row, streamed.
// Admins only (others: 404, checked before anything else so the endpoint does not reveal itself);
// the session is checked here, not only by the page that links to it.
import { getDb } from "@/db";
import { exportAllKeys } from "@/db/queries/admin-keys";
import { csvResponse } from "@/lib/csv";
import { keyStatus } from "@/lib/keys/status";
import { errorFields, log } from "@/lib/log";
import { policy } from "@/lib/policy";
import { currentUser, needsSecondFactorSetup } from "@/lib/session";
import { adminKeyFilters } from "@/lib/validation/admin.schema";
import { PLACES } from "@/lib/glossary";

export async function GET(request: Request) {
  const user = await currentUser();
  if (user?.role !== "admin" || needsSecondFactorSetup(user)) return new Response("Not found", { status: 404 });
  const filters = adminKeyFilters.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!filters.success) return new Response(`Unknown filter in the URL. Export from the ${PLACES.allApiKeys} page.`, { status: 400 });
  const now = new Date();
  const rotationDays = policy.rotationPeriodDays;
  return csvResponse({
    filename: `keysmith-keys-${now.toISOString().slice(0, 10)}.csv`,
    header: ["id", "owner_email", "name", "hint", "access", "scopes", "status", "created_at", "last_used_at", "expires_at", "revoked_at", "revoked_reason", "owner_team"],
    batches: exportAllKeys(await getDb(), filters.data, rotationDays),
    toRow: (r) => [r.id, r.ownerEmail, r.name, r.hint, r.access, r.scopes, keyStatus(r, now, rotationDays), r.createdAt, r.lastUsedAt, r.expiresAt, r.revokedAt, r.revokedReason, r.teamSlug],
    onError: (error) => log.error("admin.keys_export_failed", errorFields(error)),
  });
}
