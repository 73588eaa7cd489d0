import { desc, eq } from "drizzle-orm";
import type { AuditAction, RequestContext } from "@/lib/audit-events";
import type { Database } from "../client";
import { auditEvents } from "../schema";

// Accepts the database or an open transaction, so the audit row commits with the change.
type Executor = Pick<Database, "insert">;

export type AuditEntry = {
  actorId: string | null;
  action: AuditAction;
  targetType?: "api_key" | "user";
  targetId?: string | null;
  metadata?: Record<string, unknown>;
  context: RequestContext;
};

export async function recordAudit(tx: Executor, entry: AuditEntry): Promise<void> {
  await tx.insert(auditEvents).values({
    actorId: entry.actorId,
    action: entry.action,
    targetType: entry.targetType ?? null,
    targetId: entry.targetId ?? null,
    metadata: entry.metadata ?? {},
    ip: entry.context.ip,
    userAgent: entry.context.userAgent?.slice(0, 512) ?? null,
  });
}

export async function listAuditEventsForActor(db: Database, actorId: string, limit = 50) {
  return db
    .select()
    .from(auditEvents)
    .where(eq(auditEvents.actorId, actorId))
    .orderBy(desc(auditEvents.createdAt))
    .limit(limit);
}
