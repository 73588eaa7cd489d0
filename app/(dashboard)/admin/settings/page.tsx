import type { Metadata } from "next";
import { SignUpSettingsForm } from "@/components/admin/sign-up-settings-form";
import { getDb } from "@/db";
import { getSignUpSettings } from "@/db/queries/settings";
import { requireAdmin } from "@/lib/session";

export const metadata: Metadata = { title: "Settings" };

export default async function AdminSettingsPage() {
  await requireAdmin();
  const settings = await getSignUpSettings(await getDb());
  return (
    <section aria-labelledby="settings-heading" className="grid max-w-2xl gap-4">
      <h2 id="settings-heading" className="text-lg font-semibold">
        Settings
      </h2>
      <SignUpSettingsForm mode={settings.mode} domains={settings.domains} />
    </section>
  );
}
