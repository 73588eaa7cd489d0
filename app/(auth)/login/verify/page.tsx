import type { Metadata } from "next";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { VerifySecondFactorForm } from "@/components/auth/verify-second-factor-form";
import { getDb } from "@/db";
import { readChallengeCookie } from "@/lib/auth/challenge-cookie";
import { clockOffsetMs } from "@/lib/clock";
import { relyingParty } from "@/lib/commands/passkeys";
import { secondFactorPending } from "@/lib/commands/second-factor";
import { currentUser } from "@/lib/session";

export const metadata: Metadata = { title: "Two-factor authentication" };

// The second step of a sign-in. Without a live challenge in the httpOnly cookie the page says only
// that the sign-in has ended: nothing about any account. With one, it offers the factors that
// challenge's account has: "Use your passkey", the app's code (and recovery codes), or both.
export default async function VerifyPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string }> }) {
  if (await currentUser()) redirect("/settings/api-keys");
  const { callbackUrl } = await searchParams;
  const requestHeaders = await headers();
  const methods = await secondFactorPending(await getDb(), await readChallengeCookie(), clockOffsetMs(requestHeaders));
  return (
    <VerifySecondFactorForm
      methods={methods}
      passkeysAvailable={relyingParty(requestHeaders) !== null}
      callbackUrl={typeof callbackUrl === "string" && callbackUrl.startsWith("/") && !callbackUrl.startsWith("//") ? callbackUrl : undefined}
    />
  );
}
