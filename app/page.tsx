import { redirect } from "next/navigation";
import { currentUser } from "@/lib/session";

export default async function Home() {
  // currentUser(), not the bare cookie: a stale session (signed out elsewhere, deleted account)
  // would otherwise bounce between the login page and the dashboard.
  redirect((await currentUser()) ? "/settings/api-keys" : "/login");
}
