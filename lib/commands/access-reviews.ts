import "server-only";
import type { Database } from "@/db/client";
import { closeDueReviews, countPendingFor, decideItem, findReview, insertReview, listReviews, lockTeamAdministrator, pendingItemsFor, reviewItems } from "@/db/queries/access-reviews";
import { isTeamSlug } from "../teams/slug";
import { policy } from "../policy";
import { AppError } from "../errors";
import { mailConfigured } from "../mail";
import { parseInput, uuidSchema } from "../validation/common";
import { reviewDecisionInput, startAccessReviewInput } from "../validation/access-review.schema";
import type { Actor } from "./actor";

// Access reviews: an administrator starts one over a set of keys; each key's owner (a team key's
// owners and admins) confirms or revokes it; at the due date the rest are revoked or flagged. The
// admin check, the answerer check and the revocations run inside the transactions that write
// (db/queries/access-reviews.ts).

/**
 * Starts a review: an administrator's over any keys (anyone else is not found), or with `team` (an
 * address, untrusted) a team's over its keys, by its owners and admins; checked in the transaction.
 */
export async function startAccessReview(db: Database, actor: Actor, raw: unknown, team?: unknown) {
  const teamSlug = team === undefined ? undefined : teamSlugOrNotFound(actor, team);
  // A team's caller learns nothing about the form before the team's check.
  if (teamSlug !== undefined) await lockTeamAdministrator(db, teamSlug, actor.userId);
  const input = parseInput(startAccessReviewInput, { ...(raw as object), now: new Date(Date.now() + actor.clockOffsetMs) });
  return insertReview(db, {
    userId: actor.userId,
    teamSlug,
    name: input.name,
    dueAt: input.dueAt,
    onDue: input.onDue,
    filters: input.filters,
    context: actor.context,
    rotationDays: policy.rotationPeriodDays,
    mail: mailConfigured(),
  });
}

function teamSlugOrNotFound(actor: Pick<Actor, "key">, team: unknown): string {
  if (actor.key || !isTeamSlug(team)) throw new AppError("team_not_found");
  return team;
}

/**
 * The list of reviews with their progress: every review for an administrator (the page checks the
 * role), or with `team` a team's own, for its owners and admins (checked here, in the read).
 */
export async function accessReviews(db: Database, actor?: Pick<Actor, "userId" | "key">, team?: unknown) {
  if (team === undefined || !actor) return listReviews(db);
  const slug = teamSlugOrNotFound(actor, team);
  return db.transaction(async (tx) => listReviews(tx, { teamId: await lockTeamAdministrator(tx, slug, actor.userId) }));
}

/**
 * One review with a page of its keys (pending first). A malformed or unknown id is not found; with
 * `team`, so is another team's (or an administrator's) review, and the caller must be an owner or admin.
 */
export async function accessReviewDetails(
  db: Database,
  rawId: unknown,
  page: { limit: number; offset?: number } = { limit: 200 },
  scope?: { actor: Pick<Actor, "userId" | "key">; team: unknown },
) {
  const read = async (tx: Database, teamId?: string) => {
    const parsed = uuidSchema.safeParse(rawId);
    if (!parsed.success) throw new AppError("review_not_found");
    const review = await findReview(tx, parsed.data, teamId);
    if (!review) throw new AppError("review_not_found");
    return { review, items: await reviewItems(tx, review.id, page) };
  };
  if (!scope) return read(db);
  const slug = teamSlugOrNotFound(scope.actor, scope.team);
  return db.transaction(async (tx) => read(tx as unknown as Database, await lockTeamAdministrator(tx, slug, scope.actor.userId)));
}

/** "Review your keys": what waits for this person's answer. */
export async function myReviewItems(db: Database, actor: Pick<Actor, "userId">) {
  return pendingItemsFor(db, actor.userId);
}

export async function myPendingReviewCount(db: Database, actor: Pick<Actor, "userId">): Promise<number> {
  return countPendingFor(db, actor.userId);
}

/** An answer for one key: still needed (confirmed) or revoked now. */
export async function answerReviewItem(db: Database, actor: Actor, raw: unknown): Promise<{ keyName: string; decision: "confirmed" | "revoked" }> {
  // A malformed id answers like someone else's item: not found (no oracle for which ids exist).
  const ids = raw && typeof raw === "object" ? (raw as Record<string, unknown>) : {};
  if (!uuidSchema.safeParse(ids.reviewId).success || !uuidSchema.safeParse(ids.keyId).success) throw new AppError("review_item_not_found");
  const input = parseInput(reviewDecisionInput, raw);
  const { keyName } = await decideItem(db, { userId: actor.userId, reviewId: input.reviewId, keyId: input.keyId, decision: input.decision, context: actor.context, clockOffsetMs: actor.clockOffsetMs });
  return { keyName, decision: input.decision };
}

/** The due scan (lib/jobs/app-jobs.ts). */
export async function closeDueAccessReviews(db: Database, clockOffsetMs: number) {
  return closeDueReviews(db, { clockOffsetMs, mail: mailConfigured() });
}
