import type { Metadata } from "next";
import { AcceptInvitationForm } from "@/components/auth/accept-invitation-form";

export const metadata: Metadata = { title: "Accept your invitation", referrer: "no-referrer" };

// The token is in the link's fragment (#token=…): browsers never send a fragment to a server, so it
// reaches no log, proxy or Referer. The form reads it in the browser, asks what it invites to, and
// posts it once to accept. It works whatever the sign-up mode.
export default function InvitePage() {
  return <AcceptInvitationForm />;
}
