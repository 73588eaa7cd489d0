import type { Database } from "@/db/client";
import { digestKeys, digestRecipients, digestsRecorded, expiryCandidates, expiryNotices, staleKeyCandidates, staleKeyNotices, insertNotices, listNotifications, mailOffFor, markNotificationsRead, noticeForMail, recordNotices, setMailOff } from "@/db/queries/notifications";
import { queueKeyEvent } from "@/db/queries/webhooks";
import type { Notification } from "@/db/schema";
import { formatExact, formatMonth } from "../format";
import { PermanentJobError } from "../jobs/runner";
import { keyPagePath } from "../keys/paths";
import { webhookPagePath } from "../webhooks/paths";
import { mailConfigured, mailedPageLink, sendMail } from "../mail";
import { NOTIFICATION_KINDS, UNUSED_DAYS, noticeSentence, type NotificationKind } from "../notifications/kinds";
import { config } from "../config";
import { parseInput } from "../validation/common";
import { markReadInput, notificationSettingsInput } from "../validation/notifications.schema";
import type { Actor } from "./actor";

/**
 * The expiry scan (a recurring job, lib/jobs/app-jobs.ts): every expiry warning due now becomes one
 * notice per person told (the key's owner, or its team's owners and admins), once ever, with its
 * mail queued in the same transaction. Any number of processes may run it at the same moment.
 */
export async function scanExpiringKeys(db: Database, clockOffsetMs: number): Promise<{ noticed: number; webhooks: number }> {
  const notices = expiryNotices(await expiryCandidates(db, clockOffsetMs));
  if (notices.length === 0) return { noticed: 0, webhooks: 0 };
  return db.transaction(async (tx) => {
    const created = await insertNotices(tx, notices, { mail: mailConfigured() });
    // The key's webhooks (key.expiring): once per key, warning and expiry, whoever is told.
    let webhooks = 0;
    const told = new Set<string>();
    for (const notice of notices) {
      const expiresAt = String(notice.data.expiresAt);
      const dedupe = `${notice.kind}:${notice.keyId}:${expiresAt}`;
      if (!notice.keyId || told.has(dedupe)) continue;
      told.add(dedupe);
      webhooks += await queueKeyEvent(tx, {
        event: "key.expiring",
        keyId: notice.keyId,
        data: { expiresAt, warning: notice.kind === "key.expiring_1d" ? "1 day" : "7 days" },
        dedupe: `webhook:${dedupe}`,
        at: new Date(Date.now() + clockOffsetMs),
      });
    }
    return { noticed: created.length, webhooks };
  });
}

/**
 * The daily scan (a recurring job): keys due for rotation (the deployment's KEY_ROTATION_DAYS) and
 * keys nobody has used for 90 days, each told once per secret or quiet spell, mail queued with it.
 */
export async function scanStaleKeys(db: Database, clockOffsetMs: number): Promise<{ noticed: number }> {
  const candidates = await staleKeyCandidates(db, { rotationDays: config.rotationPeriodDays, unusedDays: UNUSED_DAYS, clockOffsetMs });
  const created = await recordNotices(db, staleKeyNotices(candidates), { mail: mailConfigured() });
  return { noticed: created.length };
}

/** How many keys a digest's mail lists (the page lists them all). */
const DIGEST_KEYS_LISTED = 50;

/**
 * The monthly digest ("review active tokens monthly"): on the first daily scan of a month, one
 * notice to each person with keys to review (theirs, and their teams' if they own or administer
 * them), mail queued with it. Once per person and month, whatever the processes.
 */
export async function recordMonthlyDigests(db: Database, clockOffsetMs: number): Promise<{ noticed: number }> {
  const now = new Date(Date.now() + clockOffsetMs);
  const month = now.toISOString().slice(0, 7);
  if (await digestsRecorded(db, month)) return { noticed: 0 };
  const monthName = formatMonth(now, "UTC");
  const notices = (await digestRecipients(db, clockOffsetMs)).map(({ userId, activeKeys }) => ({
    userId,
    kind: "digest.monthly" as const,
    keyId: null,
    teamId: null,
    data: { month: monthName, activeKeys },
    dedupeKey: `digest.monthly:${month}:${userId}`,
  }));
  const created = await recordNotices(db, notices, { mail: mailConfigured() });
  return { noticed: created.length };
}

/** The mail of one notice (a job: retried when the SMTP server refuses; dropped if the notice or its person is gone). */
export async function mailNotice(db: Database, notificationId: string): Promise<void> {
  const notice = await noticeForMail(db, notificationId);
  if (!notice) throw new PermanentJobError("The notice or its recipient no longer exists.");
  if (!mailConfigured()) throw new PermanentJobError("SMTP_URL is not set: nothing can be mailed.");
  const keys = notice.kind === "digest.monthly" ? await digestKeys(db, notice.userId, DIGEST_KEYS_LISTED, 0) : [];
  const sent = await sendMail(notice.kind, { to: notice.email, ...noticeMail(notice, keys) });
  if (!sent) throw new Error("The mail server refused the mail or could not be reached; the server log's mail.failed line has its answer.");
}

/** A notice's mail: the sentence as its subject, what happened and what to do, and where to choose mails. */
export function noticeMail(
  notice: Pick<Notification, "kind" | "keyId" | "data"> & { name: string },
  digest: { id: string; name: string; lastUsedAt: Date | null; expiresAt: Date | null; teamSlug: string | null; teamName: string | null }[] = [],
): { subject: string; text: string } {
  const data = notice.data;
  const sentence = noticeSentence(notice.kind, data);
  const teamSlug = typeof data.teamSlug === "string" ? data.teamSlug : undefined;
  const keyLink = notice.keyId ? [`The key: ${mailedPageLink(keyPagePath(notice.keyId, teamSlug))}`] : [];
  const why = teamSlug ? `you are an owner or admin of the team ${String(data.teamName)}` : "you own this key";
  let body: string[];
  if (notice.kind === "digest.monthly") {
    const total = Number(data.activeKeys ?? digest.length);
    const day = (d: Date | null) => (d ? formatExact(d, "UTC") : null);
    body = [
      `Here are the API keys that can call this deployment on your behalf${total > digest.length ? ` (the ${digest.length} most recently used of ${total})` : ""}. Revoke any that nothing needs any more: a key nobody uses is a risk with no benefit.`,
      "",
      ...digest.map(
        (k) =>
          `- ${k.name}${k.teamName ? ` (team ${k.teamName})` : ""}: ${k.lastUsedAt ? `last used ${day(k.lastUsedAt)}` : "never used"}; ${k.expiresAt ? `expires ${day(k.expiresAt)}` : "never expires"}. ${mailedPageLink(keyPagePath(k.id, k.teamSlug ?? undefined))}`,
      ),
      "",
      `All your keys: ${mailedPageLink("/settings/api-keys")}`,
    ];
    const lines = [`Hello ${notice.name},`, "", ...body, "", `You get this mail once a month. Choose which mails you get: ${mailedPageLink("/settings/notifications")}`];
    return { subject: sentence, text: lines.join("\n") };
  }
  if (notice.kind === "key.revoked") {
    body =
      data.by === "leak"
        ? [
            `${sentence}. Requests made with that secret are refused from now on.`,
            "",
            "Rotate the key or create a new one, replace the secret wherever it was used, and check the key's activity for use you do not recognise.",
          ]
        : [`${sentence}. The reason given: “${String(data.reason ?? "")}”. Requests made with it are refused from now on.`, "", "If something still needs it, create a new key, or ask your administrator."];
  } else if (notice.kind === "review.requested") {
    const due = typeof data.dueAt === "string" ? formatExact(new Date(data.dueAt), "UTC") : "the due date";
    body = [
      `${sentence}. For each key, confirm that something still needs it, or revoke it. Answer by ${due}: keys nobody confirms by then may be revoked.`,
      "",
      `Review your keys: ${mailedPageLink("/settings/reviews")}`,
    ];
    const lines = [`Hello ${notice.name},`, "", ...body, "", `You get this mail because you own these keys, or administer their team. Choose which mails you get: ${mailedPageLink("/settings/notifications")}`];
    return { subject: sentence, text: lines.join("\n") };
  } else if (notice.kind === "webhook.disabled") {
    body = [
      `${sentence}. Keysmith sends it nothing more until it is enabled again.`,
      "",
      `Fix the endpoint (its delivery log shows each failure), then enable it and send the failed deliveries again: ${mailedPageLink(webhookPagePath(String(data.endpointId ?? ""), teamSlug))}`,
    ];
    const lines = [`Hello ${notice.name},`, "", ...body, "", `You get this mail because ${teamSlug ? `you are an owner or admin of the team ${String(data.teamName)}` : "you own this endpoint"}. Choose which mails you get: ${mailedPageLink("/settings/notifications")}`];
    return { subject: sentence, text: lines.join("\n") };
  } else if (notice.kind === "key.rotation_due") {
    body = [
      `${sentence}: its secret was made on ${typeof data.since === "string" ? formatExact(new Date(data.since), "UTC") : "a date longer ago than this deployment's rotation period"}, longer ago than this deployment's rotation period.`,
      "",
      "Rotate it: the new secret replaces the old one, which keeps working for the grace period you choose while you update what uses it.",
    ];
  } else if (notice.kind === "key.unused_90d") {
    body = [
      `${sentence}: ${typeof data.lastUsedAt === "string" ? `it was last used on ${formatExact(new Date(data.lastUsedAt), "UTC")}` : "it has never been used"}.`,
      "",
      "A key nobody uses is a risk with no benefit: if nothing needs it, revoke it.",
    ];
  } else {
    const expiresAt = typeof data.expiresAt === "string" ? new Date(data.expiresAt) : null;
    body = [
      `${sentence}${expiresAt ? `, on ${formatExact(expiresAt, "UTC")}` : ""}. From then on, requests made with it are refused.`,
      "",
      "To keep what uses it working, rotate the key (the new secret replaces it in your configuration) or create a new one before then.",
    ];
  }
  const lines = [`Hello ${notice.name},`, "", ...body, ...keyLink, "", `You get this mail because ${why}. Choose which mails you get: ${mailedPageLink("/settings/notifications")}`];
  return { subject: sentence, text: lines.join("\n") };
}

/** The signed-in person's newest notices and unread count. */
export async function myNotifications(db: Database, actor: Pick<Actor, "userId">) {
  return listNotifications(db, actor.userId);
}

/** Marks the person's own notices read (ids of anyone else's are ignored: nothing to learn from them). */
export async function markRead(db: Database, actor: Pick<Actor, "userId">, input: unknown): Promise<{ changed: number }> {
  const { ids } = parseInput(markReadInput, input);
  return { changed: await markNotificationsRead(db, actor.userId, ids) };
}

/** Which kinds the person gets by mail: every kind is on unless turned off. */
export async function notificationSettings(db: Database, actor: Pick<Actor, "userId">): Promise<{ kinds: { kind: NotificationKind; mail: boolean }[]; mailAvailable: boolean }> {
  const off = new Set(await mailOffFor(db, actor.userId));
  return { kinds: NOTIFICATION_KINDS.map((kind) => ({ kind, mail: !off.has(kind) })), mailAvailable: mailConfigured() };
}

export async function changeNotificationSettings(db: Database, actor: Pick<Actor, "userId">, input: unknown): Promise<void> {
  const { mail } = parseInput(notificationSettingsInput, input);
  await setMailOff(
    db,
    actor.userId,
    NOTIFICATION_KINDS.filter((kind) => !mail.includes(kind)),
  );
}
