import { BellIcon, KeyRoundIcon, SettingsIcon, ShieldIcon } from "lucide-react";
import Link from "next/link";
import { NavLink } from "./nav-link";
import { UserMenu } from "./user-menu";
import { TeamSwitcher } from "@/components/teams/team-switcher";
import type { TeamChoice } from "@/components/teams/team-links";
import { PLACES } from "@/lib/glossary";

type NavItem = { href: string; match: string | string[]; label: string; icon: typeof KeyRoundIcon; count?: number };

// The product's core, API keys, is an item of its own; Settings holds the rest of the account.
const NAV: NavItem[] = [
  { href: "/settings/api-keys", match: "/settings/api-keys", label: PLACES.apiKeys, icon: KeyRoundIcon },
  { href: "/settings/profile", match: ["/settings/profile", "/settings/activity"], label: "Settings", icon: SettingsIcon },
];
const ADMIN_NAV: NavItem[] = [{ href: "/admin", match: "/admin", label: "Admin", icon: ShieldIcon }];

/**
 * The dashboard frame: a sidebar (a top bar on narrow screens) with the main menu and, at the
 * bottom-left, the user's menu; at the top, the context switcher (personal or a team).
 */
export function AppShell({
  user,
  teams,
  unread,
  children,
}: {
  user: { name: string; email: string; role: "admin" | "member" };
  teams: TeamChoice[];
  /** Unread notifications: the bell's count. */
  unread: number;
  children: React.ReactNode;
}) {
  const bell: NavItem = { href: "/settings/notifications", match: "/settings/notifications", label: PLACES.notifications, icon: BellIcon, count: unread };
  const nav = [...NAV, bell, ...(user.role === "admin" ? ADMIN_NAV : [])];
  return (
    <div className="flex min-h-dvh flex-col md:flex-row">
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded-md focus:bg-background focus:p-2">
        Skip to content
      </a>
      <aside className="flex items-center gap-2 border-b bg-sidebar px-3 py-2 text-sidebar-foreground md:sticky md:top-0 md:h-dvh md:w-60 md:shrink-0 md:flex-col md:items-stretch md:border-r md:border-b-0 md:p-3">
        {/* On a phone the top bar keeps its room for the context and the menu: the mark would be a
            second key icon beside API Keys, which leads to the same page. */}
        <Link href="/settings/api-keys" className="flex items-center gap-2 px-2 py-1.5 font-semibold max-sm:hidden">
          <KeyRoundIcon className="size-5" aria-hidden />
          <span>Keysmith</span>
        </Link>
        <div className="min-w-0 max-md:flex-1 md:mt-4">
          <TeamSwitcher teams={teams} />
        </div>
        <nav aria-label="Main" className="flex flex-1 items-center gap-1 md:mt-4 md:flex-col md:items-stretch">
          {nav.map(({ href, match, label, icon: Icon, count }) => (
            <NavLink
              key={href}
              href={href}
              match={match}
              className="flex items-center gap-2 rounded-md px-2 py-1.5 text-sm text-muted-foreground hover:bg-sidebar-accent hover:text-sidebar-accent-foreground"
              activeClassName="bg-sidebar-accent font-medium text-sidebar-accent-foreground"
            >
              <Icon className="size-4" aria-hidden />
              {/* A phone's top bar has room for icons only: the words stay for screen readers. */}
              <span className="max-sm:sr-only">{label}</span>
              {!!count && (
                <span className="ml-auto rounded-full bg-primary px-1.5 text-xs font-medium text-primary-foreground tabular-nums">
                  {count > 99 ? "99+" : count}
                  <span className="sr-only"> unread</span>
                </span>
              )}
            </NavLink>
          ))}
        </nav>
        <div className="md:border-t md:pt-3">
          <UserMenu name={user.name} email={user.email} />
        </div>
      </aside>
      <main id="main" tabIndex={-1} className="min-w-0 flex-1 p-4 outline-none md:p-8">
        {children}
      </main>
    </div>
  );
}
