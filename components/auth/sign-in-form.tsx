"use client";

import Link from "next/link";
import { useActionState, useRef } from "react";
import { useFocusFirstError } from "@/components/forms/use-focus-first-error";
import { signInAction } from "@/app/(auth)/actions";
import { FormField } from "@/components/forms/form-field";
import { SubmitButton } from "@/components/forms/submit-button";
import { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from "@/components/ui/card";

export function SignInForm({ callbackUrl }: { callbackUrl?: string }) {
  const [state, action, pending] = useActionState(signInAction, { ok: false });
  const form = useRef<HTMLFormElement>(null);
  useFocusFirstError(form, state.fieldErrors);
  const errors = state.fieldErrors ?? {};
  return (
    <Card>
      <CardHeader>
        <CardTitle>
          <h1>Sign in</h1>
        </CardTitle>
        <CardDescription>Manage your API keys.</CardDescription>
      </CardHeader>
      <form ref={form} action={action} noValidate>
        <CardContent className="grid gap-4">
          {state.message && (
            <p role="alert" className="rounded-md border border-destructive/40 bg-destructive/10 p-3 text-sm text-destructive">
              {state.message}
            </p>
          )}
          {callbackUrl && <input type="hidden" name="callbackUrl" value={callbackUrl} />}
          <FormField id="email" name="email" type="email" label="Email" autoComplete="email" required defaultValue={state.data?.email} error={errors.email} />
          <FormField id="password" name="password" type="password" label="Password" autoComplete="current-password" required error={errors.password} />
        </CardContent>
        <CardFooter className="mt-6 flex flex-col items-stretch gap-3">
          <SubmitButton pending={pending} pendingLabel="Signing in…">
            Sign in
          </SubmitButton>
          <p className="text-center text-sm text-muted-foreground">
            No account yet?{" "}
            <Link href="/signup" className="font-medium text-foreground underline underline-offset-4">
              Create one
            </Link>
          </p>
        </CardFooter>
      </form>
    </Card>
  );
}
