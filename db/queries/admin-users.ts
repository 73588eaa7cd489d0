import { and, asc, count, eq, ilike, isNull, or, sql } from "drizzle-orm";
import type { RequestContext } from "@/lib/audit-events";
import { AppError } from "@/lib/errors";
import type { UserFilters } from "@/lib/validation/admin.schema";
import type { Database } from "../client";
import { apiKeys, passkeys, recoveryCodes, secondFactorChallenges, totpFactors, users } from "../schema";
import { recordAudit } from "./audit";
import { hasSecondFactorSql } from "./second-factor";
import { ADMIN_PAGE_SIZE, containsPattern, countLimit, toPaged, type Paged } from "./paging";
import { handOverTeamsOf } from "./team-members";

export type AdminUserRow = { id: string; email: string; name: string; role: "admin" | "member"; suspendedAt: Date | null; createdAt: Date; activeKeys: number; hasSecondFactor: boolean };

/** Users, oldest first, searched by email or name and paged in the database. */
export async function listUsers(db: Database, f: UserFilters, pageSize = ADMIN_PAGE_SIZE): Promise<Paged<AdminUserRow>> {
  const like = f.q ? containsPattern(f.q) : undefined;
  // Deleted accounts are kept (anonymised) for the audit log, not listed.
  const where = and(isNull(users.deletedAt), like ? or(ilike(users.email, like), ilike(users.name, like)) : undefined, f.role ? eq(users.role, f.role) : undefined);
  const offset = (f.page - 1) * pageSize;
  const rows = await db
    .select({
      id: users.id,
      email: users.email,
      name: users.name,
      role: users.role,
      suspendedAt: users.suspendedAt,
      createdAt: users.createdAt,
      // Keys that still work, per listed user only (50 a page), through api_keys_user_created_idx.
      // The subquery names its table `k`: in a one-table select Drizzle writes columns unqualified,
      // and an unqualified "id" inside the subquery would be the key's, not the user's.
      activeKeys: sql<number>`(select count(*) from ${apiKeys} as k where k.user_id = ${users}.id and k.revoked_at is null and k.deleted_at is null and (k.expires_at is null or k.expires_at > now()))`.mapWith(Number),
      // An app or a passkey: one primary-key probe (totp_factors is keyed by user_id) and one
      // passkeys_user_created_idx probe per listed user.
      hasSecondFactor: hasSecondFactorSql(sql`${users}.id`).mapWith(Boolean),
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

type Tx = Parameters<Parameters<Database["transaction"]>[0]>[0];
type LockedTarget = { id: string; email: string; name: string; role: "admin" | "member"; suspendedAt: Date | null };

/**
 * The start of every admin change to a user, inside its transaction: every active admin's row is
 * locked (always in id order, so two of these never deadlock), then the target's. The actor must
 * still be an active admin (checked on the locked rows: one demoted or suspended a moment ago is
 * refused as "not found", like a member), and the target must exist and not be deleted. Because
 * the whole set of active admins is locked, two admins demoting or suspending each other at once
 * run one after the other, and the second sees the first's change: never zero admins.
 */
async function lockForAdminChange(tx: Tx, adminId: string, userId: string): Promise<{ admins: string[]; target: LockedTarget }> {
  const admins = (
    await tx
      .select({ id: users.id })
      .from(users)
      .where(and(eq(users.role, "admin"), isNull(users.suspendedAt), isNull(users.deletedAt)))
      .orderBy(asc(users.id))
      .for("update")
  ).map((r) => r.id);
  if (!admins.includes(adminId)) throw new AppError("not_found");
  const [target] = await tx
    .select({ id: users.id, email: users.email, name: users.name, role: users.role, suspendedAt: users.suspendedAt })
    .from(users)
    .where(and(eq(users.id, userId), isNull(users.deletedAt)))
    .for("update");
  if (!target) throw new AppError("user_not_found");
  return { admins, target };
}

/** Whether the change would take the last active admin away. */
function assertLeavesAnAdmin(admins: string[], target: LockedTarget) {
  if (admins.includes(target.id) && admins.length <= 1) throw new AppError("last_admin");
}

/** Promotes or demotes a user; the last active admin cannot be demoted (see lockForAdminChange). */
export async function setUserRole(db: Database, adminId: string, userId: string, role: "admin" | "member", context: RequestContext) {
  return db.transaction(async (tx) => {
    const { admins, target } = await lockForAdminChange(tx, adminId, userId);
    if (target.role === role) return target;
    if (role === "member") assertLeavesAnAdmin(admins, target);
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

/**
 * Suspends a user: the session version moves on (every session ends on its next request) and
 * suspended_at is set, which the key lookup reads in the join it already makes, so every key of
 * theirs answers USER_SUSPENDED on its next verification, in every process (on the embedded
 * database the write moves the lookup cache's generation). Nothing else changes. Suspending a
 * suspended user changes nothing and records nothing.
 */
export async function suspendUser(db: Database, adminId: string, userId: string, context: RequestContext): Promise<LockedTarget> {
  return db.transaction(async (tx) => {
    const { admins, target } = await lockForAdminChange(tx, adminId, userId);
    if (target.id === adminId) throw new AppError("own_account");
    assertLeavesAnAdmin(admins, target);
    if (target.suspendedAt) return target;
    const [updated] = await tx
      .update(users)
      .set({ suspendedAt: sql`now()`, sessionVersion: sql`${users.sessionVersion} + 1`, updatedAt: sql`now()` })
      .where(eq(users.id, userId))
      .returning({ id: users.id, email: users.email, name: users.name, role: users.role, suspendedAt: users.suspendedAt });
    await recordAudit(tx, { actorId: adminId, action: "user.suspended", targetType: "user", targetId: userId, metadata: { email: target.email }, context });
    return updated!;
  });
}

/** Lifts a suspension: the user may sign in again and their keys that are otherwise valid work again. */
export async function reinstateUser(db: Database, adminId: string, userId: string, context: RequestContext): Promise<LockedTarget> {
  return db.transaction(async (tx) => {
    const { target } = await lockForAdminChange(tx, adminId, userId);
    if (!target.suspendedAt) return target;
    const [updated] = await tx
      .update(users)
      .set({ suspendedAt: null, updatedAt: sql`now()` })
      .where(eq(users.id, userId))
      .returning({ id: users.id, email: users.email, name: users.name, role: users.role, suspendedAt: users.suspendedAt });
    await recordAudit(tx, { actorId: adminId, action: "user.reinstated", targetType: "user", targetId: userId, metadata: { email: target.email }, context });
    return updated!;
  });
}

export const DELETED_NAME = "Deleted user";

/**
 * Deletes a user, in one transaction: every key of theirs still working is revoked, and the row is
 * kept but anonymised (email, name and password replaced, sessions ended, marked deleted). It is
 * not removed: audit events name their actor and target by id, and the append-only log must keep
 * pointing at a row (a hard delete would also cascade away the keys, their rotations and usage).
 * The deletion event keeps the address, so the log still says who was deleted. The email is free
 * for a new account afterwards.
 */
export async function deleteUser(db: Database, adminId: string, userId: string, context: RequestContext): Promise<{ email: string; keysRevoked: number; teamsHandedOver: number }> {
  return db.transaction(async (tx) => {
    const { admins, target } = await lockForAdminChange(tx, adminId, userId);
    if (target.id === adminId) throw new AppError("own_account");
    assertLeavesAnAdmin(admins, target);
    // Before the row is marked deleted: the teams it is the last owner of get a new owner.
    const teamsHandedOver = await handOverTeamsOf(tx, userId, adminId, "account deleted", context);
    const revoked = await tx
      .update(apiKeys)
      .set({ revokedAt: sql`now()`, revokedReason: "account deleted", updatedAt: sql`now()` })
      .where(and(eq(apiKeys.userId, userId), isNull(apiKeys.revokedAt)))
      .returning({ id: apiKeys.id });
    await tx
      .update(users)
      .set({
        email: `deleted-${userId}@deleted.invalid`,
        name: DELETED_NAME,
        // Not an argon2 hash: no password verifies against it.
        passwordHash: "!deleted",
        role: "member",
        suspendedAt: null,
        deletedAt: sql`now()`,
        sessionVersion: sql`${users.sessionVersion} + 1`,
        updatedAt: sql`now()`,
      })
      .where(eq(users.id, userId));
    // Its second factors go with the credentials: nothing sealed, hashed or registered is kept for nobody.
    await tx.delete(totpFactors).where(eq(totpFactors.userId, userId));
    await tx.delete(passkeys).where(eq(passkeys.userId, userId));
    await tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId));
    await tx.delete(secondFactorChallenges).where(eq(secondFactorChallenges.userId, userId));
    await recordAudit(tx, {
      actorId: adminId,
      action: "user.deleted",
      targetType: "user",
      targetId: userId,
      metadata: { email: target.email, name: target.name, keysRevoked: revoked.length, teamsHandedOver: teamsHandedOver.length },
      context,
    });
    return { email: target.email, keysRevoked: revoked.length, teamsHandedOver: teamsHandedOver.length };
  });
}
