import type { Metadata } from "next";
import { DateTime } from "@/components/layout/date-time";
import { MailSettingsForm } from "@/components/notifications/mail-settings-form";
import { NoticeList } from "@/components/notifications/notice-list";
import { getDb } from "@/db";
import { myNotifications, notificationSettings } from "@/lib/commands/notifications";
import { keyPagePath } from "@/lib/keys/paths";
import { webhookPagePath } from "@/lib/webhooks/paths";
import { NOTIFICATION_KIND_LABELS, noticeSentence } from "@/lib/notifications/kinds";
import { requestTimeZone } from "@/lib/request-time-zone";
import { requireUser } from "@/lib/session";
import { markNotificationsReadAction, saveNotificationSettingsAction } from "./actions";

export const metadata: Metadata = { title: "Notifications" };

/** The signed-in person's notifications (keys about to expire, keys revoked by someone else), and which of them are mailed. */
export default async function NotificationsPage() {
  const user = await requireUser();
  const db = await getDb();
  const [{ rows, unread }, settings, timeZone] = await Promise.all([myNotifications(db, { userId: user.id }), notificationSettings(db, { userId: user.id }), requestTimeZone()]);
  const notices = rows.map((n) => ({
    id: n.id,
    sentence: noticeSentence(n.kind, n.data),
    when:
      typeof n.data.expiresAt === "string" ? (
        <>
          Expires <DateTime date={new Date(n.data.expiresAt)} timeZone={timeZone} withTime /> · told <DateTime date={n.createdAt} timeZone={timeZone} withTime />
        </>
      ) : (
        <DateTime date={n.createdAt} timeZone={timeZone} withTime />
      ),
    href: n.keyId
      ? keyPagePath(n.keyId, typeof n.data.teamSlug === "string" ? n.data.teamSlug : undefined)
      : n.kind === "digest.monthly"
        ? "/settings/api-keys"
        : n.kind === "review.requested"
          ? "/settings/reviews"
          : n.kind === "webhook.disabled" && typeof n.data.endpointId === "string"
            ? webhookPagePath(n.data.endpointId, typeof n.data.teamSlug === "string" ? n.data.teamSlug : undefined)
            : null,
    unread: n.readAt === null,
  }));
  return (
    <div className="grid gap-6">
      <section aria-labelledby="notifications-heading" className="grid gap-4">
        <div>
          <h2 id="notifications-heading" className="text-lg font-semibold">
            Notifications
          </h2>
          <p className="text-sm text-muted-foreground">
            Keysmith tells you before one of your keys expires (7 days and again a day before), when one is due for rotation or has not been used for 90
            days, when an administrator or a leak report revokes one, and once a month lists your active keys to review. A team&apos;s keys too, if you are one of
            its owners or admins.
          </p>
        </div>
        {notices.length === 0 ? (
          <p className="rounded-lg border border-dashed p-8 text-center text-sm text-muted-foreground">
            No notifications yet. When a key is about to expire or is revoked by someone else, it shows here.
          </p>
        ) : (
          <NoticeList notices={notices} unread={unread} markRead={markNotificationsReadAction} />
        )}
      </section>
      <MailSettingsForm
        action={saveNotificationSettingsAction}
        kinds={settings.kinds.map((k) => ({ ...k, label: NOTIFICATION_KIND_LABELS[k.kind] }))}
        mailAvailable={settings.mailAvailable}
      />
    </div>
  );
}
