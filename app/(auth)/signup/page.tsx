import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { SignUpForm } from "@/components/auth/sign-up-form";
import { getDb } from "@/db";
import { getSignUpSettings } from "@/db/queries/settings";
import { hasAnyUser } from "@/db/queries/users";
import { signUpNotice } from "@/lib/accounts/sign-up-policy";
import { ssoOnlyNow } from "@/lib/commands/sso";
import { config } from "@/lib/config";
import { currentUser } from "@/lib/session";

export const metadata: Metadata = { title: "Create account" };

export default async function SignUpPage() {
  if (await currentUser()) redirect("/settings/api-keys");
  const db = await getDb();
  // The first account becomes the deployment's administrator (db/queries/users.ts): say so. After
  // that, say who may sign up (the sign-up itself checks again, in its transaction).
  const firstAccount = !(await hasAnyUser(db));
  const { mode, domains } = await getSignUpSettings(db);
  const notice = firstAccount ? null : signUpNotice(mode, domains);
  const closed = !firstAccount && (mode === "invite_only" || mode === "closed");
  const oidc = config.oidc;
  const ssoOnly = !firstAccount && (await ssoOnlyNow(db));
  return <SignUpForm firstAccount={firstAccount} notice={notice} closed={closed} ssoName={ssoOnly ? oidc!.name : null} />;
}
