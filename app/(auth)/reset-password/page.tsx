import type { Metadata } from "next";
import { ResetPasswordForm } from "@/components/auth/reset-password-form";

export const metadata: Metadata = { title: "Choose a new password", referrer: "no-referrer" };

// The token is in the link's fragment (#token=…): browsers never send a fragment to a server, so it
// reaches no log, proxy or Referer. The form reads it in the browser and posts it once.
export default function ResetPasswordPage() {
  return <ResetPasswordForm />;
}
