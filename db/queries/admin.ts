import { and, asc, count, desc, eq, gte, ilike, inArray, isNotNull, isNull, lt, or, sql, type SQL } from "drizzle-orm";
import type { RequestContext } from "@/lib/audit-events";
import { AppError } from "@/lib/errors";
import type { AdminKeyFilters, AuditFilters } from "@/lib/validation/admin.schema";
import type { Database } from "../client";
import { apiKeys, apiKeyUsageDaily, auditEvents, users } from "../schema";
import { recordAudit } from "./audit";

export const ADMIN_PAGE_SIZE = 50;
const SOON = sql`now() + interval '7 days'`;

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** SQL for one status, matching lib/keys/status.ts (most urgent status wins). */
function statusCondition(status: NonNullable<AdminKeyFilters["status"]>, rotationDays: number | null): SQL {
  const live = and(isNull(apiKeys.revokedAt), or(isNull(apiKeys.expiresAt), sql`${apiKeys.expiresAt} > now()`))!;
  const notSoon = or(isNull(apiKeys.expiresAt), sql`${apiKeys.expiresAt} > ${SOON}`)!;
  const due = rotationDays ? sql`${apiKeys.secretCreatedAt} <= now() - (${rotationDays}::int * interval '1 day')` : sql`false`;
  switch (status) {
    case "revoked":
      return isNotNull(apiKeys.revokedAt);
    case "expired":
      return and(isNull(apiKeys.revokedAt), sql`${apiKeys.expiresAt} <= now()`)!;
    case "expiring_soon":
      return and(live, sql`${apiKeys.expiresAt} <= ${SOON}`)!;
    case "rotation_due":
      return and(live, notSoon, due)!;
    case "active":
      return and(live, notSoon, sql`not (${due})`)!;
  }
}

export function adminKeyWhere(f: AdminKeyFilters, rotationDays: number | null): SQL | undefined {
  const conditions: (SQL | undefined)[] = [];
  if (f.q) {
    const like = `%${escapeLike(f.q)}%`;
    conditions.push(or(ilike(apiKeys.name, like), ilike(apiKeys.hint, like), ilike(users.email, like)));
  }
  if (f.owner) conditions.push(ilike(users.email, `%${escapeLike(f.owner)}%`));
  if (f.scope) conditions.push(sql`${f.scope} = any(${apiKeys.scopes})`);
  if (f.status) conditions.push(statusCondition(f.status, rotationDays));
  if (f.usage === "never") conditions.push(isNull(apiKeys.lastUsedAt));
  if (f.usage === "stale") {
    conditions.push(or(isNull(apiKeys.lastUsedAt), lt(apiKeys.lastUsedAt, sql`now() - interval '90 days'`)));
  }
  return and(...conditions);
}

const SORT_COLUMNS = {
  created: apiKeys.createdAt,
  last_used: apiKeys.lastUsedAt,
  expires: apiKeys.expiresAt,
  name: apiKeys.name,
};

export const adminKeyColumns = {
  id: apiKeys.id,
  name: apiKeys.name,
  hint: apiKeys.hint,
  access: apiKeys.access,
  scopes: apiKeys.scopes,
  createdAt: apiKeys.createdAt,
  lastUsedAt: apiKeys.lastUsedAt,
  expiresAt: apiKeys.expiresAt,
  revokedAt: apiKeys.revokedAt,
  revokedReason: apiKeys.revokedReason,
  secretCreatedAt: apiKeys.secretCreatedAt,
  ownerId: users.id,
  ownerEmail: users.email,
  ownerName: users.name,
};

/** Every key of every user, filtered, sorted and paged in the database. */
export async function listAllKeys(db: Database, f: AdminKeyFilters, rotationDays: number | null, pageSize = ADMIN_PAGE_SIZE) {
  const where = adminKeyWhere(f, rotationDays);
  const column = SORT_COLUMNS[f.sort];
  const order = f.dir === "asc" ? sql`${column} asc nulls first` : sql`${column} desc nulls last`;
  const [rows, [total]] = await Promise.all([
    db
      .select(adminKeyColumns)
      .from(apiKeys)
      .innerJoin(users, eq(users.id, apiKeys.userId))
      .where(where)
      .orderBy(order, desc(apiKeys.id))
      .limit(pageSize)
      .offset((f.page - 1) * pageSize),
    db.select({ n: count() }).from(apiKeys).innerJoin(users, eq(users.id, apiKeys.userId)).where(where),
  ]);
  return { rows, total: Number(total?.n ?? 0) };
}

/** Same filters, no paging, for CSV export (bounded so one export cannot exhaust the server). */
export async function exportAllKeys(db: Database, f: AdminKeyFilters, rotationDays: number | null, max = 100_000) {
  return db
    .select(adminKeyColumns)
    .from(apiKeys)
    .innerJoin(users, eq(users.id, apiKeys.userId))
    .where(adminKeyWhere(f, rotationDays))
    .orderBy(desc(apiKeys.createdAt), desc(apiKeys.id))
    .limit(max);
}

/**
 * An admin revokes keys of any user, with a reason their owners will see. One transaction:
 * every still-active selected key is revoked and gets its own audit event.
 */
export async function adminRevokeKeys(db: Database, adminId: string, ids: string[], reason: string, context: RequestContext) {
  return db.transaction(async (tx) => {
    const revoked = await tx
      .update(apiKeys)
      .set({ revokedAt: sql`now()`, revokedReason: `by an administrator: ${reason}`, updatedAt: sql`now()` })
      .where(and(inArray(apiKeys.id, ids), isNull(apiKeys.revokedAt)))
      .returning({ id: apiKeys.id, name: apiKeys.name, hint: apiKeys.hint, userId: apiKeys.userId });
    for (const key of revoked) {
      await recordAudit(tx, {
        actorId: adminId,
        action: "api_key.admin_revoked",
        targetType: "api_key",
        targetId: key.id,
        metadata: { name: key.name, hint: key.hint, ownerId: key.userId, reason },
        context,
      });
    }
    return revoked.length;
  });
}

export async function keyOverview(db: Database, rotationDays: number | null) {
  const n = (status: NonNullable<AdminKeyFilters["status"]>) => sql<number>`count(*) filter (where ${statusCondition(status, rotationDays)})`.mapWith(Number);
  const [counts] = await db
    .select({
      active: n("active"),
      expiringSoon: n("expiring_soon"),
      rotationDue: n("rotation_due"),
      expired: n("expired"),
      revoked: n("revoked"),
      neverUsed: sql<number>`count(*) filter (where ${apiKeys.lastUsedAt} is null and ${apiKeys.revokedAt} is null)`.mapWith(Number),
    })
    .from(apiKeys);
  const perDay = await db
    .select({
      day: apiKeyUsageDaily.day,
      success: sql<number>`sum(${apiKeyUsageDaily.successCount})`.mapWith(Number),
      failure: sql<number>`sum(${apiKeyUsageDaily.failureCount})`.mapWith(Number),
    })
    .from(apiKeyUsageDaily)
    .where(gte(apiKeyUsageDaily.day, sql`current_date - 29`))
    .groupBy(apiKeyUsageDaily.day)
    .orderBy(asc(apiKeyUsageDaily.day));
  return { counts: counts!, perDay };
}

export function auditWhere(f: AuditFilters, actorOnly?: string): SQL | undefined {
  return and(
    actorOnly ? eq(auditEvents.actorId, actorOnly) : undefined,
    f.action ? eq(auditEvents.action, f.action) : undefined,
    f.actor ? ilike(users.email, `%${escapeLike(f.actor)}%`) : undefined,
    f.target ? eq(auditEvents.targetId, f.target) : undefined,
    f.from ? gte(auditEvents.createdAt, new Date(`${f.from}T00:00:00Z`)) : undefined,
    f.to ? lt(auditEvents.createdAt, new Date(new Date(`${f.to}T00:00:00Z`).getTime() + 86_400_000)) : undefined,
  );
}

const auditColumns = {
  id: auditEvents.id,
  action: auditEvents.action,
  createdAt: auditEvents.createdAt,
  actorId: auditEvents.actorId,
  actorEmail: users.email,
  targetType: auditEvents.targetType,
  targetId: auditEvents.targetId,
  metadata: auditEvents.metadata,
  ip: auditEvents.ip,
  userAgent: auditEvents.userAgent,
};

/** The audit log, newest first. `actorOnly` limits it to one user's own events (their Activity). */
export async function listAudit(db: Database, f: AuditFilters, options: { actorOnly?: string; pageSize?: number; max?: number } = {}) {
  const pageSize = options.max ?? options.pageSize ?? ADMIN_PAGE_SIZE;
  const where = auditWhere(f, options.actorOnly);
  const [rows, [total]] = await Promise.all([
    db
      .select(auditColumns)
      .from(auditEvents)
      .leftJoin(users, eq(users.id, auditEvents.actorId))
      .where(where)
      .orderBy(desc(auditEvents.createdAt), desc(auditEvents.id))
      .limit(pageSize)
      .offset(options.max ? 0 : (f.page - 1) * pageSize),
    db.select({ n: count() }).from(auditEvents).leftJoin(users, eq(users.id, auditEvents.actorId)).where(where),
  ]);
  return { rows, total: Number(total?.n ?? 0) };
}

export async function listUsers(db: Database) {
  return db
    .select({
      id: users.id,
      email: users.email,
      name: users.name,
      role: users.role,
      createdAt: users.createdAt,
      activeKeys: sql<number>`(select count(*) from ${apiKeys} where ${apiKeys.userId} = ${users.id} and ${apiKeys.revokedAt} is null)`.mapWith(Number),
    })
    .from(users)
    .orderBy(asc(users.createdAt));
}

/**
 * Promotes or demotes a user. An advisory lock serialises role changes, so two admins demoting
 * each other at once cannot leave the deployment with no admin at all.
 */
export async function setUserRole(db: Database, adminId: string, userId: string, role: "admin" | "member", context: RequestContext) {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(7310002)`);
    const [target] = await tx.select({ id: users.id, role: users.role, email: users.email }).from(users).where(eq(users.id, userId)).for("update");
    if (!target) throw new AppError("not_found:user");
    if (target.role === role) return target;
    if (role === "member") {
      const [{ admins }] = (await tx.select({ admins: count() }).from(users).where(eq(users.role, "admin"))) as [{ admins: number }];
      if (Number(admins) <= 1) throw new AppError("conflict:last_admin");
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
