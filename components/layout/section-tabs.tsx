import { NavLink } from "./nav-link";

export type SectionTab = { href: string; label: string; /** Active only on this exact path (an index tab whose siblings live below it). */ exact?: boolean };

/**
 * A section's tabs (Settings, Admin, a team's settings): links, not ARIA tabs, since each is a page
 * of its own; the current one is marked (NavLink sets aria-current). A row that outgrows a phone's
 * width scrolls sideways instead of wrapping or pushing the page wider.
 */
export function SectionTabs({ label, tabs }: { label: string; tabs: readonly SectionTab[] }) {
  return (
    <nav aria-label={label} className="mt-4 flex gap-1 overflow-x-auto border-b">
      {tabs.map((tab) => (
        <NavLink
          key={tab.href}
          href={tab.href}
          exact={tab.exact}
          className="-mb-px border-b-2 border-transparent px-3 py-2 text-sm whitespace-nowrap text-muted-foreground hover:text-foreground"
          activeClassName="border-primary font-medium text-foreground"
        >
          {tab.label}
        </NavLink>
      ))}
    </nav>
  );
}
