import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbHandle } from "@/db/client";
import { addUsage } from "@/db/queries/usage";
import type { TeamRole } from "@/lib/teams/roles";
import { DAY_MS, lastUtcDays } from "@/lib/time";
import { TEST_DRIVER, openTestDb } from "@/test/db";
import { CONTEXT, makeTeam, makeUser, refusal } from "@/test/fixtures";
import { readerActor, type Actor, type KeyActor } from "./actor";
import { createKey, getKeyDetails, rotateKey } from "./keys";
import { readTeamAuditLog, readTeamUsage } from "./team-insights";
import { addMember, changeRole } from "./teams";

// A team's audit log and usage overview (lib/commands/team-insights.ts), and a team key's page
// (getKeyDetails): who may read them, and that only this team's events, keys and counts appear.

let handle: DbHandle;
beforeAll(async () => {
  process.env.AUTH_SECRET ??= randomBytes(32).toString("base64url");
  process.env.KEY_PEPPER ??= randomBytes(32).toString("base64url");
  handle = await openTestDb();
});
afterAll(async () => {
  await handle?.close();
});

const ROLES: TeamRole[] = ["owner", "admin", "developer", "viewer"];
const later = () => new Date(Date.now() + 10 * DAY_MS);

/** Team A (one member per role, plus an outsider who is in team B), with events and keys in both, and personal keys. */
async function world() {
  const people = Object.fromEntries(await Promise.all([...ROLES, "outsider" as const].map(async (r) => [r, await makeUser(handle.db)] as const))) as Record<
    TeamRole | "outsider",
    Awaited<ReturnType<typeof makeUser>>
  >;
  const team = await makeTeam(handle.db, ROLES.map((role) => ({ userId: people[role].id, role })));
  const other = await makeTeam(handle.db, [{ userId: people.outsider.id, role: "owner" }]);
  const session = (who: TeamRole | "outsider"): Actor => ({ userId: people[who].id, context: CONTEXT, clockOffsetMs: 0, authenticatedAt: new Date() });
  const forTeam = (who: TeamRole | "outsider", t = team): KeyActor => ({ ...session(who), team: { id: t.id } });
  const newcomer = await makeUser(handle.db);
  await addMember(handle.db, session("owner"), team.slug, { email: newcomer.email, role: "viewer" });
  await changeRole(handle.db, session("admin"), team.slug, { userId: newcomer.id, role: "developer" });
  const busy = (await createKey(handle.db, forTeam("developer"), { name: "busy", scopes: ["keys:read"], expiresAt: later() })).key;
  await rotateKey(handle.db, forTeam("developer"), busy.id, "none");
  const quiet = (await createKey(handle.db, forTeam("owner"), { name: "quiet", scopes: ["keys:read"], expiresAt: later() })).key;
  const idle = (await createKey(handle.db, forTeam("admin"), { name: "idle", scopes: ["keys:read"], expiresAt: later() })).key;
  const theirs = (await createKey(handle.db, forTeam("outsider", other), { name: "theirs", scopes: ["keys:read"], expiresAt: later() })).key;
  const personal = (await createKey(handle.db, session("owner"), { name: "mine", scopes: ["keys:read"], expiresAt: later() })).key;
  return { people, team, other, session, forTeam, newcomer, keys: { busy, quiet, idle, theirs, personal } };
}

describe(`team audit log (${TEST_DRIVER})`, () => {
  it("shows owners and admins this team's events, newest first, and nothing of another team's or anyone's personal events", async () => {
    const { people, team, keys } = await world();
    for (const role of ["owner", "admin"] as const) {
      const log = await readTeamAuditLog(handle.db, { userId: people[role].id }, team.slug, {});
      const actions = log.events.rows.map((e) => e.action);
      expect(actions).toEqual(["api_key.created", "api_key.created", "api_key.rotated", "api_key.created", "team.member_role_changed", "team.member_added"]);
      const targets = log.events.rows.map((e) => e.targetId);
      expect(targets).not.toContain(keys.theirs.id);
      expect(targets).not.toContain(keys.personal.id);
      expect(log.events.total).toBe(6);
      expect(log.membership.role).toBe(role);
      expect(log.members.map((m) => m.userId)).toContain(people.viewer.id);
    }
  });

  it("filters by action and by who did it", async () => {
    const { people, team, keys } = await world();
    const owner = { userId: people.owner.id };
    const rotated = await readTeamAuditLog(handle.db, owner, team.slug, { action: "api_key.rotated" });
    expect(rotated.events.rows.map((e) => e.targetId)).toEqual([keys.busy.id]);
    const byAdmin = await readTeamAuditLog(handle.db, owner, team.slug, { actor: people.admin.email });
    expect(byAdmin.events.rows.map((e) => e.action)).toEqual(["api_key.created", "team.member_role_changed"]);
    // An action that is not a team's falls back to every action, like any unknown filter value.
    expect((await readTeamAuditLog(handle.db, owner, team.slug, { action: "user.signed_in" })).events.total).toBe(6);
  });

  it("tells developers and viewers it is for owners and admins; a non-member, a bad address and an unknown team learn nothing", async () => {
    const { people, team } = await world();
    expect(await refusal(readTeamAuditLog(handle.db, { userId: people.developer.id }, team.slug, {}))).toBe("team_audit_admins_only");
    expect(await refusal(readTeamAuditLog(handle.db, { userId: people.viewer.id }, team.slug, {}))).toBe("team_audit_admins_only");
    expect(await refusal(readTeamAuditLog(handle.db, { userId: people.outsider.id }, team.slug, {}))).toBe("team_not_found");
    expect(await refusal(readTeamAuditLog(handle.db, { userId: people.owner.id }, "Not A Slug", {}))).toBe("team_not_found");
    expect(await refusal(readTeamAuditLog(handle.db, { userId: people.owner.id }, "no-such-team-here", {}))).toBe("team_not_found");
  });
});

describe(`team usage overview (${TEST_DRIVER})`, () => {
  it("sums the team's keys by day, ranks its busiest keys, counts keys never used; other teams' and personal usage stay out", async () => {
    const { people, team, keys } = await world();
    const [today, yesterday] = lastUtcDays(2, new Date()).reverse();
    await addUsage(handle.db, keys.busy.id, today!, 7, 2);
    await addUsage(handle.db, keys.busy.id, yesterday!, 3, 0);
    await addUsage(handle.db, keys.quiet.id, today!, 1, 1);
    await addUsage(handle.db, keys.theirs.id, today!, 100, 0);
    await addUsage(handle.db, keys.personal.id, today!, 50, 0);
    await handle.db.execute(`update api_keys set last_used_at = now() where id in ('${keys.busy.id}', '${keys.quiet.id}')`);
    for (const role of ROLES) {
      const usage = await readTeamUsage(handle.db, { userId: people[role].id }, team.slug);
      expect(usage.byDay).toEqual([
        { day: today, success: 8, failure: 3 },
        { day: yesterday, success: 3, failure: 0 },
      ]);
      expect(usage.busiest).toEqual([
        { id: keys.busy.id, name: "busy", success: 10, failure: 2 },
        { id: keys.quiet.id, name: "quiet", success: 1, failure: 1 },
      ]);
      expect(usage.keys).toBe(3);
      expect(usage.unused).toBe(1);
      expect(usage.unusedRows.map((k) => k.id)).toEqual([keys.idle.id]);
    }
  });

  it("counts nothing older than the window, and tells a non-member nothing", async () => {
    const { people, team, keys } = await world();
    const old = new Date(Date.now() - 40 * DAY_MS).toISOString().slice(0, 10);
    await addUsage(handle.db, keys.busy.id, old, 5, 5);
    const usage = await readTeamUsage(handle.db, { userId: people.viewer.id }, team.slug);
    expect(usage.byDay).toEqual([]);
    expect(usage.busiest).toEqual([]);
    expect(await refusal(readTeamUsage(handle.db, { userId: people.outsider.id }, team.slug))).toBe("team_not_found");
  });
});

describe(`a team key's page (${TEST_DRIVER})`, () => {
  it("shows every member the key, its rotations, its usage and who created it", async () => {
    const { people, team, keys } = await world();
    await addUsage(handle.db, keys.busy.id, lastUtcDays(1, new Date())[0]!, 4, 1);
    for (const role of ROLES) {
      const details = await getKeyDetails(handle.db, readerActor(people[role].id, { id: team.id }), keys.busy.id);
      expect(details.key.name).toBe("busy");
      expect(details.rotations).toHaveLength(1);
      expect(details.usage.map((u) => [u.success, u.failure])).toEqual([[4, 1]]);
      expect(details.createdBy).toEqual({ id: people.developer.id, name: people.developer.name, email: people.developer.email });
    }
  });

  it("answers key not found for another team's key, a personal key, a non-member, or a team key read as a personal one", async () => {
    const { people, team, keys } = await world();
    const asTeam = readerActor(people.owner.id, { id: team.id });
    expect(await refusal(getKeyDetails(handle.db, asTeam, keys.theirs.id))).toBe("key_not_found");
    expect(await refusal(getKeyDetails(handle.db, asTeam, keys.personal.id))).toBe("key_not_found");
    expect(await refusal(getKeyDetails(handle.db, asTeam, "not-a-uuid"))).toBe("key_not_found");
    expect(await refusal(getKeyDetails(handle.db, readerActor(people.outsider.id, { id: team.id }), keys.busy.id))).toBe("key_not_found");
    expect(await refusal(getKeyDetails(handle.db, readerActor(people.developer.id), keys.busy.id))).toBe("key_not_found");
    const mine = await getKeyDetails(handle.db, readerActor(people.owner.id), keys.personal.id);
    expect(mine.key.name).toBe("mine");
    expect(mine.createdBy).toBeUndefined();
  });
});
