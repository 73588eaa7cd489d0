import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { SignInForm } from "@/components/auth/sign-in-form";
import { currentUser } from "@/lib/session";

export const metadata: Metadata = { title: "Sign in" };

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string }> }) {
  if (await currentUser()) redirect("/settings/api-keys");
  const { callbackUrl } = await searchParams;
  return <SignInForm callbackUrl={typeof callbackUrl === "string" && callbackUrl.startsWith("/") ? callbackUrl : undefined} />;
}
