import "server-only";
// An admin's changes to other users' keys: revoking a selection, or every key that matches the
// list's filters. Both need a recent authentication (step-up); the admin's role is re-read inside
// the transaction that revokes (db/queries/admin-keys.ts).
import type { Database } from "@/db";
import { adminRevokeKeys, adminRevokeMatching } from "@/db/queries/admin-keys";
import type { AdminKeyFilters } from "../validation/admin.schema";
import { assertRecentAuthentication } from "../accounts/step-up";
import { AppError } from "../errors";
import { mailConfigured } from "../mail";
import type { Actor } from "./actor";

function assertAdminSession(actor: Actor) {
  // Only from the dashboard: no API key acts as an administrator.
  if (actor.key) throw new AppError("not_found");
  assertRecentAuthentication(actor);
}

/** Revokes the selected keys of any users, with a reason their owners see (and are told: Settings -> Notifications, and mail). */
export async function revokeKeysAsAdmin(db: Database, actor: Actor, ids: string[], reason: string): Promise<number> {
  assertAdminSession(actor);
  return adminRevokeKeys(db, actor.userId, ids, reason, actor.context, { mail: mailConfigured() });
}

/** Revokes every usable key matching the filters, if exactly `expected` match (what the admin confirmed). */
export async function revokeMatchingAsAdmin(
  db: Database,
  actor: Actor,
  filters: Partial<AdminKeyFilters>,
  rotationDays: number | null,
  expected: number,
  reason: string,
): Promise<number> {
  assertAdminSession(actor);
  return adminRevokeMatching(db, actor.userId, filters, rotationDays, expected, reason, actor.context, { mail: mailConfigured() });
}
