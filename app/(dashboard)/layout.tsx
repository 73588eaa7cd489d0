import { AppShell } from "@/components/layout/app-shell";
import { TimeZoneSync } from "@/components/layout/time-zone-sync";
import { getDb } from "@/db";
import { unreadNotifications } from "@/db/queries/notifications";
import { teamsOf } from "@/db/queries/teams";
import { requireUser } from "@/lib/session";

// Pages below re-check the session themselves (and send a user who must set up a second factor to
// set-up); this check only chooses what frame to draw, so it lets the set-up page through.
export default async function DashboardLayout({ children }: { children: React.ReactNode }) {
  const user = await requireUser({ allowSecondFactorSetup: true });
  const db = await getDb();
  const [memberships, unread] = await Promise.all([teamsOf(db, user.id), unreadNotifications(db, user.id)]);
  const teams = memberships.map(({ team }) => ({ slug: team.slug, name: team.name }));
  return (
    <AppShell user={user} teams={teams} unread={unread}>
      {children}
      <TimeZoneSync />
    </AppShell>
  );
}
