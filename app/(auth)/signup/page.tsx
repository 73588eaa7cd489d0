import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { SignUpForm } from "@/components/auth/sign-up-form";
import { getDb } from "@/db";
import { hasAnyUser } from "@/db/queries/users";
import { currentUser } from "@/lib/session";

export const metadata: Metadata = { title: "Create account" };

export default async function SignUpPage() {
  if (await currentUser()) redirect("/settings/api-keys");
  // The first account becomes the deployment's administrator (db/queries/users.ts): say so.
  return <SignUpForm firstAccount={!(await hasAnyUser(await getDb()))} />;
}
