import type { Metadata } from "next";
import { ChangeEmailForm } from "@/components/accounts/change-email-form";
import { ChangePasswordForm } from "@/components/accounts/change-password-form";
import { PasskeysSection } from "@/components/accounts/passkeys-section";
import { NameForm } from "@/components/forms/name-form";
import { headers } from "next/headers";
import { TwoFactorSection } from "@/components/accounts/two-factor-section";
import { getDb } from "@/db";
import { PROFILE_NAME_MAX } from "@/lib/validation/account.schema";
import { updateProfileAction } from "./actions";
import { listPasskeys } from "@/db/queries/passkeys";
import { secondFactorStatus } from "@/db/queries/second-factor";
import { mfaRequired } from "@/lib/mfa/policy";
import { emailChangeAvailable } from "@/lib/commands/email-change";
import { relyingParty } from "@/lib/commands/passkeys";
import { formatDateTime, formatExact } from "@/lib/format";
import { requestTimeZone } from "@/lib/request-time-zone";
import { needsSecondFactorSetup, requireUser } from "@/lib/session";

export const metadata: Metadata = { title: "Profile" };

export default async function ProfilePage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  // The one page a user the second-factor policy covers may open before setting one up (a passkey
  // or an authenticator app: either satisfies the policy).
  const user = await requireUser({ allowSecondFactorSetup: true });
  const setupRequired = needsSecondFactorSetup(user);
  const factor = await secondFactorStatus(await getDb(), user.id);
  // Set by changePasswordAction's redirect (the new session is only in the redirect's request).
  const params = await searchParams;
  const passwordChanged = params.password === "changed";
  // Set by the passkey actions' redirect, like the password's.
  const passkeyDone = params.passkey === "added" || params.passkey === "removed" ? params.passkey : undefined;
  const timeZone = await requestTimeZone();
  const required = mfaRequired(user.mfaPolicy, user.role);
  const passkeysAvailable = relyingParty(await headers()) !== null;
  const passkeys = (await listPasskeys(await getDb(), user.id)).map((p) => ({
    id: p.id,
    name: p.name,
    added: formatDateTime(p.createdAt, timeZone),
    addedExact: formatExact(p.createdAt, timeZone),
    lastUsed: p.lastUsedAt ? formatDateTime(p.lastUsedAt, timeZone) : null,
    lastUsedExact: p.lastUsedAt ? formatExact(p.lastUsedAt, timeZone) : null,
    synced: p.backedUp,
  }));
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
      {setupRequired && (
        <p role="status" className="rounded-md border border-amber-500/40 bg-amber-500/10 p-3 text-sm">
          This Keysmith requires two-factor authentication for your account. Add a passkey or set up an authenticator app here to continue: the rest of Keysmith opens once you have
          one.
        </p>
      )}
      {!setupRequired && (
        <>
          {/* The display name, as others see it in the admin pages and the audit log. */}
          <NameForm action={updateProfileAction} id="profile-name" heading="Display name" headingLevel="h3" value={user.name} maxLength={PROFILE_NAME_MAX} autoComplete="name" />
          <ChangeEmailForm email={user.email} available={emailChangeAvailable()} />
          <ChangePasswordForm key={String(params.at ?? "")} changed={passwordChanged} />
        </>
      )}
      {/* Either is a second factor: set-up offers both (passkeys only where this Keysmith can use them). */}
      {(!setupRequired || passkeysAvailable) && (
        <PasskeysSection
          key={`passkeys-${String(params.at ?? "")}`}
          passkeys={passkeys}
          available={passkeysAvailable}
          done={passkeyDone}
          lastRequired={required && !factor.enabled && passkeys.length === 1}
        />
      )}
      <TwoFactorSection
        key={`2fa-${String(params.at ?? "")}`}
        status={{ enabled: factor.enabled, recoveryCodesLeft: factor.recoveryCodesLeft, required: required && passkeys.length === 0, passkeys: passkeys.length }}
        turnedOff={params["two-factor"] === "off"}
      />
    </section>
  );
}
