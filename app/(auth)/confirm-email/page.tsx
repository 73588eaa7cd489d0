import type { Metadata } from "next";
import { ConfirmEmailForm } from "@/components/accounts/confirm-email-form";

export const metadata: Metadata = { title: "Confirm your new email", referrer: "no-referrer" };

// As for reset links: the token rides in the fragment, read and cleared in the browser.
export default function ConfirmEmailPage() {
  return <ConfirmEmailForm />;
}
