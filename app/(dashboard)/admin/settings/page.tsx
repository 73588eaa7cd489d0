import type { Metadata } from "next";
import { MfaPolicyForm } from "@/components/admin/mfa-policy-form";
import { SignUpSettingsForm } from "@/components/admin/sign-up-settings-form";
import { getDb } from "@/db";
import { SsoSettingsForm } from "@/components/admin/sso-settings-form";
import { getMfaPolicy } from "@/db/queries/second-factor";
import { getSignUpSettings, getSsoOnly } from "@/db/queries/settings";
import { config } from "@/lib/config";
import { requireAdmin } from "@/lib/session";

export const metadata: Metadata = { title: "Settings" };

export default async function AdminSettingsPage() {
  const me = await requireAdmin();
  const db = await getDb();
  const settings = await getSignUpSettings(db);
  const ssoOnly = await getSsoOnly(db);
  const oidc = config.oidc;
  const mfaPolicy = await getMfaPolicy(db);
  return (
    <section aria-labelledby="settings-heading" className="grid max-w-2xl gap-4">
      <h2 id="settings-heading" className="text-lg font-semibold">
        Settings
      </h2>
      <SignUpSettingsForm mode={settings.mode} domains={settings.domains} />
      <SsoSettingsForm ssoOnly={ssoOnly} ssoName={oidc?.name ?? null} configured={!!oidc} breakGlassCount={config.breakGlassEmails.length} />
      <MfaPolicyForm policy={mfaPolicy} ownFactor={me.hasSecondFactor} />
    </section>
  );
}
