import type { Metadata } from "next";
import { headers } from "next/headers";
import {  redirect } from "next/navigation";
import { AttentionReason } from "@/components/api-keys/attention-reason";
import { toKeyRow } from "@/components/api-keys/key-row";
import { KeysSection } from "@/components/api-keys/keys-section";
import { KeysPageOfList } from "@/components/api-keys/keys-table";
import { teamApiKeysPath } from "@/components/teams/team-links";
import { KEYS_PAGE_SIZE, keysNeedingAttention, pageTeamApiKeys } from "@/db/queries/api-key-list";
import { PLACES } from "@/lib/glossary";
import { policy } from "@/lib/policy";
import { requestNow } from "@/lib/request-clock";
import { requestOrigin } from "@/lib/request-context";
import { requestTimeZone } from "@/lib/request-time-zone";
import { requireTeamMember } from "@/lib/session";
import { teamPolicyOf } from "@/db/queries/team-policy";
import { boundByPolicy } from "@/lib/teams/policy";
import { canManageTeamKeys } from "@/lib/teams/roles";

export const metadata: Metadata = { title: PLACES.apiKeys };

/** `?page=N` (1 to 10,000); anything else is page 1. */
function pageOf(value: string | string[] | undefined): number {
  const n = typeof value === "string" && /^[1-9]\d{0,3}$/.test(value) ? Number(value) : 1;
  return Math.min(n, 10_000);
}

// A team's keys: every member sees the list (with who created each key); developers, admins and
// owners get the create, edit, rotate, revoke and delete controls (lib/teams/roles.ts). A
// non-member gets the 404 an unknown team gets. What the page shows protects nothing: each action's
// key command re-reads the caller's role, locked, in its transaction.
export default async function TeamApiKeysPage({
  params,
  searchParams,
}: {
  params: Promise<{ slug: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { slug } = await params;
  const { user, db, membership } = await requireTeamMember(slug);
  const { team, role } = membership;
  const path = teamApiKeysPath(team.slug);
  const page = pageOf((await searchParams).page);
  const now = await requestNow();
  const [list, teamPolicy, attention] = await Promise.all([
    pageTeamApiKeys(db, team.id, page),
    teamPolicyOf(db, team.id),
    keysNeedingAttention(db, { teamId: team.id, actorId: user.id }, now, policy.rotationPeriodDays),
  ]);
  // Whether this member's keys above a threshold wait for approval (the dialog says so before submit).
  const approvalFrom = boundByPolicy(role) ? (teamPolicy?.approvalFrom ?? null) : null;
  if (list.rows.length === 0 && list.total > 0) redirect(`${path}?page=${Math.ceil(list.total / KEYS_PAGE_SIZE)}`);
  const rows = list.rows.map((k) => ({
    ...toKeyRow(k, now, policy.rotationPeriodDays),
    createdBy: k.createdBy && { name: k.createdBy.name, email: k.createdBy.email },
  }));
  const attentionRows = attention.rows
    .map((k) => toKeyRow(k, now, policy.rotationPeriodDays))
    .map((row) => ({ row, reason: <AttentionReason row={row} now={now} /> }));
  const canManage = canManageTeamKeys(role);
  const origin = requestOrigin(await headers());
  const timeZone = await requestTimeZone();

  return (
    <KeysSection
      origin={origin}
      attention={attentionRows}
      attentionTotal={attention.total}
      total={list.total}
      maxLifetimeDays={policy.maxLifetimeDays}
      scope={{ teamSlug: team.slug, canManage, approvalFrom }}
    >
      <KeysPageOfList rows={rows} list={list} page={page} pageSize={KEYS_PAGE_SIZE} path={path} now={now} timeZone={timeZone} teamSlug={team.slug} controls={canManage} />
    </KeysSection>
  );
}
