import { and, count, desc, eq, gte, inArray, lt, or, sql, type SQL } from "drizzle-orm";
import { DAY_MS } from "@/lib/time";
import { isUuid, type AuditFilters, type TeamAuditFilters } from "@/lib/validation/admin.schema";
import type { Database } from "../client";
import { apiKeys, auditEvents, users } from "../schema";
import { ADMIN_PAGE_SIZE, afterCursor, countLimit, toPaged, type Paged } from "./paging";

/** Admin audit log filters (a team's log takes the same but the target). Actor and target name one user or key exactly. */
export function auditWhere(f: AuditFilters | TeamAuditFilters): SQL | undefined {
  return and(
    f.action ? eq(auditEvents.action, f.action) : undefined,
    f.actor
      ? isUuid(f.actor)
        ? eq(auditEvents.actorId, f.actor)
        : sql`${auditEvents.actorId} = (select ${users.id} from ${users} where ${users.email} = ${f.actor})`
      : undefined,
    "target" in f && f.target ? eq(auditEvents.targetId, f.target) : undefined,
    f.from ? gte(auditEvents.createdAt, new Date(`${f.from}T00:00:00Z`)) : undefined,
    f.to ? lt(auditEvents.createdAt, new Date(new Date(`${f.to}T00:00:00Z`).getTime() + DAY_MS)) : undefined,
  );
}

/**
 * A user's own Activity: what they did, and what was done to them or to their keys by someone
 * else (an admin revoking a key, a leak report, a role change, a failed sign-in as them).
 * Owner-scoped: the key ids are those whose user_id is this user, deleted keys included.
 */
export function activityWhere(userId: string): SQL {
  return or(
    eq(auditEvents.actorId, userId),
    and(eq(auditEvents.targetType, "user"), eq(auditEvents.targetId, userId)),
    and(
      eq(auditEvents.targetType, "api_key"),
      sql`${auditEvents.targetId} = any(array(select ${apiKeys.id} from ${apiKeys} where ${apiKeys.userId} = ${userId}))`,
    ),
  )!;
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
export type AuditListRow = {
  id: string;
  action: string;
  createdAt: Date;
  actorId: string | null;
  actorEmail: string | null;
  targetType: string | null;
  targetId: string | null;
  metadata: Record<string, unknown>;
  ip: string | null;
  userAgent: string | null;
};

const NEWEST_FIRST = [desc(auditEvents.createdAt), desc(auditEvents.id)];

/** Newest first, paged; ids first from audit_events alone, actors joined for the page only. */
async function pageOfEvents(db: Database, where: SQL | undefined, page: number, pageSize: number): Promise<Paged<AuditListRow>> {
  const offset = (page - 1) * pageSize;
  const pageIds = db.select({ id: auditEvents.id }).from(auditEvents).where(where).orderBy(...NEWEST_FIRST).limit(pageSize + 1).offset(offset);
  const counted = db
    .select({ one: sql<number>`1`.as("one") })
    .from(auditEvents)
    .where(where)
    .limit(countLimit(offset))
    .as("counted");
  const rows = await db
    .select(auditColumns)
    .from(auditEvents)
    .leftJoin(users, eq(users.id, auditEvents.actorId))
    .where(inArray(auditEvents.id, pageIds))
    .orderBy(...NEWEST_FIRST);
  const [total] = await db.select({ n: count() }).from(counted);
  return toPaged(rows, Number(total?.n ?? 0), offset, pageSize);
}

/** The admin audit log. */
export async function listAudit(db: Database, f: AuditFilters, pageSize = ADMIN_PAGE_SIZE): Promise<Paged<AuditListRow>> {
  return pageOfEvents(db, auditWhere(f), f.page, pageSize);
}

/**
 * A team's own log: the events recordAudit tied to it (audit_events.team_id: the team's and its
 * keys'), newest first, under audit_events_team_created_idx (team_id, created_at, id), with the
 * admin log's filters. Another team's events and anyone's personal ones never match. The caller has
 * checked the viewer's role (lib/commands/team-insights.ts).
 */
export async function listTeamAudit(db: Database, teamId: string, f: TeamAuditFilters, pageSize = ADMIN_PAGE_SIZE): Promise<Paged<AuditListRow>> {
  return pageOfEvents(db, and(eq(auditEvents.teamId, teamId), auditWhere(f)), f.page, pageSize);
}

/** One user's Activity (see activityWhere). */
export async function listActivity(db: Database, userId: string, page: number, pageSize = ADMIN_PAGE_SIZE): Promise<Paged<AuditListRow>> {
  return pageOfEvents(db, activityWhere(userId), page, pageSize);
}

/** Every matching event, newest first, in keyset batches for a streamed CSV (never truncated). */
export async function* exportAudit(db: Database, f: AuditFilters, batchSize = 1_000): AsyncGenerator<AuditListRow[]> {
  const where = auditWhere(f);
  const expr = sql`${auditEvents.createdAt}`;
  let cursor: { value: string; id: string } | undefined;
  for (;;) {
    const batch = await db
      .select({ ...auditColumns, cursor: sql<string>`${auditEvents.createdAt}::text` })
      .from(auditEvents)
      .leftJoin(users, eq(users.id, auditEvents.actorId))
      .where(and(where, cursor ? afterCursor(expr, sql`${auditEvents.id}`, "desc", cursor, "timestamptz") : undefined))
      .orderBy(...NEWEST_FIRST)
      .limit(batchSize);
    if (batch.length > 0) yield batch.map(({ cursor: _, ...row }) => row);
    if (batch.length < batchSize) return;
    const last = batch[batch.length - 1]!;
    cursor = { value: last.cursor, id: last.id };
  }
}
