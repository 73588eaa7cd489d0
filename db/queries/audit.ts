import type { AuditAction, RequestContext } from "@/lib/audit-events";
import type { Database } from "../client";
import { auditEvents } from "../schema";

// Accepts the database or an open transaction, so the audit row commits with the change.
type Executor = Pick<Database, "insert">;

export type AuditEntry = {
  actorId: string | null;
  action: AuditAction;
  targetType?: "api_key" | "user" | "invitation" | "settings" | "team";
  targetId?: string | null;
  metadata?: Record<string, unknown>;
  context: RequestContext;
  /** The team whose log the event joins; by default the target team, or the key's team (metadata.teamId). */
  teamId?: string | null;
};

/** Which team's log an event belongs to: given, the target team, or a team key's team. */
function teamOf(entry: AuditEntry): string | null {
  if (entry.teamId !== undefined) return entry.teamId;
  if (entry.targetType === "team") return entry.targetId ?? null;
  const teamId = entry.metadata?.teamId;
  return typeof teamId === "string" ? teamId : null;
}

export async function recordAudit(tx: Executor, entry: AuditEntry): Promise<void> {
  await tx.insert(auditEvents).values({
    actorId: entry.actorId,
    action: entry.action,
    targetType: entry.targetType ?? null,
    targetId: entry.targetId ?? null,
    metadata: entry.metadata ?? {},
    ip: entry.context.ip,
    userAgent: entry.context.userAgent?.slice(0, 512) ?? null,
    teamId: teamOf(entry),
  });
}

/** The most of an attempted email a failed sign-in keeps (an address is at most 254 characters). */
export const ATTEMPTED_EMAIL_MAX = 254;

/**
 * A failed sign-in. Nobody signed in, so there is no actor: naming the account's owner would
 * say the victim did it. The account, if the email has one, is the target (so its owner sees the
 * attempt in their Activity); the attempted email is kept, trimmed, lower-cased and capped, so
 * attempts against addresses with no account show up too.
 */
export async function recordSignInFailure(
  tx: Executor,
  attempt: { email: string; userId: string | null; reason?: "suspended" | "sso_only" },
  context: RequestContext,
): Promise<void> {
  await recordAudit(tx, {
    actorId: null,
    action: "user.sign_in_failed",
    targetType: "user",
    targetId: attempt.userId,
    metadata: {
      reason: attempt.reason ?? (attempt.userId ? "wrong_password" : "unknown_email"),
      email: attempt.email.trim().toLowerCase().slice(0, ATTEMPTED_EMAIL_MAX),
    },
    context,
  });
}

/** A sign-in; `metadata` says how when it was not with a password (`{ method: "sso", issuer }`). */
export async function recordSignIn(tx: Executor, userId: string, context: RequestContext, metadata?: Record<string, unknown>): Promise<void> {
  await recordAudit(tx, { actorId: userId, action: "user.signed_in", targetType: "user", targetId: userId, metadata, context });
}

/**
 * A refused passkey sign-in: no actor; the account as target when the passkey named one. No email
 * (none was typed), and nothing from the assertion itself.
 */
export async function recordPasskeySignInFailure(tx: Executor, attempt: { userId: string | null; reason: "invalid" | "counter_regressed" | "suspended" | "sso_only" }, context: RequestContext): Promise<void> {
  await recordAudit(tx, { actorId: null, action: "user.sign_in_failed", targetType: "user", targetId: attempt.userId, metadata: { method: "passkey", reason: attempt.reason }, context });
}
