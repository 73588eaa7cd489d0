import { aliasedTable, and, desc, eq, isNull, sql } from "drizzle-orm";
import type { RequestContext } from "@/lib/audit-events";
import { sqlNow, sqlNowPlus } from "@/lib/clock";
import { AppError, isUniqueViolation } from "@/lib/errors";
import type { Database } from "../client";
import { invitations, users } from "../schema";
import { assertActiveAdmin } from "./admin-guard";
import { assertPasswordAllowed, type PasswordPolicy } from "./settings";
import { recordAudit } from "./audit";
import type { SessionUser } from "./users";

type Role = "admin" | "member";


/**
 * A new invitation: in one transaction, the admin's role is checked, invitations to the same
 * address are serialised (an advisory lock on it), an address that has an account is refused,
 * an older open invitation to it is revoked (a newer one replaces it), the digest is stored and
 * the invitation audited.
 */
export async function insertInvitation(
  db: Database,
  input: { adminId: string; email: string; role: Role; tokenHash: string; lifetimeMs: number; clockOffsetMs: number },
  context: RequestContext,
): Promise<{ id: string; email: string; role: Role; expiresAt: Date; replaced: boolean }> {
  return db.transaction(async (tx) => {
    await assertActiveAdmin(tx, input.adminId);
    await tx.execute(sql`select pg_advisory_xact_lock(7310002, hashtext(${input.email}))`);
    const [existing] = await tx.select({ id: users.id }).from(users).where(eq(users.email, input.email)).limit(1);
    if (existing) throw new AppError("invitee_has_account", { fieldErrors: { email: "This person already has an account here. Find them in the list of users." } });
    const replaced = await tx
      .update(invitations)
      .set({ revokedAt: sql`now()` })
      .where(and(eq(invitations.email, input.email), isNull(invitations.acceptedAt), isNull(invitations.revokedAt)))
      .returning({ id: invitations.id });
    const [row] = await tx
      .insert(invitations)
      .values({
        email: input.email,
        role: input.role,
        tokenHash: input.tokenHash,
        invitedBy: input.adminId,
        expiresAt: sqlNowPlus(input.clockOffsetMs, input.lifetimeMs),
      })
      .returning({ id: invitations.id, expiresAt: invitations.expiresAt });
    await recordAudit(tx, {
      actorId: input.adminId,
      action: "invitation.created",
      targetType: "invitation",
      targetId: row!.id,
      metadata: { email: input.email, role: input.role, ...(replaced.length > 0 ? { replaced: replaced.map((r) => r.id) } : {}) },
      context,
    });
    return { id: row!.id, email: input.email, role: input.role, expiresAt: row!.expiresAt, replaced: replaced.length > 0 };
  });
}

/** An admin revokes an open invitation (its link stops working at once); audited. */
export async function revokeInvitationRow(db: Database, adminId: string, invitationId: string, context: RequestContext): Promise<{ email: string }> {
  return db.transaction(async (tx) => {
    await assertActiveAdmin(tx, adminId);
    const [row] = await tx
      .update(invitations)
      .set({ revokedAt: sql`now()` })
      .where(and(eq(invitations.id, invitationId), isNull(invitations.acceptedAt), isNull(invitations.revokedAt)))
      .returning({ email: invitations.email, role: invitations.role });
    if (!row) throw new AppError("invitation_not_found");
    await recordAudit(tx, { actorId: adminId, action: "invitation.revoked", targetType: "invitation", targetId: invitationId, metadata: { email: row.email, role: row.role }, context });
    return { email: row.email };
  });
}

const inviter = aliasedTable(users, "inviter");

/**
 * What makes an invitation usable, as SQL over the invitation and its inviter (joined as
 * `inviter`): not accepted, not revoked, unexpired, and its inviter still an active admin (an
 * admin who was demoted, suspended or deleted no longer vouches for anyone).
 */
const usable = (clockOffsetMs: number) =>
  and(
    isNull(invitations.acceptedAt),
    isNull(invitations.revokedAt),
    sql`${invitations.expiresAt} > ${sqlNow(clockOffsetMs)}`,
    eq(inviter.role, "admin"),
    isNull(inviter.suspendedAt),
    isNull(inviter.deletedAt),
  );

/** The address and role of a usable invitation, by its token's digest (the page that accepts it shows them). */
export async function findUsableInvitation(db: Database, tokenHash: string, clockOffsetMs: number): Promise<{ email: string; role: Role; expiresAt: Date } | undefined> {
  const [row] = await db
    .select({ email: invitations.email, role: invitations.role, expiresAt: invitations.expiresAt })
    .from(invitations)
    .innerJoin(inviter, eq(inviter.id, invitations.invitedBy))
    .where(and(eq(invitations.tokenHash, tokenHash), usable(clockOffsetMs)))
    .limit(1);
  return row;
}

/**
 * Spends an invitation: in one transaction, its row is locked (FOR UPDATE) and must still be
 * usable; the account is created with the invited address and role, the invitation marked
 * accepted by it, and both audited. An address that meanwhile has an account, or anything else
 * wrong, answers invitation_invalid and changes nothing.
 */
export async function acceptInvitationRow(
  db: Database,
  input: { tokenHash: string; name: string; passwordHash: string; clockOffsetMs: number; passwordPolicy: PasswordPolicy },
  context: RequestContext,
): Promise<SessionUser> {
  try {
    return await db.transaction(async (tx) => {
      const [invitation] = await tx
        .select({ id: invitations.id, email: invitations.email, role: invitations.role, invitedBy: invitations.invitedBy })
        .from(invitations)
        .innerJoin(inviter, eq(inviter.id, invitations.invitedBy))
        .where(and(eq(invitations.tokenHash, input.tokenHash), usable(input.clockOffsetMs)))
        .for("update", { of: invitations });
      if (!invitation) throw new AppError("invitation_invalid");
      // Single sign-on only: the invitee joins through the provider (acceptSsoSignIn spends the invitation).
      await assertPasswordAllowed(tx, invitation, input.passwordPolicy);
      const [user] = await tx
        .insert(users)
        .values({ email: invitation.email, name: input.name, passwordHash: input.passwordHash, role: invitation.role })
        .onConflictDoNothing({ target: users.email })
        .returning({
          id: users.id,
          email: users.email,
          name: users.name,
          role: users.role,
          sessionVersion: users.sessionVersion,
          suspendedAt: users.suspendedAt,
          deletedAt: users.deletedAt,
        });
      if (!user) throw new AppError("invitation_invalid");
      await tx.update(invitations).set({ acceptedAt: sql`now()`, acceptedBy: user.id }).where(eq(invitations.id, invitation.id));
      await recordAudit(tx, {
        actorId: user.id,
        action: "invitation.accepted",
        targetType: "user",
        targetId: user.id,
        metadata: { role: invitation.role, invitationId: invitation.id, invitedBy: invitation.invitedBy },
        context,
      });
      return user;
    });
  } catch (error) {
    if (isUniqueViolation(error, "users_email_key")) throw new AppError("invitation_invalid");
    throw error;
  }
}

export type OpenInvitationRow = {
  id: string;
  email: string;
  role: Role;
  invitedBy: string | null;
  createdAt: Date;
  expiresAt: Date;
  expired: boolean;
  /** False when the inviter is no longer an active admin: the link will not work. */
  vouched: boolean;
};

/** Most open invitations Admin -> Users lists (newest first). */
export const OPEN_INVITATIONS_SHOWN = 100;

/** Invitations neither accepted nor revoked, newest first (expired ones too, marked, so an admin can clear or renew them). */
export async function listOpenInvitations(db: Database, clockOffsetMs = 0): Promise<{ rows: OpenInvitationRow[]; more: boolean }> {
  const rows = await db
    .select({
      id: invitations.id,
      email: invitations.email,
      role: invitations.role,
      invitedBy: inviter.email,
      createdAt: invitations.createdAt,
      expiresAt: invitations.expiresAt,
      expired: sql<boolean>`${invitations.expiresAt} <= ${sqlNow(clockOffsetMs)}`,
      vouched: sql<boolean>`coalesce(${inviter.role} = 'admin' and ${inviter.suspendedAt} is null and ${inviter.deletedAt} is null, false)`,
    })
    .from(invitations)
    .leftJoin(inviter, eq(inviter.id, invitations.invitedBy))
    .where(and(isNull(invitations.acceptedAt), isNull(invitations.revokedAt)))
    .orderBy(desc(invitations.createdAt), desc(invitations.id))
    .limit(OPEN_INVITATIONS_SHOWN + 1);
  return { rows: rows.slice(0, OPEN_INVITATIONS_SHOWN), more: rows.length > OPEN_INVITATIONS_SHOWN };
}
