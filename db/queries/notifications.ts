import { and, count, desc, eq, gt, inArray, isNull, lte, sql, type SQL } from "drizzle-orm";
import { sqlNow } from "@/lib/clock";
import { EXPIRY_WARNINGS, expiryWarningDue, type NotificationKind } from "@/lib/notifications/kinds";
import type { Database } from "../client";
import { apiKeys, notificationSettings, notifications, teamMembers, teams, users, type Notification } from "../schema";
import { enqueueJob } from "./jobs";

export type ExpiryCandidate = {
  keyId: string;
  keyName: string;
  expiresAt: Date;
  createdAt: Date;
  teamId: string | null;
  teamSlug: string | null;
  teamName: string | null;
  userId: string;
  now: Date;
};

/**
 * Keys that expire within the widest warning window and who is told about each: a person's key,
 * its owner; a team key, the team's owners and admins. Deleted people, deleted teams, revoked and
 * deleted keys are left out. A read only: the notifications are written by `recordNotices`, whose
 * statement names no table a verification reads (on the embedded database, a write that did would
 * mark the key cache stale).
 */
export async function expiryCandidates(db: Database, clockOffsetMs: number): Promise<ExpiryCandidate[]> {
  const now = sqlNow(clockOffsetMs);
  const widest = Math.max(...EXPIRY_WARNINGS.map((w) => w.beforeMs));
  const keys = await db
    .select({
      keyId: apiKeys.id,
      expiresAt: sql<Date>`${apiKeys.expiresAt}`.mapWith(apiKeys.expiresAt),
      createdAt: apiKeys.createdAt,
      now: sql<Date>`${now}`.mapWith((v: string | Date) => new Date(v)),
    })
    .from(apiKeys)
    .where(
      and(
        isNull(apiKeys.deletedAt),
        sql`(${apiKeys.revokedAt} is null or ${apiKeys.revokedAt} > ${now})`,
        gt(apiKeys.expiresAt, now),
        lte(apiKeys.expiresAt, sql`${now} + make_interval(secs => ${widest / 1000})`),
      ),
    );
  if (keys.length === 0) return [];
  // Who is told: the one rule of keyRecipients (below).
  const byKey = new Map(keys.map((k) => [k.keyId, k]));
  return (await keyRecipients(db, [...byKey.keys()], null)).map((r) => ({ ...r, ...byKey.get(r.keyId)! }));
}

export type NewNotice = {
  userId: string;
  kind: NotificationKind;
  keyId: string | null;
  teamId: string | null;
  data: Record<string, string | number | null>;
  dedupeKey: string;
};

type Tx = Parameters<Parameters<Database["transaction"]>[0]>[0];

/**
 * Records notices, each once ever (by its dedupe key), and queues one mail job for each new one
 * whose person wants that kind mailed, in the caller's transaction: a notice and its mail exist
 * together, and together with the change they tell of (a revocation). Returns the new notices.
 */
export async function insertNotices(tx: Tx | Database, notices: NewNotice[], options: { mail: boolean }): Promise<{ id: string; userId: string; kind: NotificationKind }[]> {
  if (notices.length === 0) return [];
  const created = await tx
    .insert(notifications)
    .values(notices)
    .onConflictDoNothing({ target: notifications.dedupeKey })
    .returning({ id: notifications.id, userId: notifications.userId, kind: notifications.kind });
  if (options.mail && created.length > 0) {
    const settings = await tx
      .select({ userId: notificationSettings.userId, mailOff: notificationSettings.mailOff })
      .from(notificationSettings)
      .where(inArray(notificationSettings.userId, [...new Set(created.map((c) => c.userId))]));
    const off = new Map(settings.map((s) => [s.userId, new Set(s.mailOff)]));
    for (const notice of created) {
      if (off.get(notice.userId)?.has(notice.kind)) continue;
      await enqueueJob(tx, { kind: "notifications.mail", payload: { notificationId: notice.id }, dedupeKey: `mail:${notice.id}` });
    }
  }
  return created;
}

/** insertNotices in a transaction of its own (the expiry scan's). */
export async function recordNotices(db: Database, notices: NewNotice[], options: { mail: boolean }): Promise<{ id: string; userId: string; kind: NotificationKind }[]> {
  if (notices.length === 0) return [];
  return db.transaction((tx) => insertNotices(tx, notices, options));
}

export type KeyRecipient = { keyId: string; keyName: string; teamId: string | null; teamSlug: string | null; teamName: string | null; userId: string };

/**
 * Who is told about these keys: a person's key, its owner; a team key, the team's owners and
 * admins (not a deleted team's, not deleted people), except `exceptUserId` (who did it).
 */
export async function keyRecipients(tx: Tx | Database, keyIds: string[], exceptUserId: string | null): Promise<KeyRecipient[]> {
  if (keyIds.length === 0) return [];
  const columns = { keyId: apiKeys.id, keyName: apiKeys.name };
  const personal = await tx
    .select({ ...columns, teamId: sql<string | null>`null::uuid`, teamSlug: sql<string | null>`null::text`, teamName: sql<string | null>`null::text`, userId: users.id })
    .from(apiKeys)
    .innerJoin(users, and(eq(users.id, apiKeys.userId), isNull(users.deletedAt)))
    .where(inArray(apiKeys.id, keyIds));
  const team = await tx
    .select({ ...columns, teamId: teams.id, teamSlug: teams.slug, teamName: teams.name, userId: users.id })
    .from(apiKeys)
    .innerJoin(teams, and(eq(teams.id, apiKeys.teamId), isNull(teams.deletedAt)))
    .innerJoin(teamMembers, and(eq(teamMembers.teamId, teams.id), inArray(teamMembers.role, ["owner", "admin"])))
    .innerJoin(users, and(eq(users.id, teamMembers.userId), isNull(users.deletedAt)))
    .where(inArray(apiKeys.id, keyIds));
  return [...personal, ...team].filter((r) => r.userId !== exceptUserId);
}

/** "Revoked by someone else" notices: by an administrator (with the reason), or by a leak report (which secret). */
export function revokedNotices(
  recipients: KeyRecipient[],
  how: { by: "admin"; reason: string } | { by: "leak"; secret: "current secret" | "previous secret" },
  /** What makes this event one of its kind: the secret's hint (a key has one current secret, and a previous one per rotation). */
  secretHint: string,
): NewNotice[] {
  return recipients.map((r) => ({
    userId: r.userId,
    kind: "key.revoked" as const,
    keyId: r.keyId,
    teamId: r.teamId,
    data: { keyName: r.keyName, teamSlug: r.teamSlug, teamName: r.teamName, ...how },
    // A key is revoked once; each previous secret is reported once (its grace ends with the report).
    dedupeKey: `key.revoked:${r.keyId}:${secretHint}:${r.userId}`,
  }));
}

export type StaleKeyCandidate = KeyRecipient & { kind: "key.rotation_due" | "key.unused_90d"; since: Date; lastUsedAt: Date | null };

/**
 * The daily scan's keys, with who is told: usable keys (not revoked, expired or deleted) whose
 * secret is older than the rotation period (`rotationDays`, none when null), or that nobody has
 * used for `unusedDays` (or since they were made), and whose owners were not told so since then:
 * after the first notice a key drops out until it is rotated, or used and left again. So the scan
 * reads the few keys it has news about, not every stale key every day.
 */
export async function staleKeyCandidates(db: Database, input: { rotationDays: number | null; unusedDays: number; clockOffsetMs: number }): Promise<StaleKeyCandidate[]> {
  const now = sqlNow(input.clockOffsetMs);
  const usable = usableKey(now);
  const notToldSince = (kind: NotificationKind, since: SQL) =>
    sql`not exists (select 1 from ${notifications} where ${notifications.keyId} = ${apiKeys.id} and ${notifications.kind} = ${kind} and ${notifications.createdAt} >= ${since})`;
  const quietSince = sql`coalesce(${apiKeys.lastUsedAt}, ${apiKeys.createdAt})`;
  const kinds: { kind: "key.rotation_due" | "key.unused_90d"; since: SQL; due: SQL }[] = [
    { kind: "key.unused_90d", since: quietSince, due: sql`${quietSince} <= ${now} - make_interval(days => ${input.unusedDays})` },
    ...(input.rotationDays
      ? [{ kind: "key.rotation_due" as const, since: sql`${apiKeys.secretCreatedAt}`, due: sql`${apiKeys.secretCreatedAt} <= ${now} - make_interval(days => ${input.rotationDays})` }]
      : []),
  ];
  const out: StaleKeyCandidate[] = [];
  for (const { kind, since, due } of kinds) {
    const keys = await db
      .select({ keyId: apiKeys.id, since: sql<Date>`${since}`.mapWith((v: string | Date) => new Date(v)), lastUsedAt: apiKeys.lastUsedAt })
      .from(apiKeys)
      .where(and(usable, due, notToldSince(kind, since)))
      .limit(10_000);
    if (keys.length === 0) continue;
    const byKey = new Map(keys.map((k) => [k.keyId, k]));
    for (const r of await keyRecipients(db, [...byKey.keys()], null)) {
      const key = byKey.get(r.keyId)!;
      out.push({ ...r, kind, since: key.since, lastUsedAt: key.lastUsedAt });
    }
  }
  return out;
}

/** The daily scan's notices: once per key and secret (rotation), or per quiet spell (unused). */
export function staleKeyNotices(candidates: StaleKeyCandidate[]): NewNotice[] {
  return candidates.map((c) => ({
    userId: c.userId,
    kind: c.kind,
    keyId: c.keyId,
    teamId: c.teamId,
    data: { keyName: c.keyName, teamSlug: c.teamSlug, teamName: c.teamName, since: c.since.toISOString(), lastUsedAt: c.lastUsedAt?.toISOString() ?? null },
    dedupeKey: `${c.kind}:${c.keyId}:${c.since.getTime()}:${c.userId}`,
  }));
}

/** Keys that still authenticate: not revoked, not expired, not deleted (by the shifted clock). */
function usableKey(now: SQL) {
  return and(isNull(apiKeys.deletedAt), sql`(${apiKeys.revokedAt} is null or ${apiKeys.revokedAt} > ${now})`, sql`(${apiKeys.expiresAt} is null or ${apiKeys.expiresAt} > ${now})`);
}

/** Whether this month's digests were already recorded (by any process): the monthly digest is made once. */
export async function digestsRecorded(db: Database, month: string): Promise<boolean> {
  const [row] = await db
    .select({ one: sql<number>`1` })
    .from(notifications)
    .where(and(eq(notifications.kind, "digest.monthly"), sql`${notifications.dedupeKey} like ${`digest.monthly:${month}:%`}`))
    .limit(1);
  return !!row;
}

/** Each person with keys to review (their own usable keys, and those of teams they own or administer), with how many. */
export async function digestRecipients(db: Database, clockOffsetMs: number): Promise<{ userId: string; activeKeys: number }[]> {
  const usable = usableKey(sqlNow(clockOffsetMs));
  const personal = await db
    .select({ userId: users.id, n: count() })
    .from(apiKeys)
    .innerJoin(users, and(eq(users.id, apiKeys.userId), isNull(users.deletedAt), isNull(users.suspendedAt)))
    .where(usable)
    .groupBy(users.id);
  const team = await db
    .select({ userId: users.id, n: count() })
    .from(apiKeys)
    .innerJoin(teams, and(eq(teams.id, apiKeys.teamId), isNull(teams.deletedAt)))
    .innerJoin(teamMembers, and(eq(teamMembers.teamId, teams.id), inArray(teamMembers.role, ["owner", "admin"])))
    .innerJoin(users, and(eq(users.id, teamMembers.userId), isNull(users.deletedAt), isNull(users.suspendedAt)))
    .where(usable)
    .groupBy(users.id);
  const totals = new Map<string, number>();
  for (const row of [...personal, ...team]) totals.set(row.userId, (totals.get(row.userId) ?? 0) + Number(row.n));
  return [...totals].map(([userId, activeKeys]) => ({ userId, activeKeys }));
}

/** The keys a digest lists for one person, most recently used first (at most `limit`). */
export async function digestKeys(db: Database, userId: string, limit: number, clockOffsetMs: number) {
  const usable = usableKey(sqlNow(clockOffsetMs));
  const columns = { id: apiKeys.id, name: apiKeys.name, lastUsedAt: apiKeys.lastUsedAt, expiresAt: apiKeys.expiresAt };
  const personal = await db
    .select({ ...columns, teamSlug: sql<string | null>`null::text`, teamName: sql<string | null>`null::text` })
    .from(apiKeys)
    .where(and(usable, eq(apiKeys.userId, userId)))
    .limit(limit);
  const team = await db
    .select({ ...columns, teamSlug: teams.slug, teamName: teams.name })
    .from(apiKeys)
    .innerJoin(teams, and(eq(teams.id, apiKeys.teamId), isNull(teams.deletedAt)))
    .innerJoin(teamMembers, and(eq(teamMembers.teamId, teams.id), eq(teamMembers.userId, userId), inArray(teamMembers.role, ["owner", "admin"])))
    .where(usable)
    .limit(limit);
  const time = (d: Date | null) => d?.getTime() ?? -Infinity;
  return [...personal, ...team].sort((a, b) => time(b.lastUsedAt) - time(a.lastUsedAt)).slice(0, limit);
}

/** The expiry warnings due now, as notices (pure decision in lib/notifications/kinds.ts). */
export function expiryNotices(candidates: ExpiryCandidate[]): NewNotice[] {
  const notices: NewNotice[] = [];
  for (const c of candidates) {
    const kind = expiryWarningDue(c, c.now);
    if (!kind) continue;
    notices.push({
      userId: c.userId,
      kind,
      keyId: c.keyId,
      teamId: c.teamId,
      data: { keyName: c.keyName, expiresAt: c.expiresAt.toISOString(), teamSlug: c.teamSlug, teamName: c.teamName },
      // Per key, per expiry (an extended key is warned again before its new date), per person.
      dedupeKey: `${kind}:${c.keyId}:${c.expiresAt.toISOString()}:${c.userId}`,
    });
  }
  return notices;
}

/** One notice with its person's address, for the mail job (undefined once the notice or person is gone). */
export async function noticeForMail(db: Database, id: string): Promise<(Notification & { email: string; name: string }) | undefined> {
  const [row] = await db
    .select({ notice: notifications, email: users.email, name: users.name })
    .from(notifications)
    .innerJoin(users, and(eq(users.id, notifications.userId), isNull(users.deletedAt)))
    .where(eq(notifications.id, id));
  return row ? { ...row.notice, email: row.email, name: row.name } : undefined;
}

/** A person's newest notices and how many are unread. */
export async function listNotifications(db: Database, userId: string, limit = 50): Promise<{ rows: Notification[]; unread: number }> {
  const rows = await db.select().from(notifications).where(eq(notifications.userId, userId)).orderBy(desc(notifications.createdAt), desc(notifications.id)).limit(limit);
  return { rows, unread: await unreadNotifications(db, userId) };
}

/** How many of a person's notices are unread (the main menu's bell, on every page: under notifications_user_unread_idx). */
export async function unreadNotifications(db: Database, userId: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(notifications)
    .where(and(eq(notifications.userId, userId), isNull(notifications.readAt)));
  return Number(row?.n ?? 0);
}

/** Marks a person's notices read: these ids (others' ids are ignored), or all of them. Returns how many changed. */
export async function markNotificationsRead(db: Database, userId: string, ids: string[] | "all"): Promise<number> {
  const rows = await db
    .update(notifications)
    .set({ readAt: sql`now()` })
    .where(and(eq(notifications.userId, userId), isNull(notifications.readAt), ids === "all" ? undefined : inArray(notifications.id, ids)))
    .returning({ id: notifications.id });
  return rows.length;
}

/** The kinds a person does not want mailed. */
export async function mailOffFor(db: Database, userId: string): Promise<NotificationKind[]> {
  const [row] = await db.select({ mailOff: notificationSettings.mailOff }).from(notificationSettings).where(eq(notificationSettings.userId, userId));
  return (row?.mailOff ?? []) as NotificationKind[];
}

export async function setMailOff(db: Database, userId: string, kinds: NotificationKind[]): Promise<void> {
  await db
    .insert(notificationSettings)
    .values({ userId, mailOff: kinds })
    .onConflictDoUpdate({ target: notificationSettings.userId, set: { mailOff: kinds, updatedAt: sql`now()` } });
}
