import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { SignInForm } from "@/components/auth/sign-in-form";
import { headers } from "next/headers";
import { relyingParty } from "@/lib/commands/passkeys";
import { currentUser } from "@/lib/session";

export const metadata: Metadata = { title: "Sign in" };

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string; reset?: string }> }) {
  if (await currentUser()) redirect("/settings/api-keys");
  const { callbackUrl, reset } = await searchParams;
  return <SignInForm callbackUrl={typeof callbackUrl === "string" && callbackUrl.startsWith("/") ? callbackUrl : undefined} passwordReset={reset === "done"} passkeys={relyingParty(await headers()) !== null} />;
}
