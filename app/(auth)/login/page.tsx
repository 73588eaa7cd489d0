import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { SignInForm } from "@/components/auth/sign-in-form";
import { headers } from "next/headers";
import { relyingParty } from "@/lib/commands/passkeys";
import { getDb } from "@/db";
import { ssoOnlyNow } from "@/lib/commands/sso";
import { ssoErrorMessage } from "@/lib/auth/sso-errors";
import { config } from "@/lib/config";
import { currentUser } from "@/lib/session";

export const metadata: Metadata = { title: "Sign in" };

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string; reset?: string; error?: string }> }) {
  if (await currentUser()) redirect("/settings/api-keys");
  const { callbackUrl, reset, error } = await searchParams;
  const oidc = config.oidc;
  const ssoOnly = await ssoOnlyNow(await getDb());
  return (
    <SignInForm
      callbackUrl={typeof callbackUrl === "string" && callbackUrl.startsWith("/") && !callbackUrl.startsWith("//") ? callbackUrl : undefined}
      passwordReset={reset === "done"}
      ssoName={oidc?.name}
      ssoOnly={ssoOnly}
      ssoError={typeof error === "string" ? ssoErrorMessage(error) : null}
      passkeys={relyingParty(await headers()) !== null}
    />
  );
}
