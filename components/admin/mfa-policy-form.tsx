"use client";

import { withStepUp } from "@/components/auth/step-up";
import Link from "next/link";
import { useActionState, useRef } from "react";
import { updateMfaPolicyAction } from "@/app/(dashboard)/admin/actions";
import { FormMessage } from "@/components/accounts/form-message";
import { SubmitButton } from "@/components/forms/submit-button";
import { useFocusFirstError } from "@/components/forms/use-focus-first-error";
import { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from "@/components/ui/card";
import { Label } from "@/components/ui/label";
import { MFA_POLICIES, MFA_POLICY_LABELS, type MfaPolicy } from "@/lib/mfa/policy";

const HINTS: Record<MfaPolicy, string> = {
  optional: "Each person chooses whether to add an authenticator app in Settings → Profile.",
  admins: "Administrators without an authenticator app are sent to set one up before anything else.",
  everyone: "Everyone without an authenticator app is sent to set one up before anything else.",
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
            "Who must sign in with a code from an authenticator app as well as their password."
          ) : (
            <>
              To require it, first set up your own app in{" "}
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
