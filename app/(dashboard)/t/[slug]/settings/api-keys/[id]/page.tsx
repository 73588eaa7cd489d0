import type { Metadata } from "next";
import { headers } from "next/headers";
import { notFound } from "next/navigation";
import { cache } from "react";
import { KeyDetailsBody } from "@/components/api-keys/key-details";
import { toKeyRow } from "@/components/api-keys/key-row";
import { teamApiKeysPath } from "@/components/teams/team-links";
import { readerActor } from "@/lib/commands/actor";
import { getKeyDetails } from "@/lib/commands/keys";
import { AppError } from "@/lib/errors";
import { PLACES } from "@/lib/glossary";
import { policy } from "@/lib/policy";
import { requestNow } from "@/lib/request-clock";
import { requestOrigin } from "@/lib/request-context";
import { requestTimeZone } from "@/lib/request-time-zone";
import { requireTeamMember } from "@/lib/session";
import { canManageTeamKeys } from "@/lib/teams/roles";

type Params = { params: Promise<{ slug: string; id: string }> };

/**
 * A team key, once per request. A non-member gets the 404 an unknown team gets; a key of another
 * team, a personal key or a malformed id is a 404 too (the key command reads it with the team as
 * owner, after the caller's role in its transaction: lib/commands/keys.ts).
 */
const loadKey = cache(async (slug: string, id: string) => {
  const { user, db, membership } = await requireTeamMember(slug);
  const details = await getKeyDetails(db, readerActor(user.id, { id: membership.team.id }), id).catch((e: unknown) => {
    if (e instanceof AppError && e.code === "key_not_found") notFound();
    throw e;
  });
  return { membership, details };
});

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const { slug, id } = await params;
  const { membership, details } = await loadKey(slug, id);
  return { title: `${details.key.name} · ${membership.team.name} · API key` };
}

// Every member sees a team key's page; developers, admins and owners get its actions (the same
// dialogs as the team's list, through the team's server actions).
export default async function TeamApiKeyDetailPage({ params }: Params) {
  const { slug, id } = await params;
  const { membership, details } = await loadKey(slug, id);
  const now = await requestNow();
  return (
    <KeyDetailsBody
      details={details}
      row={toKeyRow(details.key, now, policy.rotationPeriodDays)}
      list={{ href: teamApiKeysPath(membership.team.slug), label: PLACES.apiKeys }}
      scope={{ teamSlug: membership.team.slug, canManage: canManageTeamKeys(membership.role) }}
      origin={requestOrigin(await headers())}
      maxLifetimeDays={policy.maxLifetimeDays}
      now={now}
      timeZone={await requestTimeZone()}
    />
  );
}
