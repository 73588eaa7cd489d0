import { z } from "zod";
import { REVIEW_DUE_MAX_DAYS, REVIEW_NAME_MAX, REVIEW_ON_DUE } from "../reviews/rules";
import { DAY_MS } from "../time";
import { validTimeZone } from "../time-zone";
import { adminKeyFilters } from "./admin.schema";
import { customExpiry } from "./api-key.schema";
import { plainText, uuidSchema } from "./common";

/**
 * Starting a review: its name, its due date (a day on the starter's calendar: due at that day's
 * end in their zone, from tomorrow to a year ahead), what happens then to keys nobody confirmed,
 * and which keys (Admin -> All API keys' filters: owner, team, scope, usage).
 */
export const startAccessReviewInput = z
  .strictObject({
    name: plainText("The review's name", REVIEW_NAME_MAX, { required: "Name the review, e.g. “Q4 production keys”." }),
    dueDate: z.string({ error: "Choose the due date." }).trim().regex(/^\d{4}-\d{2}-\d{2}$/, "Choose the due date."),
    timeZone: z.string().max(64).optional(),
    onDue: z.enum(REVIEW_ON_DUE, { error: "Choose what happens to keys nobody confirmed." }),
    owner: z.string().max(254).optional(),
    team: z.string().max(40).optional(),
    scope: z.string().max(64).optional(),
    usage: z.string().max(10).optional(),
    now: z.date(),
  })
  .transform((v, ctx) => {
    const zone = zoneOrUtc(v.timeZone);
    const dueAt = customExpiry(v.dueDate, zone);
    if (!dueAt) {
      ctx.addIssue({ code: "custom", path: ["dueDate"], message: "Choose the due date." });
      return z.NEVER;
    }
    if (dueAt.getTime() <= v.now.getTime() + 60 * 60 * 1000 || dueAt.getTime() > v.now.getTime() + (REVIEW_DUE_MAX_DAYS + 1) * DAY_MS) {
      ctx.addIssue({ code: "custom", path: ["dueDate"], message: `Choose a day from tomorrow to ${REVIEW_DUE_MAX_DAYS} days ahead.` });
      return z.NEVER;
    }
    // The same reading of the filters as the key list's: a value it would ignore is ignored here.
    const filters = adminKeyFilters.parse({ owner: v.owner || undefined, team: v.team || undefined, scope: v.scope || undefined, usage: v.usage || undefined });
    const kept = Object.fromEntries(Object.entries({ owner: filters.owner, team: filters.team, scope: filters.scope, usage: filters.usage }).filter(([, value]) => value !== undefined)) as Record<string, string>;
    return { name: v.name, dueAt, onDue: v.onDue, filters: kept };
  });

function zoneOrUtc(zone: string | undefined): string {
  return validTimeZone(zone) ?? "UTC";
}

/** An owner's answer for one key of a review. */
export const reviewDecisionInput = z.strictObject({
  reviewId: uuidSchema,
  keyId: uuidSchema,
  decision: z.enum(["confirmed", "revoked"], { error: "Confirm the key or revoke it." }),
});
