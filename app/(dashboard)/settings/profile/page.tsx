import type { Metadata } from "next";
import { ChangeEmailForm } from "@/components/accounts/change-email-form";
import { ChangePasswordForm } from "@/components/accounts/change-password-form";
import { ProfileNameForm } from "@/components/accounts/profile-name-form";
import { TwoFactorSection } from "@/components/accounts/two-factor-section";
import { getDb } from "@/db";
import { secondFactorStatus } from "@/db/queries/second-factor";
import { mfaRequired } from "@/lib/mfa/policy";
import { emailChangeAvailable } from "@/lib/commands/email-change";
import { needsSecondFactorSetup, requireUser } from "@/lib/session";

export const metadata: Metadata = { title: "Profile" };

export default async function ProfilePage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  // The one page a user the second-factor policy covers may open before setting one up.
  const user = await requireUser({ allowSecondFactorSetup: true });
  const setupRequired = needsSecondFactorSetup(user);
  const factor = await secondFactorStatus(await getDb(), user.id);
  // Set by changePasswordAction's redirect (the new session is only in the redirect's request).
  const params = await searchParams;
  const passwordChanged = params.password === "changed";
  return (
    <section aria-labelledby="profile-heading" className="grid max-w-xl gap-6">
      <div>
        <h2 id="profile-heading" className="text-lg font-semibold">
          Profile
        </h2>
        <dl className="mt-4 grid grid-cols-[8rem_1fr] gap-y-3 text-sm">
          <dt className="text-muted-foreground">Email</dt>
          <dd className="break-all">{user.email}</dd>
          <dt className="text-muted-foreground">Role</dt>
          <dd className="capitalize">{user.role}</dd>
        </dl>
      </div>
      {!setupRequired && (
        <>
          <ProfileNameForm name={user.name} />
          <ChangeEmailForm email={user.email} available={emailChangeAvailable()} />
          <ChangePasswordForm key={String(params.at ?? "")} changed={passwordChanged} />
        </>
      )}
      <TwoFactorSection
        key={`2fa-${String(params.at ?? "")}`}
        status={{ enabled: factor.enabled, recoveryCodesLeft: factor.recoveryCodesLeft, required: mfaRequired(user.mfaPolicy, user.role), setupRequired }}
        turnedOff={params["two-factor"] === "off"}
      />

    </section>
  );
}
