import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { SignUpForm } from "@/components/auth/sign-up-form";
import { auth } from "@/lib/auth/config";

export const metadata: Metadata = { title: "Create account" };

export default async function SignUpPage() {
  if ((await auth())?.user?.id) redirect("/settings/api-keys");
  return <SignUpForm />;
}
