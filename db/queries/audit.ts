import type { AuditAction, RequestContext } from "@/lib/audit-events";
import { webhookEventOf } from "@/lib/webhooks/events";
import type { Database } from "../client";
import { auditEvents } from "../schema";
import { queueKeyEvent } from "./webhooks";

// Accepts the database or an open transaction, so the audit row (and the webhooks it starts) commits with the change.
type Executor = Parameters<Parameters<Database["transaction"]>[0]>[0] | Database;

export type AuditEntry = {
  actorId: string | null;
  action: AuditAction;
  targetType?: "api_key" | "user" | "invitation" | "settings" | "team" | "webhook" | "access_review";
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
  // A key's change is told to its owner's webhook endpoints from here, the one place every key
  // change passes, in its transaction: sent exactly when the change commits.
  const event = entry.targetType === "api_key" && entry.targetId ? webhookEventOf(entry.action) : null;
  if (event) await queueKeyEvent(tx, { event, keyId: entry.targetId!, data: webhookData(entry) });
}

/** What a key event's payload adds to the key: who did it, and a revocation's stated reason. */
function webhookData(entry: AuditEntry): Record<string, unknown> {
  const { reason, secret } = entry.metadata ?? {};
  return {
    actor: entry.actorId ? { id: entry.actorId } : null,
    ...(typeof reason === "string" ? { reason } : {}),
    // A leak report: which secret leaked ("current secret" or "previous secret"), never where it was found.
    ...(entry.action === "api_key.reported_leaked" && typeof secret === "string" ? { secret } : {}),
  };
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
