import { and, asc, count, desc, eq, inArray, isNull, lte, or, sql } from "drizzle-orm";
import type { RequestContext } from "@/lib/audit-events";
import { sqlNow } from "@/lib/clock";
import { AppError } from "@/lib/errors";
import { REVIEW_KEYS_MAX, type ReviewDecision, type ReviewOnDue } from "@/lib/reviews/rules";
import { canAdministerTeam } from "@/lib/teams/roles";
import type { AdminKeyFilters } from "@/lib/validation/admin.schema";
import type { Database } from "../client";
import { accessReviewItems, accessReviews, apiKeys, teamMembers, teams, users, type AccessReview } from "../schema";
import { assertActiveAdmin } from "./admin-guard";
import { adminKeyWhere, revokeInTransaction } from "./admin-keys";
import { recordAudit } from "./audit";
import { DB_NOW, keyUsableCondition } from "./key-status";
import { insertNotices, keyRecipients, type NewNotice } from "./notifications";
import { lockMembership, lockMembershipById } from "./teams";

type Tx = Parameters<Parameters<Database["transaction"]>[0]>[0];

/**
 * Starts a review, in one transaction: the admin is still an active admin; the usable keys the
 * filters match (at most REVIEW_KEYS_MAX) become its items, each answered for by its owner (a team
 * key: by its team); everyone who answers for one is told (in the app, and by mail unless turned
 * off); audited.
 */
export async function insertReview(
  db: Database,
  input: {
    userId: string;
    /** A team's own review (its owners and admins start it, over its keys); absent: an administrator's. */
    teamSlug?: string;
    name: string;
    dueAt: Date;
    onDue: ReviewOnDue;
    filters: Partial<AdminKeyFilters> & Record<string, string>;
    context: RequestContext;
    rotationDays: number | null;
    mail: boolean;
  },
): Promise<{ review: AccessReview; keys: number }> {
  return db.transaction(async (tx) => {
    const teamId = input.teamSlug === undefined ? null : await lockTeamAdministrator(tx, input.teamSlug, input.userId);
    if (teamId === null) await assertActiveAdmin(tx, input.userId);
    const filters = teamId ? { scope: input.filters.scope, usage: input.filters.usage } : input.filters;
    const keys = await tx
      .select({ id: apiKeys.id, userId: apiKeys.userId, teamId: apiKeys.teamId })
      .from(apiKeys)
      .where(and(adminKeyWhere(filters, input.rotationDays), teamId ? eq(apiKeys.teamId, teamId) : undefined, keyUsableCondition(DB_NOW), isNull(apiKeys.deletedAt)))
      .limit(REVIEW_KEYS_MAX + 1);
    if (keys.length === 0) throw new AppError("review_no_keys");
    if (keys.length > REVIEW_KEYS_MAX) throw new AppError("review_too_large");
    const [review] = await tx
      .insert(accessReviews)
      .values({ name: input.name, filters: Object.fromEntries(Object.entries(filters).filter(([, v]) => v !== undefined)) as Record<string, string>, dueAt: input.dueAt, onDue: input.onDue, teamId, startedBy: input.userId })
      .returning();
    for (let i = 0; i < keys.length; i += 1_000) {
      await tx.insert(accessReviewItems).values(keys.slice(i, i + 1_000).map((k) => ({ reviewId: review!.id, keyId: k.id, userId: k.teamId ? null : k.userId, teamId: k.teamId })));
    }
    await recordAudit(tx, {
      actorId: input.userId,
      action: "review.started",
      targetType: "access_review",
      targetId: review!.id,
      metadata: { name: input.name, keys: keys.length, dueAt: input.dueAt.toISOString(), onDue: input.onDue, filters: review!.filters, ...(teamId ? { teamId } : {}) },
      context: input.context,
      teamId,
    });
    // Who is told: each key's owner, or its team's owners and admins; one notice per person.
    const perPerson = new Map<string, number>();
    for (const r of await keyRecipients(tx, keys.map((k) => k.id), null)) perPerson.set(r.userId, (perPerson.get(r.userId) ?? 0) + 1);
    const notices: NewNotice[] = [...perPerson].map(([userId, n]) => ({
      userId,
      kind: "review.requested",
      keyId: null,
      teamId: null,
      data: { reviewName: input.name, keys: n, dueAt: input.dueAt.toISOString() },
      dedupeKey: `review.requested:${review!.id}:${userId}`,
    }));
    await insertNotices(tx, notices, { mail: input.mail });
    return { review: review!, keys: keys.length };
  });
}

export type ReviewSummary = AccessReview & { counts: Partial<Record<ReviewDecision, number>>; startedByEmail: string | null };

/**
 * The owners and admins of a team start and read its reviews: their membership share-locked, in
 * the caller's transaction. A non-member: team_not_found; a developer or viewer: team_reviews_admins_only.
 */
export async function lockTeamAdministrator(tx: Tx | Database, slug: string, userId: string): Promise<string> {
  const membership = await lockMembership(tx as Tx, slug, userId);
  if (!membership) throw new AppError("team_not_found");
  if (!canAdministerTeam(membership.role)) throw new AppError("team_reviews_admins_only");
  return membership.team.id;
}

/** Every review (an administrator's list), or a team's own, newest first, with how many of its keys stand where. */
export async function listReviews(db: Tx | Database, options: { teamId?: string; limit?: number } = {}): Promise<ReviewSummary[]> {
  const limit = options.limit ?? 100;
  const reviews = await db
    .select({ review: accessReviews, startedByEmail: users.email })
    .from(accessReviews)
    .leftJoin(users, eq(users.id, accessReviews.startedBy))
    .where(options.teamId ? eq(accessReviews.teamId, options.teamId) : undefined)
    .orderBy(desc(accessReviews.createdAt), desc(accessReviews.id))
    .limit(limit);
  if (reviews.length === 0) return [];
  const counts = await db
    .select({ reviewId: accessReviewItems.reviewId, decision: accessReviewItems.decision, n: count() })
    .from(accessReviewItems)
    .where(inArray(accessReviewItems.reviewId, reviews.map((r) => r.review.id)))
    .groupBy(accessReviewItems.reviewId, accessReviewItems.decision);
  return reviews.map(({ review, startedByEmail }) => ({
    ...review,
    startedByEmail,
    counts: Object.fromEntries(counts.filter((c) => c.reviewId === review.id).map((c) => [c.decision, Number(c.n)])),
  }));
}

const decidedByUsers = sql`(select ${users.email} from ${users} where ${users.id} = ${accessReviewItems.decidedBy})`;
const itemColumns = {
  keyId: accessReviewItems.keyId,
  keyName: apiKeys.name,
  keyHint: apiKeys.hint,
  access: apiKeys.access,
  lastUsedAt: apiKeys.lastUsedAt,
  expiresAt: apiKeys.expiresAt,
  ownerEmail: users.email,
  teamSlug: teams.slug,
  teamName: teams.name,
  decision: accessReviewItems.decision,
  decidedByEmail: sql<string | null>`${decidedByUsers}`,
  decidedAt: accessReviewItems.decidedAt,
};

/** One review with its keys (in pages of `limit`, pending first, then by name), for the admin's page and the report. */
export async function reviewItems(db: Tx | Database, reviewId: string, options: { limit: number; offset?: number }) {
  return db
    .select(itemColumns)
    .from(accessReviewItems)
    .innerJoin(apiKeys, eq(apiKeys.id, accessReviewItems.keyId))
    .leftJoin(users, eq(users.id, apiKeys.userId))
    .leftJoin(teams, eq(teams.id, apiKeys.teamId))
    .where(eq(accessReviewItems.reviewId, reviewId))
    .orderBy(sql`${accessReviewItems.decision} = 'pending' desc`, asc(apiKeys.name), asc(accessReviewItems.keyId))
    .limit(options.limit)
    .offset(options.offset ?? 0);
}

/** One review (a team's: only when it is that team's). */
export async function findReview(db: Tx | Database, id: string, teamId?: string): Promise<ReviewSummary | undefined> {
  const [row] = await db
    .select({ review: accessReviews, startedByEmail: users.email })
    .from(accessReviews)
    .leftJoin(users, eq(users.id, accessReviews.startedBy))
    .where(and(eq(accessReviews.id, id), teamId ? eq(accessReviews.teamId, teamId) : undefined));
  if (!row) return undefined;
  const counts = await db
    .select({ decision: accessReviewItems.decision, n: count() })
    .from(accessReviewItems)
    .where(eq(accessReviewItems.reviewId, id))
    .groupBy(accessReviewItems.decision);
  return { ...row.review, startedByEmail: row.startedByEmail, counts: Object.fromEntries(counts.map((c) => [c.decision, Number(c.n)])) };
}

/** The teams where this person answers for keys (owner or admin). */
function teamsAnsweredBy(userId: string) {
  return sql`(select ${teamMembers.teamId} from ${teamMembers} where ${teamMembers.userId} = ${userId} and ${teamMembers.role} in ('owner', 'admin'))`;
}

/** "Review your keys": the keys waiting for this person's answer in open reviews (theirs, and their teams' if they own or administer them). */
export async function pendingItemsFor(db: Database, userId: string) {
  return db
    .select({
      reviewId: accessReviews.id,
      reviewName: accessReviews.name,
      dueAt: accessReviews.dueAt,
      onDue: accessReviews.onDue,
      keyId: accessReviewItems.keyId,
      keyName: apiKeys.name,
      keyHint: apiKeys.hint,
      access: apiKeys.access,
      lastUsedAt: apiKeys.lastUsedAt,
      teamSlug: teams.slug,
      teamName: teams.name,
    })
    .from(accessReviewItems)
    .innerJoin(accessReviews, eq(accessReviews.id, accessReviewItems.reviewId))
    .innerJoin(apiKeys, eq(apiKeys.id, accessReviewItems.keyId))
    .leftJoin(teams, eq(teams.id, apiKeys.teamId))
    .where(
      and(
        eq(accessReviewItems.decision, "pending"),
        eq(accessReviews.status, "open"),
        or(eq(accessReviewItems.userId, userId), sql`${accessReviewItems.teamId} in ${teamsAnsweredBy(userId)}`),
      ),
    )
    .orderBy(asc(accessReviews.dueAt), asc(apiKeys.name))
    .limit(500);
}

export async function countPendingFor(db: Database, userId: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(accessReviewItems)
    .innerJoin(accessReviews, eq(accessReviews.id, accessReviewItems.reviewId))
    .where(and(eq(accessReviewItems.decision, "pending"), eq(accessReviews.status, "open"), or(eq(accessReviewItems.userId, userId), sql`${accessReviewItems.teamId} in ${teamsAnsweredBy(userId)}`)));
  return Number(row?.n ?? 0);
}

/**
 * An owner's answer for one key, in one transaction: the item locked while still pending in an
 * open review; the person is the key's owner, or an owner or admin of its team (the membership
 * share-locked); "revoked" revokes the key (audited as its owner's revocation, through the review);
 * every answer audited. Anyone else's item, a decided one and a closed review are not found.
 */
export async function decideItem(
  db: Database,
  input: { userId: string; reviewId: string; keyId: string; decision: "confirmed" | "revoked"; context: RequestContext; clockOffsetMs: number },
): Promise<{ keyName: string }> {
  return db.transaction(async (tx) => {
    const [item] = await tx
      .select({ userId: accessReviewItems.userId, teamId: accessReviewItems.teamId, reviewName: accessReviews.name, status: accessReviews.status })
      .from(accessReviewItems)
      .innerJoin(accessReviews, eq(accessReviews.id, accessReviewItems.reviewId))
      .where(and(eq(accessReviewItems.reviewId, input.reviewId), eq(accessReviewItems.keyId, input.keyId), eq(accessReviewItems.decision, "pending")))
      .for("update", { of: accessReviewItems });
    if (!item || item.status !== "open") throw new AppError("review_item_not_found");
    if (item.teamId) {
      const membership = await lockMembershipById(tx, item.teamId, input.userId);
      if (!membership || !canAdministerTeam(membership.role)) throw new AppError("review_item_not_found");
    } else if (item.userId !== input.userId) throw new AppError("review_item_not_found");
    const [key] = await tx.select({ name: apiKeys.name, hint: apiKeys.hint, revokedAt: apiKeys.revokedAt }).from(apiKeys).where(eq(apiKeys.id, input.keyId));
    if (input.decision === "revoked") {
      const [revoked] = await tx
        .update(apiKeys)
        .set({ revokedAt: sql`now()`, revokedReason: `in the access review “${item.reviewName}”`, updatedAt: sql`now()` })
        .where(and(eq(apiKeys.id, input.keyId), isNull(apiKeys.revokedAt)))
        .returning({ id: apiKeys.id });
      if (revoked) {
        await recordAudit(tx, {
          actorId: input.userId,
          action: "api_key.revoked",
          targetType: "api_key",
          targetId: input.keyId,
          metadata: { name: key!.name, hint: key!.hint, via: "access_review", reviewId: input.reviewId, ...(item.teamId ? { teamId: item.teamId } : {}) },
          context: input.context,
        });
      }
    } else {
      await recordAudit(tx, {
        actorId: input.userId,
        action: "review.key_confirmed",
        targetType: "api_key",
        targetId: input.keyId,
        metadata: { name: key!.name, hint: key!.hint, review: item.reviewName, reviewId: input.reviewId, ...(item.teamId ? { teamId: item.teamId } : {}) },
        context: input.context,
      });
    }
    await tx
      .update(accessReviewItems)
      .set({ decision: input.decision, decidedBy: input.userId, decidedAt: sqlNow(input.clockOffsetMs) })
      .where(and(eq(accessReviewItems.reviewId, input.reviewId), eq(accessReviewItems.keyId, input.keyId)));
    return { keyName: key!.name };
  });
}

/**
 * The due scan (a recurring job): every open review whose due date has passed is closed, each in a
 * transaction of its own with its row locked (a second process finds it closed): the keys nobody
 * answered for are revoked (an administrator's revocation, with the review's name as the reason,
 * their owners told) or flagged; keys revoked or expired meanwhile are marked gone; audited.
 */
export async function closeDueReviews(db: Database, input: { clockOffsetMs: number; mail: boolean }): Promise<{ closed: number; revoked: number; flagged: number }> {
  const due = await db
    .select({ id: accessReviews.id })
    .from(accessReviews)
    .where(and(eq(accessReviews.status, "open"), lte(accessReviews.dueAt, sqlNow(input.clockOffsetMs))));
  const totals = { closed: 0, revoked: 0, flagged: 0 };
  for (const { id } of due) {
    await db.transaction(async (tx) => {
      const [review] = await tx.select().from(accessReviews).where(and(eq(accessReviews.id, id), eq(accessReviews.status, "open"))).for("update");
      if (!review) return;
      const pending = await tx
        .select({ keyId: accessReviewItems.keyId, usable: sql<boolean>`${keyUsableCondition(sqlNow(input.clockOffsetMs))}` })
        .from(accessReviewItems)
        .innerJoin(apiKeys, eq(apiKeys.id, accessReviewItems.keyId))
        .where(and(eq(accessReviewItems.reviewId, id), eq(accessReviewItems.decision, "pending")));
      const usable = pending.filter((p) => p.usable).map((p) => p.keyId);
      const gone = pending.filter((p) => !p.usable).map((p) => p.keyId);
      let revoked = 0;
      if (usable.length > 0 && review.onDue === "revoke") {
        revoked = await revokeInTransaction(tx, review.startedBy, usable, `not confirmed in the access review “${review.name}” by its due date`, { ip: null, userAgent: null }, { mail: input.mail });
      }
      const mark = async (keyIds: string[], decision: ReviewDecision) => {
        for (let i = 0; i < keyIds.length; i += 1_000) {
          await tx
            .update(accessReviewItems)
            .set({ decision, decidedAt: sqlNow(input.clockOffsetMs) })
            .where(and(eq(accessReviewItems.reviewId, id), inArray(accessReviewItems.keyId, keyIds.slice(i, i + 1_000))));
        }
      };
      await mark(usable, review.onDue === "revoke" ? "revoked_at_due" : "flagged");
      await mark(gone, "gone");
      await tx.update(accessReviews).set({ status: "closed", closedAt: sqlNow(input.clockOffsetMs) }).where(eq(accessReviews.id, id));
      await recordAudit(tx, {
        actorId: null,
        action: "review.closed",
        targetType: "access_review",
        targetId: id,
        metadata: { name: review.name, onDue: review.onDue, unanswered: usable.length, revoked, gone: gone.length },
        context: { ip: null, userAgent: null },
      });
      totals.closed++;
      totals.revoked += revoked;
      if (review.onDue === "flag") totals.flagged += usable.length;
    });
  }
  return totals;
}
