"use client";

import { withStepUp } from "@/components/auth/step-up";
import Link from "next/link";
import { useActionState, useRef } from "react";
import { updateSignUpSettingsAction } from "@/app/(dashboard)/admin/actions";
import { FormMessage } from "@/components/forms/form-message";
import { SubmitButton } from "@/components/forms/submit-button";
import { useFocusFirstError } from "@/components/forms/use-focus-first-error";
import { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from "@/components/ui/card";
import { Label } from "@/components/ui/label";
import { Textarea } from "@/components/ui/textarea";
import type { SignUpMode } from "@/lib/accounts/sign-up-policy";

const MODES: { value: SignUpMode; label: string; hint: string }[] = [
  { value: "open", label: "Anyone", hint: "Anyone who can reach this Keysmith can create an account." },
  { value: "domains", label: "Listed email domains only", hint: "Addresses at the domains below can sign up; anyone else needs an invitation." },
  { value: "invite_only", label: "Invited people only", hint: "Only someone an admin invites (Admin → Users) can create an account." },
  { value: "closed", label: "Nobody: sign-up closed", hint: "The sign-up page says sign-up is closed. An invitation you make still works." },
];

/** Who may sign up: the mode and the domain list, saved together and audited. */
export function SignUpSettingsForm({ mode, domains }: { mode: SignUpMode; domains: string[] }) {
  const [state, action, pending] = useActionState<Awaited<ReturnType<typeof updateSignUpSettingsAction>>, FormData>((prev, data) => withStepUp(() => updateSignUpSettingsAction(prev, data)), { ok: false });
  const form = useRef<HTMLFormElement>(null);
  useFocusFirstError(form, state.fieldErrors);
  const errors = state.fieldErrors ?? {};
  // After a save, or a refused one, the form shows what was sent (so nothing typed is lost).
  const shownMode = state.data?.mode ?? mode;
  const shownDomains = state.data?.domains ?? domains.join("\n");
  return (
    <Card>
      <CardHeader>
        <CardTitle>
          <h3>Who may sign up</h3>
        </CardTitle>
        <CardDescription>
          The first account is always created. Invitations work whatever you choose here; make them in{" "}
          <Link href="/admin/users" className="font-medium text-foreground underline underline-offset-4">
            Users
          </Link>
          .
        </CardDescription>
      </CardHeader>
      <form ref={form} action={action} noValidate>
        <CardContent className="grid gap-5">
          <FormMessage state={state} />
          <fieldset className="grid gap-3" aria-describedby={errors.mode ? "mode-error" : undefined}>
            <legend className="mb-2 text-sm font-medium">Sign-up</legend>
            {MODES.map((m) => (
              <div key={m.value} className="flex items-start gap-3">
                <input
                  type="radio"
                  id={`mode-${m.value}`}
                  name="mode"
                  value={m.value}
                  defaultChecked={shownMode === m.value}
                  aria-describedby={`mode-${m.value}-hint`}
                  className="mt-0.5 size-4 shrink-0 accent-primary"
                />
                <div className="grid gap-0.5">
                  <Label htmlFor={`mode-${m.value}`}>{m.label}</Label>
                  <p id={`mode-${m.value}-hint`} className="text-xs text-muted-foreground">
                    {m.hint}
                  </p>
                </div>
              </div>
            ))}
            {errors.mode && (
              <p id="mode-error" className="text-sm text-destructive">
                {errors.mode}
              </p>
            )}
          </fieldset>
          <div className="grid gap-2">
            <Label htmlFor="domains">Email domains that may sign up</Label>
            <Textarea
              id="domains"
              name="domains"
              rows={4}
              defaultValue={shownDomains}
              placeholder={"example.com\nteam.example.org"}
              spellCheck={false}
              autoCapitalize="none"
              aria-invalid={errors.domains ? true : undefined}
              aria-describedby={errors.domains ? "domains-error" : "domains-hint"}
              className="font-mono text-sm"
            />
            {errors.domains ? (
              <p id="domains-error" className="text-sm text-destructive [overflow-wrap:anywhere]">
                {errors.domains}
              </p>
            ) : (
              <p id="domains-hint" className="text-xs text-muted-foreground">
                One per line. Used with “Listed email domains only”. Each matches exactly: example.com admits ann@example.com, not
                ann@sub.example.com or ann@evil-example.com.
              </p>
            )}
          </div>
        </CardContent>
        <CardFooter className="mt-6">
          <SubmitButton pending={pending} pendingLabel="Saving…">
            Save sign-up
          </SubmitButton>
        </CardFooter>
      </form>
    </Card>
  );
}
