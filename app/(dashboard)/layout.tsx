import { AppShell } from "@/components/layout/app-shell";
import { TimeZoneSync } from "@/components/layout/time-zone-sync";
import { requireUser } from "@/lib/session";

// Pages below re-check the session themselves; this check only chooses what frame to draw.
export default async function DashboardLayout({ children }: { children: React.ReactNode }) {
  const user = await requireUser();
  return (
    <AppShell user={user}>
      {children}
      <TimeZoneSync />
    </AppShell>
  );
}
