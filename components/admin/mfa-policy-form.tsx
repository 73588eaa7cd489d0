"use client";

import { withStepUp } from "@/components/auth/step-up";
import Link from "next/link";
import { useActionState, useRef } from "react";
import { updateMfaPolicyAction } from "@/app/(dashboard)/admin/actions";
import { FormMessage } from "@/components/forms/form-message";
import { SubmitButton } from "@/components/forms/submit-button";
import { useFocusFirstError } from "@/components/forms/use-focus-first-error";
import { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from "@/components/ui/card";
import { Label } from "@/components/ui/label";
import { MFA_POLICIES, MFA_POLICY_LABELS, type MfaPolicy } from "@/lib/mfa/policy";

const HINTS: Record<MfaPolicy, string> = {
  optional: "Each person chooses whether to add a passkey or an authenticator app in Settings → Profile.",
  admins: "Administrators with neither a passkey nor an authenticator app are sent to add one before anything else.",
  everyone: "Everyone with neither a passkey nor an authenticator app is sent to add one before anything else.",
};

/** Who must use two-factor authentication: saved and audited; refused to an admin without one. */
export function MfaPolicyForm({ policy, ownFactor }: { policy: MfaPolicy; ownFactor: boolean }) {
  const [state, action, pending] = useActionState<Awaited<ReturnType<typeof updateMfaPolicyAction>>, FormData>((prev, data) => withStepUp(() => updateMfaPolicyAction(prev, data)), { ok: false });
  const form = useRef<HTMLFormElement>(null);
  useFocusFirstError(form, state.fieldErrors);
  const shown = (state.data?.policy as MfaPolicy | undefined) ?? policy;
  return (
    <Card>
      <CardHeader>
        <CardTitle>
          <h3>Two-factor authentication</h3>
        </CardTitle>
        <CardDescription>
          {ownFactor ? (
            "Who must confirm a password or single sign-on with a second factor: a passkey, or a code from an authenticator app."
          ) : (
            <>
              To require it, first add your own passkey or authenticator app in{" "}
              <Link href="/settings/profile" className="font-medium text-foreground underline underline-offset-4">
                Profile
              </Link>
              , so the rule cannot lock you out.
            </>
          )}
        </CardDescription>
      </CardHeader>
      <form ref={form} action={action} noValidate aria-label="Two-factor policy">
        <CardContent className="grid gap-5">
          <FormMessage state={state} />
          <fieldset className="grid gap-3">
            <legend className="mb-2 text-sm font-medium">Required</legend>
            {MFA_POLICIES.map((p) => (
              <div key={p} className="flex items-start gap-3">
                <input
                  type="radio"
                  id={`mfa-${p}`}
                  name="policy"
                  value={p}
                  defaultChecked={shown === p}
                  aria-describedby={`mfa-${p}-hint`}
                  className="mt-0.5 size-4 shrink-0 accent-primary"
                />
                <div className="grid gap-0.5">
                  <Label htmlFor={`mfa-${p}`}>{MFA_POLICY_LABELS[p]}</Label>
                  <p id={`mfa-${p}-hint`} className="text-xs text-muted-foreground">
                    {HINTS[p]}
                  </p>
                </div>
              </div>
            ))}
          </fieldset>
        </CardContent>
        <CardFooter className="mt-6">
          <SubmitButton pending={pending} pendingLabel="Saving…">
            Save two-factor policy
          </SubmitButton>
        </CardFooter>
      </form>
    </Card>
  );
}
