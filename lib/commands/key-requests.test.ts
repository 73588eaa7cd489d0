import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbHandle } from "@/db/client";
import { apiKeyRequests, apiKeys, auditEvents, teamMembers, teams } from "@/db/schema";
import { ALL_SCOPES, READ_SCOPES } from "@/lib/scopes";
import type { TeamPolicy } from "@/lib/teams/policy";
import type { TeamRole } from "@/lib/teams/roles";
import { DAY_MS } from "@/lib/time";
import { TEST_DRIVER, openTestDb } from "@/test/db";
import { CONTEXT, makeTeam, makeUser, refusal } from "@/test/fixtures";
import type { Actor, KeyActor } from "./actor";
import { approveKeyRequest, cancelKeyRequest, denyKeyRequest, issueRequestedKey, requestTeamKey } from "./key-requests";
import { createKey, rotateKey, updateKey } from "./keys";
import { changeTeamPolicy } from "./team-policy";

// Team policy and key requests through the commands: each role, a non-member, a team key through
// the API; self-approval, double decisions, issuing twice, a removed requester.

let handle: DbHandle;
beforeAll(async () => {
  process.env.AUTH_SECRET ??= randomBytes(32).toString("base64url");
  process.env.KEY_PEPPER ??= randomBytes(32).toString("base64url");
  handle = await openTestDb();
});
afterAll(async () => {
  delete process.env.KEY_MAX_LIFETIME_DAYS;
  await handle?.close();
});

const days = (n: number) => new Date(Date.now() + n * DAY_MS);
const ROLES: TeamRole[] = ["owner", "admin", "developer", "viewer"];

const POLICY: TeamPolicy = { maxLifetimeDays: null, requireExpiry: false, developerScopes: null, approvalFrom: null, ipsRequiredForFull: false };

async function world(policy: Partial<TeamPolicy> = {}) {
  const people = Object.fromEntries(await Promise.all([...ROLES, "outsider" as const].map(async (r) => [r, await makeUser(handle.db)] as const))) as Record<
    TeamRole | "outsider",
    Awaited<ReturnType<typeof makeUser>>
  >;
  const team = await makeTeam(
    handle.db,
    ROLES.map((role) => ({ userId: people[role].id, role })),
  );
  const personal = (who: TeamRole | "outsider"): Actor => ({ userId: people[who].id, context: CONTEXT, clockOffsetMs: 0, authenticatedAt: new Date() });
  const forTeam = (who: TeamRole | "outsider"): KeyActor => ({ ...personal(who), team: { id: team.id } });
  await changeTeamPolicy(handle.db, personal("owner"), team.slug, { ...POLICY, ...policy });
  return { people, team, personal, forTeam };
}

const fullRequest = (name = "prod-deploy") => ({ name, scopes: ALL_SCOPES, access: "full", expiresAt: days(10), justification: "Deploys production" });

describe(`team policy (${TEST_DRIVER})`, () => {
  it("owners and admins change it, audited with from and to; developers, viewers and outsiders cannot", async () => {
    const { team, personal } = await world();
    const next = { ...POLICY, maxLifetimeDays: 30, approvalFrom: "full", developerScopes: ["keys:write"] };
    await changeTeamPolicy(handle.db, personal("admin"), team.slug, next);
    const [row] = await handle.db.select().from(teams).where(eq(teams.id, team.id));
    expect(row).toMatchObject({ policyMaxLifetimeDays: 30, policyApprovalFrom: "full", policyDeveloperScopes: ["keys:read", "keys:write"] });
    const events = await handle.db.select().from(auditEvents).where(eq(auditEvents.teamId, team.id));
    const changed = events.filter((e) => e.action === "team.policy_changed").at(-1)!;
    expect(changed.metadata).toMatchObject({ from: { maxLifetimeDays: null, approvalFrom: null }, to: { maxLifetimeDays: 30, approvalFrom: "full" } });
    expect(await refusal(changeTeamPolicy(handle.db, personal("developer"), team.slug, POLICY))).toBe("team_role_not_allowed");
    expect(await refusal(changeTeamPolicy(handle.db, personal("viewer"), team.slug, POLICY))).toBe("team_role_not_allowed");
    expect(await refusal(changeTeamPolicy(handle.db, personal("outsider"), team.slug, POLICY))).toBe("team_not_found");
    expect(await refusal(changeTeamPolicy(handle.db, personal("owner"), team.slug, { ...POLICY, maxLifetimeDays: 0 }))).toBe("validation_failed");
    expect(await refusal(changeTeamPolicy(handle.db, personal("owner"), team.slug, { ...POLICY, developerScopes: ["root"] }))).toBe("validation_failed");
  });

  it("cannot loosen the deployment's: a lifetime above KEY_MAX_LIFETIME_DAYS is refused", async () => {
    const { team, personal } = await world();
    process.env.KEY_MAX_LIFETIME_DAYS = "90";
    try {
      expect(await refusal(changeTeamPolicy(handle.db, personal("owner"), team.slug, { ...POLICY, maxLifetimeDays: 120 }))).toBe("validation_failed");
      await changeTeamPolicy(handle.db, personal("owner"), team.slug, { ...POLICY, maxLifetimeDays: 60 });
    } finally {
      delete process.env.KEY_MAX_LIFETIME_DAYS;
    }
  });

  it("is enforced on create, edit and rotate for team keys; a developer's scopes stay in the set", async () => {
    const { forTeam } = await world({ maxLifetimeDays: 30, developerScopes: ["keys:read", "usage:read"], approvalFrom: "full" });
    expect(await refusal(createKey(handle.db, forTeam("developer"), { name: "long", scopes: ["keys:read"], expiresAt: days(31) }))).toBe("validation_failed");
    expect(await refusal(createKey(handle.db, forTeam("developer"), { name: "never", scopes: ["keys:read"], expiresAt: null }))).toBe("validation_failed");
    expect(await refusal(createKey(handle.db, forTeam("developer"), { name: "wide", scopes: ["profile:read"], expiresAt: days(5) }))).toBe("scopes_not_allowed_by_team");
    expect(await refusal(createKey(handle.db, forTeam("developer"), { name: "full", scopes: ALL_SCOPES, expiresAt: days(5) }))).toBe("scopes_not_allowed_by_team");
    // Admins are not bound by the developer scopes or approval, but by the lifetime.
    const admins = await createKey(handle.db, forTeam("admin"), { name: "admin-full", scopes: ALL_SCOPES, expiresAt: days(30) });
    expect(await refusal(createKey(handle.db, forTeam("owner"), { name: "owner-long", scopes: ALL_SCOPES, expiresAt: days(40) }))).toBe("validation_failed");
    const { key } = await createKey(handle.db, forTeam("developer"), { name: "ok", scopes: ["keys:read"], expiresAt: days(20) });
    // Editing: no extension past 30 days from creation, no scopes outside the set.
    expect(await refusal(updateKey(handle.db, forTeam("developer"), key.id, { expiresAt: days(31) }))).toBe("validation_failed");
    expect(await refusal(updateKey(handle.db, forTeam("developer"), key.id, { expiresAt: null }))).toBe("validation_failed");
    expect(await refusal(updateKey(handle.db, forTeam("developer"), key.id, { scopes: ["keys:read", "profile:write"] }))).toBe("scopes_not_allowed_by_team");
    await updateKey(handle.db, forTeam("developer"), key.id, { expiresAt: days(29), scopes: ["keys:read", "usage:read"] });
    // Rotating hands out a secret: a developer may not rotate the admin's Full key.
    expect(await refusal(rotateKey(handle.db, forTeam("developer"), admins.key.id, "none"))).toBe("team_policy_rotation");
    await rotateKey(handle.db, forTeam("developer"), key.id, "none");
    await rotateKey(handle.db, forTeam("admin"), admins.key.id, "none");
  });

  it("a developer cannot create or raise a key to the approval threshold directly; an admin can", async () => {
    const { forTeam } = await world({ approvalFrom: "full" });
    expect(await refusal(createKey(handle.db, forTeam("developer"), { name: "full", scopes: ALL_SCOPES, expiresAt: days(5) }))).toBe("approval_required");
    const { key } = await createKey(handle.db, forTeam("developer"), { name: "ro", scopes: READ_SCOPES, expiresAt: days(5) });
    expect(await refusal(updateKey(handle.db, forTeam("developer"), key.id, { scopes: ALL_SCOPES }))).toBe("approval_required");
    await updateKey(handle.db, forTeam("admin"), key.id, { scopes: ALL_SCOPES });
    // Renaming the now-Full key is no new grant.
    await updateKey(handle.db, forTeam("developer"), key.id, { name: "renamed" });
    await createKey(handle.db, forTeam("owner"), { name: "owner-full", scopes: ALL_SCOPES, expiresAt: days(5) });
  });

  it("a team key through the API above the threshold is refused with approval_required", async () => {
    const { team, forTeam } = await world();
    const { key: teamKey } = await createKey(handle.db, forTeam("owner"), { name: "automation", scopes: ALL_SCOPES, expiresAt: null });
    const viaKey: KeyActor = {
      userId: null,
      team: { id: team.id },
      context: CONTEXT,
      clockOffsetMs: 0,
      key: { id: teamKey.id, scopes: ALL_SCOPES, expiresAt: null, viaPreviousSecret: false },
    };
    await createKey(handle.db, viaKey, { name: "before-policy", scopes: ALL_SCOPES, expiresAt: days(5) });
    await changeTeamPolicy(handle.db, { userId: (await ownerOf(team.id))!, context: CONTEXT, clockOffsetMs: 0 }, team.slug, { ...POLICY, approvalFrom: "restricted" });
    expect(await refusal(createKey(handle.db, viaKey, { name: "after-policy", scopes: ALL_SCOPES, expiresAt: days(5) }))).toBe("approval_required");
    expect(await refusal(createKey(handle.db, viaKey, { name: "restricted", scopes: ["keys:read"], expiresAt: days(5) }))).toBe("approval_required");
    await createKey(handle.db, viaKey, { name: "read-only", scopes: READ_SCOPES, expiresAt: days(5) });
  });
});

async function ownerOf(teamId: string): Promise<string | undefined> {
  const rows = await handle.db.select().from(teamMembers).where(eq(teamMembers.teamId, teamId));
  return rows.find((r) => r.role === "owner")?.userId;
}

describe(`a policy that requires an IP allowlist for Full access (${TEST_DRIVER})`, () => {
  it("holds for keys created, edited and requested: none without a list; the list travels from request to key", async () => {
    const { team, personal, forTeam } = await world({ ipsRequiredForFull: true, approvalFrom: "full" });
    const full = { name: "full-no-ips", scopes: ALL_SCOPES, access: "full" as const, expiresAt: days(10) };
    expect(await refusal(createKey(handle.db, forTeam("owner"), full))).toBe("validation_failed");
    const made = await createKey(handle.db, forTeam("owner"), { ...full, name: "full-with-ips", allowedIps: ["10.0.0.0/8"] });
    expect(made.key.allowedIps).toEqual(["10.0.0.0/8"]);
    // Removing the list of a Full-access key, or widening a listless key to Full access, is refused.
    expect(await refusal(updateKey(handle.db, forTeam("owner"), made.key.id, { allowedIps: null }))).toBe("validation_failed");
    const narrow = await createKey(handle.db, forTeam("owner"), { name: "read-no-ips", scopes: READ_SCOPES, expiresAt: days(10) });
    expect(await refusal(updateKey(handle.db, forTeam("owner"), narrow.key.id, { scopes: ALL_SCOPES, access: "full" }))).toBe("validation_failed");
    // A developer's request: refused without a list; with one, the issued key carries it.
    expect(await refusal(requestTeamKey(handle.db, personal("developer"), team.slug, fullRequest("no-ips")))).toBe("validation_failed");
    const request = await requestTeamKey(handle.db, personal("developer"), team.slug, { ...fullRequest("with-ips"), allowedIps: ["2001:db8::/32"] });
    expect(request.allowedIps).toEqual(["2001:db8::/32"]);
    await approveKeyRequest(handle.db, personal("admin"), team.slug, { requestId: request.id });
    const issued = await issueRequestedKey(handle.db, personal("developer"), team.slug, { requestId: request.id });
    const [row] = await handle.db.select().from(apiKeys).where(eq(apiKeys.id, issued.key.id));
    expect(row?.allowedIps).toEqual(["2001:db8::/32"]);
  });
});

describe(`key requests (${TEST_DRIVER})`, () => {
  it("requested, denied with a reason, requested again, approved, issued once; every step audited", async () => {
    const { team, personal, people } = await world({ approvalFrom: "full" });
    const first = await requestTeamKey(handle.db, personal("developer"), team.slug, fullRequest());
    expect(first.status).toBe("pending");
    expect(await refusal(denyKeyRequest(handle.db, personal("owner"), team.slug, { requestId: first.id, reason: "" }))).toBe("validation_failed");
    await denyKeyRequest(handle.db, personal("owner"), team.slug, { requestId: first.id, reason: "Use a restricted key" });
    expect(await refusal(issueRequestedKey(handle.db, personal("developer"), team.slug, { requestId: first.id }))).toBe("key_request_not_approved");
    // The name is free again once the first request is denied.
    const second = await requestTeamKey(handle.db, personal("developer"), team.slug, fullRequest());
    expect(await refusal(requestTeamKey(handle.db, personal("developer"), team.slug, fullRequest()))).toBe("key_name_taken");
    await approveKeyRequest(handle.db, personal("admin"), team.slug, { requestId: second.id });
    // Only the requester issues it.
    expect(await refusal(issueRequestedKey(handle.db, personal("admin"), team.slug, { requestId: second.id }))).toBe("key_request_not_found");
    const issued = await issueRequestedKey(handle.db, personal("developer"), team.slug, { requestId: second.id });
    expect(issued.secret).toMatch(/^ksk_/);
    expect(issued.key).toMatchObject({ name: "prod-deploy", access: "full" });
    const [keyRow] = await handle.db.select().from(apiKeys).where(eq(apiKeys.id, issued.key.id));
    expect(keyRow).toMatchObject({ teamId: team.id, userId: null, createdBy: people.developer.id });
    const [requestRow] = await handle.db.select().from(apiKeyRequests).where(eq(apiKeyRequests.id, second.id));
    expect(requestRow).toMatchObject({ status: "issued", keyId: issued.key.id, decidedBy: people.admin.id });
    expect(await refusal(issueRequestedKey(handle.db, personal("developer"), team.slug, { requestId: second.id }))).toBe("key_request_issued");
    const events = await handle.db.select().from(auditEvents).where(eq(auditEvents.teamId, team.id));
    const actions = events.map((e) => e.action);
    expect(actions.filter((a) => a === "api_key.requested")).toHaveLength(2);
    expect(actions).toContain("api_key.request_denied");
    expect(actions).toContain("api_key.request_approved");
    const created = events.find((e) => e.action === "api_key.created" && e.targetId === issued.key.id);
    expect(created?.metadata).toMatchObject({ requestId: second.id, teamId: team.id });
    expect(events.find((e) => e.action === "api_key.request_denied")?.metadata).toMatchObject({ reason: "Use a restricted key" });
  });

  it("no self-approval, no second decision, viewers and outsiders refused, only a pending request cancels", async () => {
    const { team, personal } = await world({ approvalFrom: "restricted" });
    // Owners and admins create directly: a request is for those the policy binds.
    expect(await refusal(requestTeamKey(handle.db, personal("admin"), team.slug, fullRequest()))).toBe("approval_not_needed");
    expect(await refusal(requestTeamKey(handle.db, personal("developer"), team.slug, { ...fullRequest(), scopes: READ_SCOPES, access: "read_only" }))).toBe("approval_not_needed");
    expect(await refusal(requestTeamKey(handle.db, personal("viewer"), team.slug, fullRequest()))).toBe("team_keys_read_only");
    expect(await refusal(requestTeamKey(handle.db, personal("outsider"), team.slug, fullRequest()))).toBe("team_not_found");
    const request = await requestTeamKey(handle.db, personal("developer"), team.slug, fullRequest("mine"));
    expect(await refusal(approveKeyRequest(handle.db, personal("viewer"), team.slug, { requestId: request.id }))).toBe("team_role_not_allowed");
    expect(await refusal(approveKeyRequest(handle.db, personal("developer"), team.slug, { requestId: request.id }))).toBe("team_role_not_allowed");
    expect(await refusal(approveKeyRequest(handle.db, personal("outsider"), team.slug, { requestId: request.id }))).toBe("team_not_found");
    expect(await refusal(cancelKeyRequest(handle.db, personal("admin"), team.slug, { requestId: request.id }))).toBe("key_request_not_found");
    expect(await refusal(approveKeyRequest(handle.db, personal("admin"), team.slug, { requestId: "not-a-uuid" }))).toBe("validation_failed");
    await approveKeyRequest(handle.db, personal("admin"), team.slug, { requestId: request.id, reason: "ok" });
    expect(await refusal(approveKeyRequest(handle.db, personal("owner"), team.slug, { requestId: request.id }))).toBe("key_request_decided");
    expect(await refusal(denyKeyRequest(handle.db, personal("owner"), team.slug, { requestId: request.id, reason: "no" }))).toBe("key_request_decided");
    expect(await refusal(cancelKeyRequest(handle.db, personal("developer"), team.slug, { requestId: request.id }))).toBe("key_request_decided");
    // An admin who asks (the policy binds only developers, so make the admin a developer first) cannot approve their own.
    await handle.db.update(teamMembers).set({ role: "developer" }).where(eq(teamMembers.userId, personal("admin").userId));
    const adminsOwn = await requestTeamKey(handle.db, personal("admin"), team.slug, fullRequest("admins-own"));
    await handle.db.update(teamMembers).set({ role: "admin" }).where(eq(teamMembers.userId, personal("admin").userId));
    expect(await refusal(approveKeyRequest(handle.db, personal("admin"), team.slug, { requestId: adminsOwn.id }))).toBe("own_key_request");
    await cancelKeyRequest(handle.db, personal("admin"), team.slug, { requestId: adminsOwn.id });
    expect(await refusal(approveKeyRequest(handle.db, personal("owner"), team.slug, { requestId: adminsOwn.id }))).toBe("key_request_decided");
  });

  it("a request from another team is not found; a removed member's approved request can no longer be issued", async () => {
    const a = await world({ approvalFrom: "full" });
    const b = await world({ approvalFrom: "full" });
    const request = await requestTeamKey(handle.db, a.personal("developer"), a.team.slug, fullRequest());
    expect(await refusal(approveKeyRequest(handle.db, b.personal("owner"), b.team.slug, { requestId: request.id }))).toBe("key_request_not_found");
    await approveKeyRequest(handle.db, a.personal("owner"), a.team.slug, { requestId: request.id });
    await handle.db.delete(teamMembers).where(eq(teamMembers.userId, a.people.developer.id));
    expect(await refusal(issueRequestedKey(handle.db, a.personal("developer"), a.team.slug, { requestId: request.id }))).toBe("team_not_found");
    expect(await handle.db.select().from(apiKeys).where(eq(apiKeys.teamId, a.team.id))).toEqual([]);
  });

  it("issuing re-checks the policy as it is now, and a past expiry; a Full key needs a recent sign-in", async () => {
    const { team, personal } = await world({ approvalFrom: "full" });
    const request = await requestTeamKey(handle.db, personal("developer"), team.slug, { ...fullRequest(), expiresAt: days(20) });
    await approveKeyRequest(handle.db, personal("owner"), team.slug, { requestId: request.id });
    await changeTeamPolicy(handle.db, personal("owner"), team.slug, { ...POLICY, approvalFrom: "full", maxLifetimeDays: 10 });
    expect(await refusal(issueRequestedKey(handle.db, personal("developer"), team.slug, { requestId: request.id }))).toBe("validation_failed");
    await changeTeamPolicy(handle.db, personal("owner"), team.slug, { ...POLICY, approvalFrom: "full" });
    const stale = { ...personal("developer"), authenticatedAt: new Date(Date.now() - 60 * 60_000) };
    expect(await refusal(issueRequestedKey(handle.db, stale, team.slug, { requestId: request.id }))).toBe("reauthentication_required");
    // A day past the requested expiry (the test clock moved 21 days ahead).
    const later = { ...personal("developer"), clockOffsetMs: 21 * DAY_MS };
    expect(await refusal(issueRequestedKey(handle.db, later, team.slug, { requestId: request.id }))).toBe("key_request_expired");
    const issued = await issueRequestedKey(handle.db, personal("developer"), team.slug, { requestId: request.id });
    expect(issued.key.name).toBe("prod-deploy");
  });

  it("validates the request: scopes outside the developer set, bad fields and lengths", async () => {
    const { team, personal } = await world({ approvalFrom: "restricted", developerScopes: ["keys:read", "keys:write"] });
    expect(await refusal(requestTeamKey(handle.db, personal("developer"), team.slug, fullRequest()))).toBe("scopes_not_allowed_by_team");
    const ok = { name: "k", scopes: ["keys:write"], expiresAt: days(3) };
    expect(await refusal(requestTeamKey(handle.db, personal("developer"), team.slug, { ...ok, scopes: ["nope"] }))).toBe("validation_failed");
    expect(await refusal(requestTeamKey(handle.db, personal("developer"), team.slug, { ...ok, justification: "x".repeat(501) }))).toBe("validation_failed");
    expect(await refusal(requestTeamKey(handle.db, personal("developer"), team.slug, { ...ok, name: "\u202e" }))).toBe("validation_failed");
    expect(await refusal(requestTeamKey(handle.db, personal("developer"), team.slug, { ...ok, expiresAt: days(-1) }))).toBe("validation_failed");
    expect(await refusal(requestTeamKey(handle.db, personal("developer"), team.slug, { ...ok, extra: 1 }))).toBe("validation_failed");
    const request = await requestTeamKey(handle.db, personal("developer"), team.slug, ok);
    expect(await refusal(denyKeyRequest(handle.db, personal("owner"), team.slug, { requestId: request.id, reason: "y".repeat(501) }))).toBe("validation_failed");
    expect(await refusal(denyKeyRequest(handle.db, personal("owner"), team.slug, { requestId: request.id, reason: "   " }))).toBe("validation_failed");
  });
});
