import type { Metadata } from "next";
import { CreateTeamForm } from "@/components/teams/create-team-form";
import { PLACES } from "@/lib/glossary";
import { requireUser } from "@/lib/session";

export const metadata: Metadata = { title: PLACES.createTeam };

// Any signed-in user may create a team; they become its owner (lib/commands/teams.ts).
export default async function NewTeamPage() {
  await requireUser();
  return (
    <div className="mx-auto max-w-6xl">
      <h1 className="text-2xl font-semibold tracking-tight">{PLACES.createTeam}</h1>
      <p className="mt-2 max-w-prose text-sm text-muted-foreground">
        A team owns API keys together, so they keep working when someone leaves. You become its owner and can add people who already have an account here.
      </p>
      <div className="mt-6">
        <CreateTeamForm />
      </div>
    </div>
  );
}
