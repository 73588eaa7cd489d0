import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { DbHandle } from "@/db/client";
import { apiKeys, jobs, notifications, teams } from "@/db/schema";
import { JobRunner } from "@/lib/jobs/runner";
import { DAY_MS } from "@/lib/time";
import { openTestDb } from "@/test/db";
import { makeTeam, makeUser, refusal } from "@/test/fixtures";
import { startInbox, type Inbox } from "@/test/smtp";
import { adminRevokeKeys } from "@/db/queries/admin-keys";
import { createApiKey } from "@/db/queries/api-keys";
import { rotateApiKey, revokeLeakedKeys } from "@/db/queries/rotations";
import { scopesFor } from "@/lib/scopes";
import { CONTEXT, PEPPER } from "@/test/fixtures";
import { recordNotices, staleKeyCandidates, staleKeyNotices } from "@/db/queries/notifications";
import { changeNotificationSettings, mailNotice, markRead, myNotifications, noticeMail, notificationSettings, recordMonthlyDigests, scanExpiringKeys, scanStaleKeys } from "./notifications";
import { digestKeys } from "@/db/queries/notifications";

// Expiry warnings end to end below the browser: the scan (who is told, once, on each driver, by
// the test clock), the mail job through a real SMTP server, reading and marking notices, and the
// mail choices.

let handle: DbHandle;
let inbox: Inbox;
const env = { SMTP_URL: process.env.SMTP_URL, APP_URL: process.env.APP_URL };
beforeAll(async () => {
  handle = await openTestDb();
  inbox = await startInbox();
  process.env.SMTP_URL = inbox.url;
  process.env.APP_URL = "https://keys.example.test";
});
afterAll(async () => {
  process.env.SMTP_URL = env.SMTP_URL;
  process.env.APP_URL = env.APP_URL;
  if (env.SMTP_URL === undefined) delete process.env.SMTP_URL;
  if (env.APP_URL === undefined) delete process.env.APP_URL;
  await inbox?.stop();
  await handle?.close();
});
beforeEach(async () => {
  await handle.db.delete(jobs);
});

/** A key whose life started `ageDays` ago and ends `leftDays` from now. */
async function keyOf(owner: { userId?: string; teamId?: string }, ageDays: number, leftDays: number, extra: Partial<typeof apiKeys.$inferInsert> = {}) {
  const [row] = await handle.db
    .insert(apiKeys)
    .values({
      userId: owner.userId ?? null,
      teamId: owner.teamId ?? null,
      name: `deploy-${randomUUID().slice(0, 8)}`,
      keyHash: randomUUID() + randomUUID(),
      hint: "ksk_…test",
      access: "read_only",
      scopes: ["keys:read"],
      createdAt: new Date(Date.now() - ageDays * DAY_MS),
      expiresAt: new Date(Date.now() + leftDays * DAY_MS),
      ...extra,
    })
    .returning();
  return row!;
}

const noticesOf = (keyId: string) => handle.db.select().from(notifications).where(eq(notifications.keyId, keyId));

describe("the expiry scan", () => {
  it("tells a key's owner once, 7 days before and again a day before, however many scans run", async () => {
    const owner = await makeUser(handle.db);
    const key = await keyOf({ userId: owner.id }, 30, 6.5);
    await Promise.all([scanExpiringKeys(handle.db, 0), scanExpiringKeys(handle.db, 0), scanExpiringKeys(handle.db, 0)]);
    await scanExpiringKeys(handle.db, 0);
    let notices = await noticesOf(key.id);
    expect(notices.map((n) => [n.kind, n.userId])).toEqual([["key.expiring_7d", owner.id]]);
    expect(notices[0]!.data).toMatchObject({ keyName: key.name, expiresAt: key.expiresAt!.toISOString() });
    // Five and a half days later by the test clock: within a day of expiry.
    await scanExpiringKeys(handle.db, 5.6 * DAY_MS);
    await scanExpiringKeys(handle.db, 5.7 * DAY_MS);
    notices = await noticesOf(key.id);
    expect(notices.map((n) => n.kind).sort()).toEqual(["key.expiring_1d", "key.expiring_7d"]);
    // After it expires, nothing more.
    await scanExpiringKeys(handle.db, 7 * DAY_MS);
    expect(await noticesOf(key.id)).toHaveLength(2);
  });

  it("skips keys made inside a window, revoked, deleted or far from expiry; an extended key is warned again", async () => {
    const owner = await makeUser(handle.db);
    const short = await keyOf({ userId: owner.id }, 0, 5); // made with five days to live
    const revoked = await keyOf({ userId: owner.id }, 30, 3, { revokedAt: new Date() });
    const deleted = await keyOf({ userId: owner.id }, 30, 3, { deletedAt: new Date() });
    const far = await keyOf({ userId: owner.id }, 1, 20);
    await scanExpiringKeys(handle.db, 0);
    for (const k of [short, revoked, deleted, far]) expect(await noticesOf(k.id)).toHaveLength(0);
    // The short-lived key still gets the last-day warning.
    await scanExpiringKeys(handle.db, 4.5 * DAY_MS);
    expect((await noticesOf(short.id)).map((n) => n.kind)).toEqual(["key.expiring_1d"]);
    // Extended by a month, then warned again as its new date nears.
    const extended = await keyOf({ userId: owner.id }, 30, 6);
    await scanExpiringKeys(handle.db, 0);
    await handle.db.update(apiKeys).set({ expiresAt: new Date(Date.now() + 36 * DAY_MS) }).where(eq(apiKeys.id, extended.id));
    await scanExpiringKeys(handle.db, 30 * DAY_MS);
    expect((await noticesOf(extended.id)).map((n) => n.kind)).toEqual(["key.expiring_7d", "key.expiring_7d"]);
  });

  it("tells a team key's owners and admins, not its developers or viewers; nobody once the team is deleted", async () => {
    const [owner, admin, developer, viewer] = await Promise.all([1, 2, 3, 4].map(() => makeUser(handle.db)));
    const team = await makeTeam(handle.db, [
      { userId: owner!.id, role: "owner" },
      { userId: admin!.id, role: "admin" },
      { userId: developer!.id, role: "developer" },
      { userId: viewer!.id, role: "viewer" },
    ]);
    const key = await keyOf({ teamId: team.id }, 30, 6);
    await scanExpiringKeys(handle.db, 0);
    const notices = await noticesOf(key.id);
    expect(notices.map((n) => n.userId).sort()).toEqual([owner!.id, admin!.id].sort());
    expect(notices[0]).toMatchObject({ teamId: team.id, data: { teamSlug: team.slug, teamName: team.name } });
    const gone = await makeTeam(handle.db, [{ userId: owner!.id, role: "owner" }]);
    const orphan = await keyOf({ teamId: gone.id }, 30, 6);
    await handle.db.update(teams).set({ deletedAt: new Date() }).where(eq(teams.id, gone.id));
    await scanExpiringKeys(handle.db, 0);
    expect(await noticesOf(orphan.id)).toHaveLength(0);
  });
});

describe("the daily scan", () => {
  it("tells of a key nobody has used for 90 days once per quiet spell, not of one used lately", async () => {
    const owner = await makeUser(handle.db);
    const never = await keyOf({ userId: owner.id }, 100, 300);
    const lately = await keyOf({ userId: owner.id }, 100, 300, { lastUsedAt: new Date(Date.now() - 10 * DAY_MS) });
    const young = await keyOf({ userId: owner.id }, 30, 300);
    await Promise.all([scanStaleKeys(handle.db, 0), scanStaleKeys(handle.db, 0)]);
    await scanStaleKeys(handle.db, 0);
    const [notice, ...more] = await noticesOf(never.id);
    expect(more).toHaveLength(0);
    expect(notice).toMatchObject({ kind: "key.unused_90d", data: { keyName: never.name, lastUsedAt: null } });
    const mail = noticeMail({ ...notice!, name: "Owner" });
    expect(mail.subject).toBe(`Your key “${never.name}” has not been used for 90 days`);
    expect(mail.text).toContain("it has never been used");
    expect(await noticesOf(lately.id)).toHaveLength(0);
    expect(await noticesOf(young.id)).toHaveLength(0);
    // Used again after the notice, then quiet for another 90 days: told again.
    await handle.db.update(apiKeys).set({ lastUsedAt: new Date(Date.now() + 1_000) }).where(eq(apiKeys.id, never.id));
    await scanStaleKeys(handle.db, 0);
    expect(await noticesOf(never.id)).toHaveLength(1);
    await scanStaleKeys(handle.db, 91 * DAY_MS);
    const unused = async (id: string) => (await noticesOf(id)).filter((n) => n.kind === "key.unused_90d");
    expect(await unused(never.id)).toHaveLength(2);
    // The lately-used key's turn comes 90 days after its last use.
    expect(await unused(lately.id)).toHaveLength(1);
  });

  it("tells of a key due for rotation once per secret, only where the deployment sets a rotation period", async () => {
    const owner = await makeUser(handle.db);
    const old = await keyOf({ userId: owner.id }, 40, 300, { secretCreatedAt: new Date(Date.now() - 40 * DAY_MS), lastUsedAt: new Date() });
    const fresh = await keyOf({ userId: owner.id }, 40, 300, { secretCreatedAt: new Date(Date.now() - 5 * DAY_MS), lastUsedAt: new Date() });
    const scan = async (rotationDays: number | null) =>
      recordNotices(handle.db, staleKeyNotices(await staleKeyCandidates(handle.db, { rotationDays, unusedDays: 90, clockOffsetMs: 0 })), { mail: false });
    await scan(null);
    expect(await noticesOf(old.id)).toHaveLength(0);
    await scan(30);
    await scan(30);
    const [notice, ...more] = await noticesOf(old.id);
    expect(more).toHaveLength(0);
    expect(noticeMail({ ...notice!, name: "Owner" }).subject).toBe(`Your key “${old.name}” is due for rotation`);
    expect(await noticesOf(fresh.id)).toHaveLength(0);
    // Rotated (a new secret), then old again: told again.
    await handle.db.update(apiKeys).set({ secretCreatedAt: new Date(Date.now() + 1_000) }).where(eq(apiKeys.id, old.id));
    await scan(30);
    expect(await noticesOf(old.id)).toHaveLength(1);
    const later = await staleKeyCandidates(handle.db, { rotationDays: 30, unusedDays: 90, clockOffsetMs: 31 * DAY_MS });
    expect(later.filter((c) => c.keyId === old.id && c.kind === "key.rotation_due")).toHaveLength(1);
  });
});

describe("the monthly digest", () => {
  it("lists each person's keys to review once a month: theirs and their teams' if they administer them", async () => {
    const [owner, teamAdmin, idle] = await Promise.all([1, 2, 3].map(() => makeUser(handle.db)));
    const team = await makeTeam(handle.db, [{ userId: teamAdmin!.id, role: "admin" }]);
    const mine = await keyOf({ userId: owner!.id }, 10, 100, { lastUsedAt: new Date() });
    await keyOf({ userId: owner!.id }, 10, 100);
    await keyOf({ userId: owner!.id }, 10, 100, { revokedAt: new Date() });
    const teamKey = await keyOf({ teamId: team.id }, 10, 100);
    await keyOf({ userId: idle!.id }, 10, 100, { revokedAt: new Date() });
    const month = 40 * DAY_MS; // a month that has no digest yet in this database
    await Promise.all([recordMonthlyDigests(handle.db, month), recordMonthlyDigests(handle.db, month)]);
    expect(await recordMonthlyDigests(handle.db, month)).toEqual({ noticed: 0 });
    const digests = await handle.db.select().from(notifications).where(eq(notifications.kind, "digest.monthly"));
    const of = (id: string) => digests.filter((d) => d.userId === id);
    expect(of(owner!.id)).toHaveLength(1);
    expect(of(owner!.id)[0]!.data).toMatchObject({ activeKeys: 2 });
    expect(of(teamAdmin!.id)[0]!.data).toMatchObject({ activeKeys: 1 });
    expect(of(idle!.id)).toHaveLength(0);
    const keys = await digestKeys(handle.db, owner!.id, 50, month);
    expect(keys[0]!.id).toBe(mine.id); // most recently used first
    const mail = noticeMail({ ...of(owner!.id)[0]!, name: "Owner" }, keys);
    expect(mail.subject).toMatch(/^Monthly review: 2 active keys in \w+ \d{4}$/);
    expect(mail.text).toContain(`- ${mine.name}: last used`);
    expect(mail.text).toContain("never used");
    expect(mail.text).toContain(`https://keys.example.test/settings/api-keys/${mine.id}`);
    const teamKeys = await digestKeys(handle.db, teamAdmin!.id, 50, month);
    expect(noticeMail({ ...of(teamAdmin!.id)[0]!, name: "Admin" }, teamKeys).text).toContain(`/t/${team.slug}/settings/api-keys/${teamKey.id}`);
  });
});

describe("revoked by someone else", () => {
  const keyWithSecret = async (owner: { userId?: string; teamId?: string; createdBy?: string }) => {
    const user = owner.userId ?? owner.createdBy!;
    const created = await createApiKey(handle.db, user, { name: `leaky-${randomUUID().slice(0, 8)}`, description: null, access: "full", scopes: scopesFor("full"), expiresAt: null }, CONTEXT, PEPPER);
    if (owner.teamId) await handle.db.update(apiKeys).set({ userId: null, teamId: owner.teamId, createdBy: user }).where(eq(apiKeys.id, created.key.id));
    return created;
  };

  it("an administrator's revocation tells the owner, with the reason, and queues the mail with it", async () => {
    const admin = await makeUser(handle.db, { adminEmails: [] });
    const { users } = await import("@/db/schema");
    await handle.db.update(users).set({ role: "admin" }).where(eq(users.id, admin.id));
    const owner = await makeUser(handle.db);
    const { key } = await keyWithSecret({ userId: owner.id });
    expect(await adminRevokeKeys(handle.db, admin.id, [key.id], "Found in a public gist", CONTEXT, { mail: true })).toBe(1);
    const [notice] = await noticesOf(key.id);
    expect(notice).toMatchObject({ userId: owner.id, kind: "key.revoked", data: { keyName: key.name, by: "admin", reason: "Found in a public gist" } });
    const mail = noticeMail({ ...notice!, name: "Owner" });
    expect(mail.subject).toBe(`Your key “${key.name}” was revoked by an administrator`);
    expect(mail.text).toContain("The reason given: “Found in a public gist”");
    expect(await handle.db.select().from(jobs).where(eq(jobs.kind, "notifications.mail"))).toHaveLength(1);
    // Revoking again revokes nothing and tells nobody again.
    expect(await adminRevokeKeys(handle.db, admin.id, [key.id], "again", CONTEXT, { mail: true })).toBe(0);
    expect(await noticesOf(key.id)).toHaveLength(1);
  });

  it("a team key revoked by an administrator tells the team's owners and admins, not the administrator", async () => {
    const [admin, owner, teamAdmin, developer] = await Promise.all([1, 2, 3, 4].map(() => makeUser(handle.db)));
    const { users } = await import("@/db/schema");
    await handle.db.update(users).set({ role: "admin" }).where(eq(users.id, admin!.id));
    const team = await makeTeam(handle.db, [
      { userId: owner!.id, role: "owner" },
      { userId: teamAdmin!.id, role: "admin" },
      { userId: developer!.id, role: "developer" },
      { userId: admin!.id, role: "admin" },
    ]);
    const { key } = await keyWithSecret({ teamId: team.id, createdBy: developer!.id });
    await adminRevokeKeys(handle.db, admin!.id, [key.id], "Policy", CONTEXT, { mail: false });
    const notices = await noticesOf(key.id);
    expect(notices.map((n) => n.userId).sort()).toEqual([owner!.id, teamAdmin!.id].sort());
    expect(await handle.db.select().from(jobs).where(eq(jobs.kind, "notifications.mail"))).toHaveLength(0);
  });

  it("a leak report tells the owner once, and says when only a previous secret stopped working", async () => {
    const owner = await makeUser(handle.db);
    const leaked = await keyWithSecret({ userId: owner.id });
    await revokeLeakedKeys(handle.db, [leaked.secret], PEPPER, CONTEXT, "github", { mail: true });
    await revokeLeakedKeys(handle.db, [leaked.secret], PEPPER, CONTEXT, "github", { mail: true });
    const [notice, ...more] = await noticesOf(leaked.key.id);
    expect(more).toHaveLength(0);
    expect(notice).toMatchObject({ kind: "key.revoked", data: { by: "leak", secret: "current secret" } });
    expect(JSON.stringify(notice!.data)).not.toContain("github");
    expect(noticeMail({ ...notice!, name: "Owner" }).subject).toBe(`Your key “${leaked.key.name}” was revoked: its secret was reported leaked`);

    const rotating = await keyWithSecret({ userId: owner.id });
    await rotateApiKey(handle.db, owner.id, rotating.key.id, { graceMs: DAY_MS, via: "api" }, CONTEXT, PEPPER);
    await revokeLeakedKeys(handle.db, [rotating.secret], PEPPER, CONTEXT, "github", { mail: false });
    const [previous] = await noticesOf(rotating.key.id);
    expect(noticeMail({ ...previous!, name: "Owner" }).subject).toBe(`The previous secret of your key “${rotating.key.name}” was reported leaked and stopped working`);
  });
});

describe("mail", () => {
  it("queues one mail per new notice, sent through SMTP by the job runner, once; a kind turned off is not mailed", async () => {
    const owner = await makeUser(handle.db);
    const quiet = await makeUser(handle.db);
    await changeNotificationSettings(handle.db, { userId: quiet.id }, { mail: ["key.expiring_1d"] });
    const key = await keyOf({ userId: owner.id }, 30, 6);
    await keyOf({ userId: quiet.id }, 30, 6);
    const since = inbox.to(owner.email).length;
    await scanExpiringKeys(handle.db, 0);
    await scanExpiringKeys(handle.db, 0);
    const mailJobs = await handle.db.select().from(jobs).where(eq(jobs.kind, "notifications.mail"));
    expect(mailJobs).toHaveLength(1);
    const runners = [1, 2].map(
      () => new JobRunner(async () => handle.db, { kinds: { "notifications.mail": { handle: async (p, { db }) => mailNotice(db, String(p.notificationId)) } }, pollMs: 60_000 }),
    );
    await Promise.all(runners.map((r) => r.poll()));
    await Promise.all(runners.map((r) => r.settle()));
    const mail = await inbox.waitFor(owner.email, { since });
    expect(mail.subject).toBe(`Your key “${key.name}” expires in 7 days`);
    expect(mail.text).toContain(`https://keys.example.test/settings/api-keys/${key.id}`);
    expect(mail.text).toContain("https://keys.example.test/settings/notifications");
    expect(mail.text).toMatch(/on \d+ \w+ \d{4}, \d{2}:\d{2} UTC/);
    expect(inbox.to(owner.email)).toHaveLength(since + 1);
    expect(inbox.to(quiet.email)).toHaveLength(0);
    expect((await handle.db.select().from(jobs).where(eq(jobs.kind, "notifications.mail")))[0]).toMatchObject({ status: "succeeded", attempts: 1 });
  });

  it("a notice whose person is gone fails its mail job for good, without retrying", async () => {
    await expect(mailNotice(handle.db, randomUUID())).rejects.toThrow(/no longer exists/);
  });
});

describe("reading notices and choosing mails", () => {
  it("lists a person's own notices, newest first, and marks read only their own", async () => {
    const me = await makeUser(handle.db);
    const other = await makeUser(handle.db);
    await keyOf({ userId: me.id }, 30, 6);
    await keyOf({ userId: me.id }, 30, 0.5);
    await keyOf({ userId: other.id }, 30, 6);
    await scanExpiringKeys(handle.db, 0);
    const mine = await myNotifications(handle.db, { userId: me.id });
    expect(mine.rows).toHaveLength(2);
    expect(mine.unread).toBe(2);
    const theirs = await myNotifications(handle.db, { userId: other.id });
    // Someone else's id changes nothing.
    expect(await markRead(handle.db, { userId: me.id }, { ids: [theirs.rows[0]!.id] })).toEqual({ changed: 0 });
    expect((await myNotifications(handle.db, { userId: other.id })).unread).toBe(1);
    expect(await markRead(handle.db, { userId: me.id }, { ids: [mine.rows[0]!.id] })).toEqual({ changed: 1 });
    expect((await myNotifications(handle.db, { userId: me.id })).unread).toBe(1);
    expect(await markRead(handle.db, { userId: me.id }, { ids: "all" })).toEqual({ changed: 1 });
    expect((await myNotifications(handle.db, { userId: me.id })).unread).toBe(0);
  });

  it("refuses bad input with validation_failed and changes nothing", async () => {
    const me = await makeUser(handle.db);
    for (const input of [{ ids: [] }, { ids: ["not-a-uuid"] }, { ids: Array.from({ length: 101 }, () => randomUUID()) }, {}, { ids: "all", extra: 1 }]) {
      expect(await refusal(markRead(handle.db, { userId: me.id }, input))).toBe("validation_failed");
    }
    for (const input of [{ mail: ["key.exploded"] }, { mail: ["key.expiring_7d", "key.expiring_7d"] }, { mail: "key.expiring_7d" }, {}]) {
      expect(await refusal(changeNotificationSettings(handle.db, { userId: me.id }, input))).toBe("validation_failed");
    }
    expect((await notificationSettings(handle.db, { userId: me.id })).kinds.every((k) => k.mail)).toBe(true);
    await changeNotificationSettings(handle.db, { userId: me.id }, { mail: [] });
    expect((await notificationSettings(handle.db, { userId: me.id })).kinds.every((k) => !k.mail)).toBe(true);
    await changeNotificationSettings(handle.db, { userId: me.id }, { mail: ["key.expiring_7d"] });
    expect((await notificationSettings(handle.db, { userId: me.id })).kinds).toEqual([
      { kind: "key.expiring_7d", mail: true },
      { kind: "key.expiring_1d", mail: false },
      { kind: "key.rotation_due", mail: false },
      { kind: "key.unused_90d", mail: false },
      { kind: "key.revoked", mail: false },
      { kind: "digest.monthly", mail: false },
      { kind: "webhook.disabled", mail: false },
      { kind: "review.requested", mail: false },
    ]);
  });
});
