"use client";

import { withStepUp } from "@/components/auth/step-up";
import { useActionState } from "react";
import { updateSsoOnlyAction } from "@/app/(dashboard)/admin/actions";
import { FormMessage } from "@/components/forms/form-message";
import { SubmitButton } from "@/components/forms/submit-button";
import { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from "@/components/ui/card";
import { Label } from "@/components/ui/label";

/** Whether single sign-on is the only way in (passwords refused but for break-glass admins); saved and audited. */
export function SsoSettingsForm({ ssoOnly, ssoName, configured, breakGlassCount }: { ssoOnly: boolean; ssoName: string | null; configured: boolean; breakGlassCount: number }) {
  const [state, action, pending] = useActionState<Awaited<ReturnType<typeof updateSsoOnlyAction>>, FormData>((prev, data) => withStepUp(() => updateSsoOnlyAction(prev, data)), { ok: false });
  const shown = state.data?.ssoOnly ?? ssoOnly;
  // Without a provider it cannot be turned on (nobody could get in); a setting left on can still be turned off.
  const locked = !configured && !shown;
  return (
    <Card>
      <CardHeader>
        <CardTitle>
          <h3>Single sign-on</h3>
        </CardTitle>
        <CardDescription>
          {configured
            ? `People can sign in with ${ssoName}. Their account is found by their identity there, or by their verified email the first time.`
            : "Single sign-on is not set up: set OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET (see the README) to offer it."}
        </CardDescription>
      </CardHeader>
      <form action={action} noValidate>
        <CardContent className="grid gap-4">
          <FormMessage state={state} />
          <div className="flex items-start gap-3">
            <input
              type="checkbox"
              id="sso-only"
              name="ssoOnly"
              defaultChecked={shown}
              key={String(shown)}
              disabled={locked}
              aria-describedby="sso-only-hint"
              className="mt-0.5 size-4 shrink-0 accent-primary"
            />
            <div className="grid gap-0.5">
              <Label htmlFor="sso-only">Only single sign-on</Label>
              <p id="sso-only-hint" className="text-xs text-muted-foreground">
                {locked
                  ? "Set up single sign-on first: until then, turning this on would lock everyone out."
                  : <>
                      Passwords stop counting for everyone but break-glass administrators (BREAK_GLASS_EMAILS:{" "}
                      {breakGlassCount === 0 ? "none listed" : `${breakGlassCount} listed`}), whose every password sign-in is audited: no password or
                      passkey sign-in, no reset links, and new people join through {ssoName ?? "single sign-on"}, invited or not.
                    </>}
              </p>
            </div>
          </div>
        </CardContent>
        <CardFooter className="mt-6">
          <SubmitButton pending={pending} disabled={locked} pendingLabel="Saving…">
            Update single sign-on
          </SubmitButton>
        </CardFooter>
      </form>
    </Card>
  );
}
