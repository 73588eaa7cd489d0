import { NavLink } from "@/components/layout/nav-link";
import { requireAdmin } from "@/lib/session";
import { PLACES } from "@/lib/glossary";

const TABS = [
  { href: "/admin", label: "Overview", exact: true },
  { href: "/admin/keys", label: PLACES.allApiKeys },
  { href: "/admin/audit", label: PLACES.auditLog },
  { href: "/admin/users", label: "Users" },
  { href: "/admin/settings", label: "Settings" },
];

// Each page and action checks the role again itself; this only draws the frame (and 404s members).
export default async function AdminLayout({ children }: { children: React.ReactNode }) {
  await requireAdmin();
  return (
    <div className="mx-auto max-w-7xl">
      <h1 className="text-2xl font-semibold tracking-tight">Admin</h1>
      <nav aria-label="Admin" className="mt-4 flex gap-1 overflow-x-auto border-b">
        {TABS.map((tab) => (
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
      <div className="mt-6">{children}</div>
    </div>
  );
}
