"use client";

import Link from "next/link";
import { useActionState, useEffect, useRef, useState } from "react";
import { acceptInvitationAction, invitationDetailsAction } from "@/app/(auth)/actions";
import { FormField } from "@/components/forms/form-field";
import { SubmitButton } from "@/components/forms/submit-button";
import { useFocusFirstError } from "@/components/forms/use-focus-first-error";
import { useFragmentToken } from "@/components/forms/use-fragment-token";
import { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from "@/components/ui/card";
import { SsoButton } from "./sso-button";
import { PASSWORD_MIN } from "@/lib/validation/auth.schema";
import { FormAlert } from "@/components/forms/form-alert";
import { LinkProblem } from "@/components/forms/link-problem";

type Details = { email: string; role: "admin" | "member"; ssoProvider: string | null } | { error: string };

function Problem({ title, text }: { title: string; text: string }) {
  const signIn = (
    <>
      Have an account?{" "}
      <Link href="/login" className="font-medium text-foreground underline underline-offset-4">
        Sign in
      </Link>
    </>
  );
  return <LinkProblem title={title} text={text} next={signIn} />;
}

/** Accepts an invitation with the token from its link's fragment: the invited address is shown; the invitee chooses a name and password. */
export function AcceptInvitationForm() {
  const token = useFragmentToken();
  const [details, setDetails] = useState<Details | null>(null);
  const [state, action, pending] = useActionState(acceptInvitationAction, { ok: false });
  const form = useRef<HTMLFormElement>(null);
  useFocusFirstError(form, state.fieldErrors);

  useEffect(() => {
    if (!token) return;
    let live = true;
    invitationDetailsAction(token).then(
      (result) => live && setDetails(result.ok && result.data ? result.data : { error: result.message ?? "This invitation cannot be used." }),
      () => live && setDetails({ error: "The invitation could not be checked. Reload the page to try again." }),
    );
    return () => {
      live = false;
    };
  }, [token]);

  if (token === null) {
    return <Problem title="This link is incomplete" text="Open the whole link from your invitation mail (or the one your administrator gave you), or ask them for a new invitation." />;
  }
  if (details && "error" in details) return <Problem title="This invitation cannot be used" text={details.error} />;
  const invitedAs = (d: { email: string; role: "admin" | "member" }) =>
    `${d.email} is invited to join this Keysmith as ${d.role === "admin" ? "an administrator, who can see and revoke every key" : "a member"}.`;
  if (details?.ssoProvider) {
    // Single sign-on is the only way in: a password would not let anyone in, so the invitee joins
    // through the provider with the invited address, and that sign-in spends the invitation.
    return (
      <Card>
        <CardHeader>
          <CardTitle>
            <h1>Accept your invitation</h1>
          </CardTitle>
          <CardDescription className="[overflow-wrap:anywhere]">
            {invitedAs(details)} This Keysmith signs people in through {details.ssoProvider} only: continue there with that address, and your account is
            created with this invitation.
          </CardDescription>
        </CardHeader>
        <CardContent>
          <SsoButton name={details.ssoProvider} primary />
        </CardContent>
      </Card>
    );
  }
  return (
    <Card aria-busy={!details}>
      <CardHeader>
        <CardTitle>
          <h1>Accept your invitation</h1>
        </CardTitle>
        {/* The whole address, wrapped anywhere: the read-only field below may cut a long one short. */}
        <CardDescription className="[overflow-wrap:anywhere]">
          {details
            ? `${invitedAs(details)} Choose your name and password.`
            : "Checking your invitation…"}
        </CardDescription>
      </CardHeader>
      <form ref={form} action={action} noValidate>
        <CardContent className="grid gap-4">
          {state.message && !state.fieldErrors && (
            <FormAlert>
              {state.message}
            </FormAlert>
          )}
          <input type="hidden" name="token" value={token ?? ""} />
          {/* The invited address: it names the account and cannot be changed here (read-only, so password managers still see it). */}
          <FormField id="email" label="Email" type="email" autoComplete="username" readOnly value={details ? details.email : ""} hint="The address you were invited at." />
          <FormField id="name" name="name" label="Name" autoComplete="name" required maxLength={80} defaultValue={state.data?.name} error={state.fieldErrors?.name} />
          <FormField
            id="password"
            name="password"
            type="password"
            label="Password"
            autoComplete="new-password"
            required
            minLength={PASSWORD_MIN}
            hint={`At least ${PASSWORD_MIN} characters. A passphrase of a few words works well.`}
            error={state.fieldErrors?.password}
          />
        </CardContent>
        <CardFooter className="mt-6 flex flex-col items-stretch gap-3">
          <SubmitButton pending={pending || !details} pendingLabel={details ? "Creating your account…" : "Checking…"}>
            Accept and create account
          </SubmitButton>
        </CardFooter>
      </form>
    </Card>
  );
}
