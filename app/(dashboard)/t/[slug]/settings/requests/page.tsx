import type { Metadata } from "next";
import { headers } from "next/headers";
import { KeyRequests } from "@/components/teams/key-requests";
import type { RequestView } from "@/components/teams/request-view";
import { listKeyRequests, type KeyRequestView } from "@/db/queries/key-requests";
import { formatDateTime } from "@/lib/format";
import { PLACES } from "@/lib/glossary";
import { requestOrigin } from "@/lib/request-context";
import { requestTimeZone } from "@/lib/request-time-zone";
import { describeAccess } from "@/lib/scopes";
import { requireTeamMember } from "@/lib/session";
import { canAdministerTeam } from "@/lib/teams/roles";

export const metadata: Metadata = { title: PLACES.teamRequests };

// Key requests: admins and owners see the team's (pending oldest first, then the history) and decide
// them; everyone else sees their own. A non-member gets the 404 an unknown team gets. What the page
// shows protects nothing: each action's command re-reads the role, locked, in its transaction.
export default async function TeamRequestsPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const { user, db, membership } = await requireTeamMember(slug);
  const { team, role } = membership;
  const admin = canAdministerTeam(role);
  const mineOnly = admin ? undefined : user.id;
  const [pending, history] = await Promise.all([
    listKeyRequests(db, team.id, { pending: true, requestedBy: mineOnly }),
    listKeyRequests(db, team.id, { pending: false, requestedBy: mineOnly }),
  ]);
  const timeZone = await requestTimeZone();
  const view = (r: KeyRequestView): RequestView => ({
    id: r.id,
    name: r.name,
    description: r.description,
    justification: r.justification,
    access: describeAccess(r.access, r.scopes),
    expires: r.expiresAt ? formatDateTime(r.expiresAt, timeZone) : "Never",
    allowedIps: r.allowedIps,
    status: r.status,
    requester: r.requester,
    requestedAt: formatDateTime(r.createdAt, timeZone),
    decider: r.decider,
    decidedAt: r.decidedAt ? formatDateTime(r.decidedAt, timeZone) : null,
    reason: r.decisionReason,
    mine: r.requestedBy === user.id,
  });
  return <KeyRequests slug={team.slug} admin={admin} pending={pending.map(view)} history={history.map(view)} origin={requestOrigin(await headers())} />;
}
