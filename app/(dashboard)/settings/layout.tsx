import { NavLink } from "@/components/layout/nav-link";
import { PLACES } from "@/lib/glossary";

const TABS = [
  { href: "/settings/profile", label: PLACES.profile },
  { href: "/settings/api-keys", label: PLACES.apiKeys },
  { href: "/settings/activity", label: PLACES.activity },
];

export default function SettingsLayout({ children }: { children: React.ReactNode }) {
  return (
    <div className="mx-auto max-w-6xl">
      <h1 className="text-2xl font-semibold tracking-tight">Settings</h1>
      <nav aria-label="Settings" className="mt-4 flex gap-1 border-b">
        {TABS.map((tab) => (
          <NavLink
            key={tab.href}
            href={tab.href}
            className="-mb-px border-b-2 border-transparent px-3 py-2 text-sm text-muted-foreground hover:text-foreground"
            activeClassName="border-primary font-medium text-foreground"
          >
            {tab.label}
          </NavLink>
        ))}
      </nav>
      <div className="mt-6">{children}</div>
    </div>
  );
}
