import { SectionTabs } from "@/components/layout/section-tabs";
import { PLACES } from "@/lib/glossary";

const TABS = [
  { href: "/settings/profile", label: PLACES.profile },
  { href: "/settings/api-keys", label: PLACES.apiKeys },
  { href: "/settings/activity", label: PLACES.activity },
  { href: "/settings/notifications", label: PLACES.notifications },
  { href: "/settings/webhooks", label: PLACES.webhooks },
  { href: "/settings/reviews", label: PLACES.reviewYourKeys },
];

export default function SettingsLayout({ children }: { children: React.ReactNode }) {
  return (
    <div className="mx-auto max-w-6xl">
      <h1 className="text-2xl font-semibold tracking-tight">Settings</h1>
      <SectionTabs label="Settings" tabs={TABS} />
      <div className="mt-6">{children}</div>
    </div>
  );
}
