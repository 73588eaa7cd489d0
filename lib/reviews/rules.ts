/**
 * Access reviews (what compliance asks for): an administrator starts a review of a set of keys
 * with a due date; each key's owner (a team key: the team's owners and admins) confirms it is still
 * needed or revokes it; at the due date the keys nobody confirmed are revoked or flagged, as chosen
 * when starting. Pure: the words and the states.
 */
export const REVIEW_ON_DUE = ["revoke", "flag"] as const;
export type ReviewOnDue = (typeof REVIEW_ON_DUE)[number];

export const REVIEW_ON_DUE_LABELS: Record<ReviewOnDue, string> = {
  revoke: "Revoke the keys nobody confirmed",
  flag: "Flag the keys nobody confirmed (keep them working)",
};

/** Where one key of a review stands. */
export const REVIEW_DECISIONS = ["pending", "confirmed", "revoked", "revoked_at_due", "flagged", "gone"] as const;
export type ReviewDecision = (typeof REVIEW_DECISIONS)[number];

export const REVIEW_DECISION_LABELS: Record<ReviewDecision, string> = {
  pending: "Waiting for its owner",
  confirmed: "Confirmed still needed",
  revoked: "Revoked by its owner",
  revoked_at_due: "Revoked at the due date",
  flagged: "Flagged: not confirmed by the due date",
  gone: "Revoked or expired before a decision",
};

export const REVIEW_STATUSES = ["open", "closed"] as const;
export type ReviewStatus = (typeof REVIEW_STATUSES)[number];

/** The most keys one review takes (the same bound as a bulk revocation). */
export const REVIEW_KEYS_MAX = 5_000;
export const REVIEW_NAME_MAX = 120;
/** How far ahead a due date may be: a year (an annual review, as SOC 2 audits ask). */
export const REVIEW_DUE_MAX_DAYS = 365;

/** A review's progress in numbers: how many keys are decided, of how many. */
export function reviewProgress(counts: Partial<Record<ReviewDecision, number>>): { total: number; decided: number; percent: number } {
  const total = REVIEW_DECISIONS.reduce((sum, d) => sum + (counts[d] ?? 0), 0);
  const decided = total - (counts.pending ?? 0);
  return { total, decided, percent: total === 0 ? 100 : Math.floor((decided / total) * 100) };
}
