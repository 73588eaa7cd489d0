import type { Metadata } from "next";
import { ConfirmSignUpForm } from "@/components/auth/confirm-sign-up-form";

export const metadata: Metadata = { title: "Finish creating your account", referrer: "no-referrer" };

// As for reset links: the token rides in the fragment (#token=kss_…), read and cleared in the browser.
export default function ConfirmSignUpPage() {
  return <ConfirmSignUpForm />;
}
