import { SectionTabs } from "@/components/layout/section-tabs";
import { requireAdmin } from "@/lib/session";
import { PLACES } from "@/lib/glossary";

const TABS = [
  { href: "/admin", label: "Overview", exact: true },
  { href: "/admin/keys", label: PLACES.allApiKeys },
  { href: "/admin/audit", label: PLACES.auditLog },
  { href: "/admin/users", label: "Users" },
  { href: "/admin/reviews", label: PLACES.accessReviews },
  { href: "/admin/jobs", label: "Jobs" },
  { href: "/admin/settings", label: "Settings" },
];

// Each page and action checks the role again itself; this only draws the frame (and 404s members).
export default async function AdminLayout({ children }: { children: React.ReactNode }) {
  await requireAdmin();
  return (
    <div className="mx-auto max-w-7xl">
      <h1 className="text-2xl font-semibold tracking-tight">Admin</h1>
      <SectionTabs label="Admin" tabs={TABS} />
      <div className="mt-6">{children}</div>
    </div>
  );
}
