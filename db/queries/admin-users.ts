import { and, asc, count, eq, ilike, or, sql } from "drizzle-orm";
import type { RequestContext } from "@/lib/audit-events";
import { AppError } from "@/lib/errors";
import type { UserFilters } from "@/lib/validation/admin.schema";
import type { Database } from "../client";
import { apiKeys, users } from "../schema";
import { recordAudit } from "./audit";
import { ADMIN_PAGE_SIZE, containsPattern, countLimit, toPaged, type Paged } from "./paging";

export type AdminUserRow = { id: string; email: string; name: string; role: "admin" | "member"; createdAt: Date; activeKeys: number };

/** Users, oldest first, searched by email or name and paged in the database. */
export async function listUsers(db: Database, f: UserFilters, pageSize = ADMIN_PAGE_SIZE): Promise<Paged<AdminUserRow>> {
  const like = f.q ? containsPattern(f.q) : undefined;
  const where = and(like ? or(ilike(users.email, like), ilike(users.name, like)) : undefined, f.role ? eq(users.role, f.role) : undefined);
  const offset = (f.page - 1) * pageSize;
  const rows = await db
    .select({
      id: users.id,
      email: users.email,
      name: users.name,
      role: users.role,
      createdAt: users.createdAt,
      // Keys that still work, per listed user only (50 a page), through api_keys_user_created_idx.
      // The subquery names its table `k`: in a one-table select Drizzle writes columns unqualified,
      // and an unqualified "id" inside the subquery would be the key's, not the user's.
      activeKeys: sql<number>`(select count(*) from ${apiKeys} as k where k.user_id = ${users}.id and k.revoked_at is null and k.deleted_at is null and (k.expires_at is null or k.expires_at > now()))`.mapWith(Number),
    })
    .from(users)
    .where(where)
    .orderBy(asc(users.createdAt), asc(users.id))
    .limit(pageSize + 1)
    .offset(offset);
  const counted = db
    .select({ one: sql<number>`1`.as("one") })
    .from(users)
    .where(where)
    .limit(countLimit(offset))
    .as("counted");
  const [total] = await db.select({ n: count() }).from(counted);
  return toPaged(rows, Number(total?.n ?? 0), offset, pageSize);
}

/**
 * Promotes or demotes a user. An advisory lock serialises role changes, so two admins demoting
 * each other at once cannot leave the deployment with no admin at all.
 */
export async function setUserRole(db: Database, adminId: string, userId: string, role: "admin" | "member", context: RequestContext) {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(7310002)`);
    const [target] = await tx.select({ id: users.id, role: users.role, email: users.email }).from(users).where(eq(users.id, userId)).for("update");
    if (!target) throw new AppError("user_not_found");
    if (target.role === role) return target;
    if (role === "member") {
      const [{ admins }] = (await tx.select({ admins: count() }).from(users).where(eq(users.role, "admin"))) as [{ admins: number }];
      if (Number(admins) <= 1) throw new AppError("last_admin");
    }
    const [updated] = await tx
      .update(users)
      .set({ role, updatedAt: sql`now()` })
      .where(eq(users.id, userId))
      .returning({ id: users.id, role: users.role, email: users.email });
    await recordAudit(tx, {
      actorId: adminId,
      action: "user.role_changed",
      targetType: "user",
      targetId: userId,
      metadata: { email: target.email, from: target.role, to: role },
      context,
    });
    return updated!;
  });
}
