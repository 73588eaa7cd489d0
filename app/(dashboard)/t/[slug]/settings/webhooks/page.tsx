import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { EndpointList } from "@/components/webhooks/endpoint-list";
import { myEndpoints } from "@/lib/commands/webhooks";
import { AppError, messageOf } from "@/lib/errors";
import { PLACES } from "@/lib/glossary";
import { requestTimeZone } from "@/lib/request-time-zone";
import { requireTeamMember } from "@/lib/session";
import { createTeamWebhookAction } from "./actions";

export const metadata: Metadata = { title: PLACES.webhooks };

// A team's webhook endpoints: told of the team's keys' events. Owners and admins manage them
// (lib/commands/webhooks.ts decides, on the membership locked in its read); a developer or viewer is
// told whom to ask; a non-member gets the 404 an unknown team gets.
export default async function TeamWebhooksPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const { user, db, membership } = await requireTeamMember(slug);
  const endpoints = await myEndpoints(db, { userId: user.id }, slug).catch((e: unknown) => {
    if (e instanceof AppError && e.code === "team_not_found") notFound();
    if (e instanceof AppError && e.code === "team_webhooks_admins_only") return null;
    throw e;
  });
  if (!endpoints) {
    return (
      <section aria-labelledby="webhooks-heading" className="grid gap-2">
        <h2 id="webhooks-heading" className="text-lg font-semibold">
          {PLACES.webhooks}
        </h2>
        <p className="text-sm text-muted-foreground">{messageOf("team_webhooks_admins_only")}</p>
      </section>
    );
  }
  return (
    <EndpointList
      endpoints={endpoints}
      timeZone={await requestTimeZone()}
      create={createTeamWebhookAction.bind(null, membership.team.slug)}
      team={{ slug: membership.team.slug, name: membership.team.name }}
    />
  );
}
