import { randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbHandle } from "@/db/client";
import { createApiKey } from "@/db/queries/api-keys";
import { accessReviewItems, apiKeys, auditEvents, notifications } from "@/db/schema";
import { dayIn } from "@/lib/calendar";
import { scopesFor } from "@/lib/scopes";
import { DAY_MS } from "@/lib/time";
import { openTestDb } from "@/test/db";
import { CONTEXT, PEPPER, makeTeam, makeUser, refusal, refusedWith } from "@/test/fixtures";
import { accessReviewDetails, accessReviews, answerReviewItem, closeDueAccessReviews, myPendingReviewCount, myReviewItems, startAccessReview } from "./access-reviews";
import type { Actor } from "./actor";

// Access reviews below the browser, on each driver: who may start one and which keys it takes,
// who may answer for each key and what an answer does, and the due date's revocation or flag.

let handle: DbHandle;
beforeAll(async () => {
  handle = await openTestDb();
});
afterAll(async () => {
  await handle?.close();
});

const actor = (userId: string, clockOffsetMs = 0): Actor => ({ userId, context: CONTEXT, clockOffsetMs, authenticatedAt: new Date() });
async function admin() {
  const email = `admin-${randomUUID()}@example.test`;
  return makeUser(handle.db, { email, adminEmails: [email] });
}
const key = async (userId: string, name = `key-${randomUUID().slice(0, 8)}`) =>
  (await createApiKey(handle.db, userId, { name, description: null, access: "read_only", scopes: scopesFor("read_only"), expiresAt: null }, CONTEXT, PEPPER)).key;
const inDays = (days: number) => dayIn(Date.now() + days * DAY_MS, "UTC");
const itemsOf = (reviewId: string) => handle.db.select().from(accessReviewItems).where(eq(accessReviewItems.reviewId, reviewId));

describe("starting a review", () => {
  it("takes the usable keys the filters match, tells each owner once, and is audited", async () => {
    const boss = await admin();
    const alice = await makeUser(handle.db);
    const bob = await makeUser(handle.db);
    const [a1, a2, revoked] = [await key(alice.id), await key(alice.id), await key(alice.id)];
    await handle.db.update(apiKeys).set({ revokedAt: new Date() }).where(eq(apiKeys.id, revoked.id));
    await key(bob.id);
    const { review, keys } = await startAccessReview(handle.db, actor(boss.id), { name: "Q4 production keys", dueDate: inDays(14), onDue: "revoke", owner: alice.email });
    expect(keys).toBe(2);
    expect((await itemsOf(review.id)).map((i) => i.keyId).sort()).toEqual([a1.id, a2.id].sort());
    expect(review.filters).toEqual({ owner: alice.email });
    const told = await handle.db.select().from(notifications).where(and(eq(notifications.userId, alice.id), eq(notifications.kind, "review.requested")));
    expect(told.map((n) => n.data)).toEqual([{ reviewName: "Q4 production keys", keys: 2, dueAt: review.dueAt.toISOString() }]);
    expect(await handle.db.select().from(notifications).where(and(eq(notifications.userId, bob.id), eq(notifications.kind, "review.requested")))).toEqual([]);
    const [audit] = await handle.db.select().from(auditEvents).where(and(eq(auditEvents.targetId, review.id), eq(auditEvents.action, "review.started")));
    expect(audit!.metadata).toMatchObject({ name: "Q4 production keys", keys: 2, onDue: "revoke" });
    expect(await myPendingReviewCount(handle.db, { userId: alice.id })).toBe(2);
    expect(await myPendingReviewCount(handle.db, { userId: bob.id })).toBe(0);
  });

  it("is an administrator's only; refuses a review of nothing, a bad date and a bad name, writing nothing", async () => {
    const boss = await admin();
    const member = await makeUser(handle.db);
    await key(member.id);
    expect(await refusal(startAccessReview(handle.db, actor(member.id), { name: "Mine", dueDate: inDays(7), onDue: "flag" }))).toBe("not_found");
    expect(await refusal(startAccessReview(handle.db, actor(boss.id), { name: "Nobody", dueDate: inDays(7), onDue: "flag", owner: "nobody@example.test" }))).toBe("review_no_keys");
    for (const [input, field] of [
      [{ name: "Past", dueDate: inDays(-1), onDue: "flag" }, "dueDate"],
      [{ name: "Far", dueDate: inDays(400), onDue: "flag" }, "dueDate"],
      [{ name: "Bad", dueDate: "2026-02-30", onDue: "flag" }, "dueDate"],
      [{ name: "", dueDate: inDays(7), onDue: "flag" }, "name"],
      [{ name: "x\u202ey", dueDate: inDays(7), onDue: "flag" }, "name"],
      [{ name: "Odd", dueDate: inDays(7), onDue: "delete" }, "onDue"],
    ] as const) {
      const error = await refusedWith(startAccessReview(handle.db, actor(boss.id), { ...input, owner: member.email }));
      expect(error.code).toBe("validation_failed");
      expect(Object.keys(error.fieldErrors ?? {}), JSON.stringify(input)).toContain(field);
    }
  });
});

describe("answering", () => {
  it("the owner confirms one key and revokes another; nobody else answers for them, nor answers twice", async () => {
    const boss = await admin();
    const alice = await makeUser(handle.db);
    const bob = await makeUser(handle.db);
    const [keep, drop] = [await key(alice.id, "keep-me"), await key(alice.id, "drop-me")];
    const { review } = await startAccessReview(handle.db, actor(boss.id), { name: "Monthly", dueDate: inDays(7), onDue: "flag", owner: alice.email });
    expect((await myReviewItems(handle.db, { userId: alice.id })).map((i) => i.keyName).sort()).toEqual(["drop-me", "keep-me"]);
    expect(await refusal(answerReviewItem(handle.db, actor(bob.id), { reviewId: review.id, keyId: keep.id, decision: "confirmed" }))).toBe("review_item_not_found");
    expect(await refusal(answerReviewItem(handle.db, actor(boss.id), { reviewId: review.id, keyId: keep.id, decision: "revoked" }))).toBe("review_item_not_found");
    expect(await answerReviewItem(handle.db, actor(alice.id), { reviewId: review.id, keyId: keep.id, decision: "confirmed" })).toEqual({ keyName: "keep-me", decision: "confirmed" });
    expect(await answerReviewItem(handle.db, actor(alice.id), { reviewId: review.id, keyId: drop.id, decision: "revoked" })).toEqual({ keyName: "drop-me", decision: "revoked" });
    expect(await refusal(answerReviewItem(handle.db, actor(alice.id), { reviewId: review.id, keyId: keep.id, decision: "revoked" }))).toBe("review_item_not_found");
    expect(await refusal(answerReviewItem(handle.db, actor(alice.id), { reviewId: review.id, keyId: keep.id, decision: "maybe" }))).toBe("validation_failed");
    // A malformed id answers like someone else's item.
    expect(await refusal(answerReviewItem(handle.db, actor(alice.id), { reviewId: "not-a-uuid", keyId: drop.id, decision: "revoked" }))).toBe("review_item_not_found");
    const rows = await handle.db.select().from(apiKeys).where(eq(apiKeys.userId, alice.id));
    expect(rows.find((k) => k.id === keep.id)!.revokedAt).toBeNull();
    expect(rows.find((k) => k.id === drop.id)!.revokedReason).toBe("in the access review “Monthly”");
    const { review: summary, items } = await accessReviewDetails(handle.db, review.id);
    expect(summary.counts).toEqual({ confirmed: 1, revoked: 1 });
    expect(items.map((i) => [i.keyName, i.decision, i.decidedByEmail])).toEqual([
      ["drop-me", "revoked", alice.email],
      ["keep-me", "confirmed", alice.email],
    ]);
    const audits = await handle.db.select().from(auditEvents).where(eq(auditEvents.actorId, alice.id));
    expect(audits.filter((a) => a.targetId === drop.id && a.action === "api_key.revoked").map((a) => a.metadata.via)).toEqual(["access_review"]);
    expect(audits.filter((a) => a.targetId === keep.id && a.action === "review.key_confirmed")).toHaveLength(1);
  });

  it("a team key is answered by the team's owners and admins, not its developers", async () => {
    const boss = await admin();
    const [owner, teamAdmin, developer] = [await makeUser(handle.db), await makeUser(handle.db), await makeUser(handle.db)];
    const team = await makeTeam(handle.db, [
      { userId: owner.id, role: "owner" },
      { userId: teamAdmin.id, role: "admin" },
      { userId: developer.id, role: "developer" },
    ]);
    const teamKey = await key(developer.id, "team-deploy");
    await handle.db.update(apiKeys).set({ userId: null, teamId: team.id, createdBy: developer.id }).where(eq(apiKeys.id, teamKey.id));
    const { review } = await startAccessReview(handle.db, actor(boss.id), { name: "Team keys", dueDate: inDays(7), onDue: "revoke", team: team.slug });
    expect((await myReviewItems(handle.db, { userId: owner.id })).map((i) => i.teamSlug)).toEqual([team.slug]);
    expect(await myReviewItems(handle.db, { userId: developer.id })).toEqual([]);
    expect(await refusal(answerReviewItem(handle.db, actor(developer.id), { reviewId: review.id, keyId: teamKey.id, decision: "confirmed" }))).toBe("review_item_not_found");
    await answerReviewItem(handle.db, actor(teamAdmin.id), { reviewId: review.id, keyId: teamKey.id, decision: "confirmed" });
    expect((await itemsOf(review.id))[0]).toMatchObject({ decision: "confirmed", decidedBy: teamAdmin.id });
  });
});

describe("the due date", () => {
  it("revokes (or flags) the keys nobody confirmed, once, whatever runs the scan; then nobody can answer", async () => {
    const boss = await admin();
    const alice = await makeUser(handle.db);
    const [confirmed, silent] = [await key(alice.id), await key(alice.id)];
    const carol = await makeUser(handle.db);
    const flaggedKey = await key(carol.id);
    const revoking = await startAccessReview(handle.db, actor(boss.id), { name: "Revoking", dueDate: inDays(3), onDue: "revoke", owner: alice.email });
    const flagging = await startAccessReview(handle.db, actor(boss.id), { name: "Flagging", dueDate: inDays(3), onDue: "flag", owner: carol.email });
    await answerReviewItem(handle.db, actor(alice.id), { reviewId: revoking.review.id, keyId: confirmed.id, decision: "confirmed" });
    await closeDueAccessReviews(handle.db, DAY_MS);
    expect((await accessReviewDetails(handle.db, revoking.review.id)).review.status).toBe("open");
    const later = 5 * DAY_MS;
    await Promise.all([closeDueAccessReviews(handle.db, later), closeDueAccessReviews(handle.db, later)]);
    await closeDueAccessReviews(handle.db, later);
    const revoked = await accessReviewDetails(handle.db, revoking.review.id);
    expect(revoked.review.status).toBe("closed");
    expect(revoked.review.counts).toEqual({ confirmed: 1, revoked_at_due: 1 });
    const [silentRow] = await handle.db.select().from(apiKeys).where(eq(apiKeys.id, silent.id));
    expect(silentRow!.revokedReason).toBe("by an administrator: not confirmed in the access review “Revoking” by its due date");
    expect((await handle.db.select().from(apiKeys).where(eq(apiKeys.id, confirmed.id)))[0]!.revokedAt).toBeNull();
    const flagged = await accessReviewDetails(handle.db, flagging.review.id);
    expect(flagged.review.counts).toEqual({ flagged: 1 });
    expect((await handle.db.select().from(apiKeys).where(eq(apiKeys.id, flaggedKey.id)))[0]!.revokedAt).toBeNull();
    const closings = await handle.db.select().from(auditEvents).where(and(eq(auditEvents.targetId, revoking.review.id), eq(auditEvents.action, "review.closed")));
    expect(closings).toHaveLength(1);
    expect(await refusal(answerReviewItem(handle.db, actor(carol.id), { reviewId: flagging.review.id, keyId: flaggedKey.id, decision: "confirmed" }))).toBe("review_item_not_found");
    expect(await myPendingReviewCount(handle.db, { userId: alice.id })).toBe(0);
  });
});

describe("a team's own review", () => {
  it("is started and followed by the team's owners and admins, over the team's keys only", async () => {
    const [owner, teamAdmin, developer, outsider] = [await makeUser(handle.db), await makeUser(handle.db), await makeUser(handle.db), await makeUser(handle.db)];
    const team = await makeTeam(handle.db, [
      { userId: owner.id, role: "owner" },
      { userId: teamAdmin.id, role: "admin" },
      { userId: developer.id, role: "developer" },
    ]);
    const teamKey = await key(developer.id, "team-key");
    await handle.db.update(apiKeys).set({ userId: null, teamId: team.id, createdBy: developer.id }).where(eq(apiKeys.id, teamKey.id));
    const personal = await key(developer.id, "personal-key");
    const input = { name: "Team monthly", dueDate: inDays(7), onDue: "flag", owner: developer.email };
    expect(await refusal(startAccessReview(handle.db, actor(developer.id), input, team.slug))).toBe("team_reviews_admins_only");
    expect(await refusal(startAccessReview(handle.db, actor(outsider.id), input, team.slug))).toBe("team_not_found");
    expect(await refusal(startAccessReview(handle.db, actor(outsider.id), { name: "" }, team.slug))).toBe("team_not_found");
    const { review, keys } = await startAccessReview(handle.db, actor(teamAdmin.id), input, team.slug);
    expect(keys).toBe(1);
    expect(review.teamId).toBe(team.id);
    expect((await itemsOf(review.id)).map((i) => i.keyId)).toEqual([teamKey.id]);
    expect(personal.id).not.toBe(teamKey.id);
    expect((await accessReviews(handle.db, actor(owner.id), team.slug)).map((r) => r.id)).toEqual([review.id]);
    expect(await refusal(accessReviews(handle.db, actor(developer.id), team.slug))).toBe("team_reviews_admins_only");
    expect((await accessReviewDetails(handle.db, review.id, { limit: 10 }, { actor: actor(owner.id), team: team.slug })).items).toHaveLength(1);
    const other = await makeTeam(handle.db, [{ userId: outsider.id, role: "owner" }]);
    expect(await refusal(accessReviewDetails(handle.db, review.id, { limit: 10 }, { actor: actor(outsider.id), team: other.slug }))).toBe("review_not_found");
    const [audit] = await handle.db.select().from(auditEvents).where(and(eq(auditEvents.targetId, review.id), eq(auditEvents.action, "review.started")));
    expect(audit!.teamId).toBe(team.id);
  });
});
