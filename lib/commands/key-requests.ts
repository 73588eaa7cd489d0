import "server-only";
// Key requests: a developer asks for a team key the team's policy puts behind approval
// (lib/teams/policy.ts `needsApproval`); a team admin or owner approves or denies it (never their
// own), with a reason to deny; only then may the requester create the key, once, and see its
// secret once. Each command runs one transaction that locks the caller's membership, then the
// team's policy, then the request row, and judges on them as locked. Session only: an API key
// (even a team's) gets team_not_found.
import type { Database } from "@/db";
import { createApiKey, type ApiKeySummary } from "@/db/queries/api-keys";
import {
  cancelKeyRequestRow,
  decideKeyRequest,
  emailOf,
  insertKeyRequest,
  lockKeyRequest,
  markKeyRequestIssued,
  type KeyRequestRow,
} from "@/db/queries/key-requests";
import { recordAudit } from "@/db/queries/audit";
import { lockTeamPolicy } from "@/db/queries/team-policy";
import { lockMembership, type Membership } from "@/db/queries/teams";
import { assertRecentAuthentication } from "../accounts/step-up";
import { appNow } from "../clock";
import { AppError } from "../errors";
import { assertExpiryAllowed } from "../keys/rules";
import { normalizeScopes, type Access, type Scope } from "../scopes";
import { getSecrets } from "../secrets";
import { accessOfScopes, assertIpsForFull, assertTeamExpiry, assertTeamScopes, needsApproval, type TeamPolicy } from "../teams/policy";
import { canAdministerTeam, canManageTeamKeys } from "../teams/roles";
import { parseInput } from "../validation/common";
import { approveRequestSchema, denyRequestSchema, keyRequestSchema, requestTargetSchema } from "../validation/team-policy.schema";
import type { Actor } from "./actor";
import { sessionOnTeam } from "./teams";

type Tx = Parameters<Parameters<Database["transaction"]>[0]>[0];

/** The caller's membership, then the team's policy, both locked; team_not_found for anyone else. */
async function memberWithPolicy(tx: Tx, slug: string, userId: string): Promise<Membership & { policy: TeamPolicy }> {
  const membership = await lockMembership(tx, slug, userId);
  if (!membership) throw new AppError("team_not_found");
  const locked = await lockTeamPolicy(tx, membership.team.id);
  if (!locked) throw new AppError("team_not_found");
  return { ...membership, policy: locked.policy };
}

async function lockedRequest(tx: Tx, teamId: string, raw: unknown): Promise<KeyRequestRow> {
  const parsed = requestTargetSchema.safeParse(raw);
  if (!parsed.success) throw new AppError("key_request_not_found");
  const request = await lockKeyRequest(tx, teamId, parsed.data.requestId);
  if (!request) throw new AppError("key_request_not_found");
  return request;
}

const teamMeta = (m: Membership) => ({ team: m.team.name, slug: m.team.slug });

export type KeyRequestInput = {
  name: string;
  description?: string | null;
  scopes: readonly string[];
  access?: Access;
  expiresAt: Date | null;
  justification?: string | null;
};

/**
 * A developer asks for a key that needs approval. The same checks as creating it (the deployment's
 * and the team's expiry rules, the developers' scopes), except the approval; a key that needs none
 * is created directly instead (approval_not_needed). Viewers cannot ask.
 */
export async function requestTeamKey(db: Database, actor: Actor, slug: unknown, input: unknown): Promise<KeyRequestRow> {
  const team = sessionOnTeam(actor, slug);
  const wanted = parseInput(keyRequestSchema, input);
  const { scopes } = normalizeScopes(wanted.scopes as Scope[]);
  const access = accessOfScopes(scopes);
  const now = appNow(actor.clockOffsetMs);
  return db.transaction(async (tx) => {
    const membership = await memberWithPolicy(tx, team, actor.userId);
    if (!canManageTeamKeys(membership.role)) throw new AppError("team_keys_read_only");
    if (!needsApproval(access, membership.role, membership.policy)) throw new AppError("approval_not_needed");
    if (wanted.expiresAt && wanted.expiresAt.getTime() <= now.getTime()) {
      throw new AppError("validation_failed", { fieldErrors: { expiresAt: "Choose an expiry date in the future." } });
    }
    assertExpiryAllowed(wanted.expiresAt, undefined, now);
    assertTeamExpiry(wanted.expiresAt, membership.policy, undefined, now);
    assertTeamScopes(membership.role, membership.policy, scopes);
    const allowedIps = wanted.allowedIps && wanted.allowedIps.length > 0 ? wanted.allowedIps : null;
    assertIpsForFull(membership.policy, scopes, allowedIps);
    const request = await insertKeyRequest(tx, {
      teamId: membership.team.id,
      requestedBy: actor.userId,
      name: wanted.name,
      description: wanted.description || null,
      justification: wanted.justification || null,
      access: wanted.access && wanted.access !== "full" && access !== "full" ? wanted.access : access,
      scopes,
      expiresAt: wanted.expiresAt,
      allowedIps,
    });
    await recordAudit(tx, {
      actorId: actor.userId,
      action: "api_key.requested",
      targetType: "team",
      targetId: membership.team.id,
      metadata: { ...teamMeta(membership), requestId: request.id, name: request.name, access: request.access, scopes, expiresAt: request.expiresAt, allowedIps, justification: request.justification },
      context: actor.context,
    });
    return request;
  });
}

/** The requester withdraws their request while it is pending. */
export async function cancelKeyRequest(db: Database, actor: Actor, slug: unknown, input: unknown): Promise<KeyRequestRow> {
  const team = sessionOnTeam(actor, slug);
  return db.transaction(async (tx) => {
    const membership = await memberWithPolicy(tx, team, actor.userId);
    const request = await lockedRequest(tx, membership.team.id, input);
    if (request.requestedBy !== actor.userId) throw new AppError("key_request_not_found");
    if (request.status !== "pending") throw new AppError("key_request_decided");
    await cancelKeyRequestRow(tx, request.id);
    await recordAudit(tx, {
      actorId: actor.userId,
      action: "api_key.request_cancelled",
      targetType: "team",
      targetId: membership.team.id,
      metadata: { ...teamMeta(membership), requestId: request.id, name: request.name },
      context: actor.context,
    });
    return { ...request, status: "cancelled" };
  });
}

async function decide(db: Database, actor: Actor, slug: unknown, status: "approved" | "denied", requestId: string, reason: string | null): Promise<KeyRequestRow> {
  const team = sessionOnTeam(actor, slug);
  return db.transaction(async (tx) => {
    const membership = await memberWithPolicy(tx, team, actor.userId);
    if (!canAdministerTeam(membership.role)) throw new AppError("team_role_not_allowed");
    const request = await lockedRequest(tx, membership.team.id, { requestId });
    if (request.requestedBy === actor.userId) throw new AppError("own_key_request");
    if (request.status !== "pending") throw new AppError("key_request_decided");
    await decideKeyRequest(tx, request.id, { status, decidedBy: actor.userId, reason });
    await recordAudit(tx, {
      actorId: actor.userId,
      action: status === "approved" ? "api_key.request_approved" : "api_key.request_denied",
      targetType: "team",
      targetId: membership.team.id,
      metadata: {
        ...teamMeta(membership),
        requestId: request.id,
        name: request.name,
        access: request.access,
        requestedBy: request.requestedBy,
        requesterEmail: await emailOf(tx, request.requestedBy),
        reason,
      },
      context: actor.context,
    });
    return { ...request, status, decidedBy: actor.userId, decisionReason: reason };
  });
}

/** A team admin or owner approves a pending request of someone else; a reason is optional. */
export async function approveKeyRequest(db: Database, actor: Actor, slug: unknown, input: unknown): Promise<KeyRequestRow> {
  sessionOnTeam(actor, slug);
  const { requestId, reason } = parseInput(approveRequestSchema, input);
  return decide(db, actor, slug, "approved", requestId, reason || null);
}

/** A team admin or owner denies a pending request of someone else, saying why (the requester reads it). */
export async function denyKeyRequest(db: Database, actor: Actor, slug: unknown, input: unknown): Promise<KeyRequestRow> {
  sessionOnTeam(actor, slug);
  const { requestId, reason } = parseInput(denyRequestSchema, input);
  return decide(db, actor, slug, "denied", requestId, reason);
}

/**
 * The requester creates the approved key, once: in one transaction with the request locked, the
 * key is made with the request's fields, the request marked issued with the key's id, and the
 * secret returned (the only time it exists in the clear). The requester must still be a member who
 * may create team keys, the team's policy (as it is now: lifetime, scopes) must still allow the key
 * and its expiry must still be ahead. A Full-access key needs a recent authentication, like
 * creating one directly.
 */
export async function issueRequestedKey(db: Database, actor: Actor, slug: unknown, input: unknown): Promise<{ key: ApiKeySummary; secret: string; requestId: string }> {
  const team = sessionOnTeam(actor, slug);
  const now = appNow(actor.clockOffsetMs);
  return db.transaction(async (tx) => {
    const membership = await memberWithPolicy(tx, team, actor.userId);
    const request = await lockedRequest(tx, membership.team.id, input);
    if (request.requestedBy !== actor.userId) throw new AppError("key_request_not_found");
    if (request.status === "issued") throw new AppError("key_request_issued");
    if (request.status !== "approved") throw new AppError("key_request_not_approved");
    if (!canManageTeamKeys(membership.role)) throw new AppError("team_keys_read_only");
    if (request.expiresAt && request.expiresAt.getTime() <= now.getTime()) throw new AppError("key_request_expired");
    if (accessOfScopes(request.scopes) === "full") assertRecentAuthentication(actor);
    const created = await createApiKey(
      tx as unknown as Database,
      { teamId: membership.team.id, actorId: actor.userId },
      { name: request.name, description: request.description, access: request.access, scopes: request.scopes, expiresAt: request.expiresAt, allowedIps: request.allowedIps },
      actor.context,
      getSecrets().keyPepper,
      { requestId: request.id },
      () => {
        assertExpiryAllowed(request.expiresAt, undefined, now);
        assertTeamExpiry(request.expiresAt, membership.policy, undefined, now);
        assertTeamScopes(membership.role, membership.policy, request.scopes);
        assertIpsForFull(membership.policy, request.scopes, request.allowedIps);
      },
    );
    await markKeyRequestIssued(tx, request.id, created.key.id);
    return { ...created, requestId: request.id };
  });
}
