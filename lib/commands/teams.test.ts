import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbHandle } from "@/db/client";
import { listTeamMembers } from "@/db/queries/team-members";
import { membershipOf } from "@/db/queries/teams";
import { apiKeys, auditEvents, teamMembers, users } from "@/db/schema";
import { AppError } from "@/lib/errors";
import type { TeamRole } from "@/lib/teams/roles";
import { openTestDb } from "@/test/db";
import { CONTEXT, makeUser, refusal } from "@/test/fixtures";
import type { Actor } from "./actor";
import { deleteAccount, suspendAccount } from "./accounts";
import { createKey } from "./keys";
import { addMember, changeRole, createTeam, deleteTeam, leaveTeam, removeMember, renameTeam, transferOwnership } from "./teams";

// Teams and members: who may change whom (lib/teams/roles.ts), always one owner (lockTeamOwners),
// a non-member learns nothing (team_not_found), each change audited. Checklist: authorization.

let handle: DbHandle;
let n = 0;
type U = { id: string; email: string };
/** The instance's first account (an admin): only deletes and suspends accounts below. */
let instanceAdmin: U;

beforeAll(async () => {
  handle = await openTestDb();
  instanceAdmin = await makeUser(handle.db);
});
afterAll(async () => {
  await handle?.close();
});

const db = () => handle.db;
const as = (u: U): Actor => ({ userId: u.id, context: CONTEXT, clockOffsetMs: 0, authenticatedAt: new Date() });
const slugOf = () => `team-${++n}-${Math.random().toString(36).slice(2, 8)}`;

/** A team with an owner and one member per other role given. */
async function team(roles: TeamRole[] = []) {
  const owner = await makeUser(db());
  const slug = slugOf();
  await createTeam(db(), as(owner), { name: `Team ${slug}`, slug });
  const members: U[] = [];
  for (const role of roles) {
    const u = await makeUser(db());
    await addMember(db(), as(owner), slug, { email: u.email, role });
    members.push(u);
  }
  return { owner, slug, members };
}
const roleOf = async (slug: string, u: U) => (await membershipOf(db(), slug, u.id))?.role ?? null;

describe("creating a team", () => {
  it("makes the creator its owner and audits it", async () => {
    const u = await makeUser(db());
    const slug = slugOf();
    const made = await createTeam(db(), as(u), { name: "  Platform  ", slug });
    expect(made).toMatchObject({ slug, name: "Platform" });
    expect(await roleOf(slug, u)).toBe("owner");
    const [audit] = await db().select().from(auditEvents).where(and(eq(auditEvents.action, "team.created"), eq(auditEvents.targetId, made.id)));
    expect(audit).toMatchObject({ actorId: u.id, targetType: "team", metadata: { team: "Platform", slug } });
  });

  it("refuses a taken slug with team_slug_taken, and bad slugs and names as validation", async () => {
    const { slug } = await team();
    const u = await makeUser(db());
    expect(await refusal(createTeam(db(), as(u), { name: "Other", slug }))).toBe("team_slug_taken");
    for (const bad of ["a", "-ab", "ab-", "Ab", "a_b", "a".repeat(41), "ab cd", "é1"]) {
      expect(await refusal(createTeam(db(), as(u), { name: "X", slug: bad })), bad).toBe("validation_failed");
    }
    for (const bad of ["", "   ", "x".repeat(101), "a\u202eb", "\u200b"]) {
      expect(await refusal(createTeam(db(), as(u), { name: bad, slug: slugOf() })), JSON.stringify(bad)).toBe("validation_failed");
    }
    expect(await createTeam(db(), as(u), { name: "x".repeat(100), slug: "a".repeat(40) })).toMatchObject({ slug: "a".repeat(40) });
  });

  it("frees the slug when the team is deleted", async () => {
    const { owner, slug } = await team();
    await deleteTeam(db(), as(owner), slug, { confirmSlug: slug });
    const u = await makeUser(db());
    await expect(createTeam(db(), as(u), { name: "Again", slug })).resolves.toMatchObject({ slug });
  });

  it("refuses a suspended account, and any API key", async () => {
    const u = await makeUser(db());
    expect(await refusal(createTeam(db(), { ...as(u), key: { id: "k", scopes: [], expiresAt: null } as never }, { name: "X", slug: slugOf() }))).toBe("not_found");
    await db().update(users).set({ suspendedAt: new Date() }).where(eq(users.id, u.id));
    expect(await refusal(createTeam(db(), as(u), { name: "X", slug: slugOf() }))).toBe("session_expired");
  });
});

describe("adding members", () => {
  it("adds an existing account with the chosen role; twice is team_member_exists", async () => {
    const { owner, slug } = await team();
    const u = await makeUser(db());
    await addMember(db(), as(owner), slug, { email: `  ${u.email.toUpperCase()} `, role: "developer" });
    expect(await roleOf(slug, u)).toBe("developer");
    expect(await refusal(addMember(db(), as(owner), slug, { email: u.email, role: "viewer" }))).toBe("team_member_exists");
  });

  it("refuses an address with no account (no invitation is made), and a suspended account", async () => {
    const { owner, slug } = await team();
    expect(await refusal(addMember(db(), as(owner), slug, { email: "nobody@example.test", role: "viewer" }))).toBe("team_member_no_account");
    const s = await makeUser(db());
    await db().update(users).set({ suspendedAt: new Date() }).where(eq(users.id, s.id));
    expect(await refusal(addMember(db(), as(owner), slug, { email: s.email, role: "viewer" }))).toBe("team_member_no_account");
  });

  it("an admin adds admins, developers and viewers but not owners; developers and viewers add nobody", async () => {
    const { slug, members } = await team(["admin", "developer", "viewer"]);
    const [admin, dev, viewer] = members as [U, U, U];
    for (const role of ["admin", "developer", "viewer"] as const) {
      const u = await makeUser(db());
      await addMember(db(), as(admin), slug, { email: u.email, role });
      expect(await roleOf(slug, u)).toBe(role);
    }
    const u = await makeUser(db());
    expect(await refusal(addMember(db(), as(admin), slug, { email: u.email, role: "owner" }))).toBe("team_role_not_allowed");
    expect(await refusal(addMember(db(), as(dev), slug, { email: u.email, role: "viewer" }))).toBe("team_role_not_allowed");
    expect(await refusal(addMember(db(), as(viewer), slug, { email: u.email, role: "viewer" }))).toBe("team_role_not_allowed");
    expect(await refusal(addMember(db(), as(admin), slug, { email: u.email, role: "boss" }))).toBe("validation_failed");
  });
});

describe("changing roles and removing", () => {
  it("an owner changes anyone else's role, including to and from owner", async () => {
    const { owner, slug, members } = await team(["viewer", "admin"]);
    const [v, a] = members as [U, U];
    await changeRole(db(), as(owner), slug, { userId: v.id, role: "owner" });
    expect(await roleOf(slug, v)).toBe("owner");
    await changeRole(db(), as(owner), slug, { userId: v.id, role: "developer" });
    expect(await roleOf(slug, v)).toBe("developer");
    await changeRole(db(), as(owner), slug, { userId: a.id, role: "viewer" });
    expect(await roleOf(slug, a)).toBe("viewer");
    const events = await db().select().from(auditEvents).where(eq(auditEvents.action, "team.member_role_changed"));
    expect(events.some((e) => e.metadata.email === v.email && e.metadata.from === "owner" && e.metadata.to === "developer")).toBe(true);
  });

  it("an admin manages developers, viewers and other admins, never owners nor to owner", async () => {
    const { owner, slug, members } = await team(["admin", "admin", "developer"]);
    const [a, a2, d] = members as [U, U, U];
    await changeRole(db(), as(a), slug, { userId: d.id, role: "admin" });
    await changeRole(db(), as(a), slug, { userId: a2.id, role: "viewer" });
    expect(await refusal(changeRole(db(), as(a), slug, { userId: d.id, role: "owner" }))).toBe("team_role_not_allowed");
    expect(await refusal(changeRole(db(), as(a), slug, { userId: owner.id, role: "admin" }))).toBe("team_role_not_allowed");
    expect(await refusal(removeMember(db(), as(a), slug, { userId: owner.id }))).toBe("team_role_not_allowed");
    await removeMember(db(), as(a), slug, { userId: a2.id });
    expect(await roleOf(slug, a2)).toBeNull();
  });

  it("developers and viewers change nobody; nobody changes themselves here", async () => {
    const { owner, slug, members } = await team(["developer", "viewer"]);
    const [d, v] = members as [U, U];
    expect(await refusal(changeRole(db(), as(d), slug, { userId: v.id, role: "developer" }))).toBe("team_role_not_allowed");
    expect(await refusal(removeMember(db(), as(v), slug, { userId: d.id }))).toBe("team_role_not_allowed");
    expect(await refusal(renameTeam(db(), as(d), slug, { name: "Mine" }))).toBe("team_role_not_allowed");
    expect(await refusal(changeRole(db(), as(owner), slug, { userId: owner.id, role: "admin" }))).toBe("own_team_membership");
    expect(await refusal(removeMember(db(), as(owner), slug, { userId: owner.id }))).toBe("own_team_membership");
    expect(await refusal(changeRole(db(), as(owner), slug, { userId: "00000000-0000-4000-8000-000000000000", role: "admin" }))).toBe("team_member_not_found");
    expect(await refusal(changeRole(db(), as(owner), slug, { userId: "not-a-uuid", role: "admin" }))).toBe("validation_failed");
  });

  it("a removed member gets team_not_found for everything about the team", async () => {
    const { owner, slug, members } = await team(["admin"]);
    const [a] = members as [U];
    await removeMember(db(), as(owner), slug, { userId: a.id });
    const u = await makeUser(db());
    expect(await refusal(addMember(db(), as(a), slug, { email: u.email, role: "viewer" }))).toBe("team_not_found");
    expect(await refusal(renameTeam(db(), as(a), slug, { name: "x" }))).toBe("team_not_found");
    expect(await refusal(leaveTeam(db(), as(a), slug))).toBe("team_not_found");
    const [removed] = await db().select().from(auditEvents).where(and(eq(auditEvents.action, "team.member_removed"), eq(auditEvents.actorId, owner.id)));
    expect(removed?.metadata).toMatchObject({ email: a.email, role: "admin" });
  });
});

describe("a non-member, an unknown team, a deleted team", () => {
  it("answer team_not_found for every command, whatever the input", async () => {
    const { owner, slug, members } = await team(["viewer"]);
    const [v] = members as [U];
    const stranger = await makeUser(db());
    const s = as(stranger);
    const all = (who: Actor, where: string) => [
      () => renameTeam(db(), who, where, { name: "Mine" }),
      () => addMember(db(), who, where, { email: stranger.email, role: "owner" }),
      () => changeRole(db(), who, where, { userId: v.id, role: "owner" }),
      () => removeMember(db(), who, where, { userId: owner.id }),
      () => leaveTeam(db(), who, where),
      () => transferOwnership(db(), who, where, { userId: stranger.id }),
      () => deleteTeam(db(), who, where, { confirmSlug: where }),
    ];
    for (const p of all(s, slug)) expect(await refusal(p())).toBe("team_not_found");
    for (const p of all(as(owner), "no-such-team")) expect(await refusal(p())).toBe("team_not_found");
    for (const p of all(as(owner), "../../etc")) expect(await refusal(p())).toBe("team_not_found");
    await deleteTeam(db(), as(owner), slug, { confirmSlug: slug });
    for (const p of all(as(owner), slug)) expect(await refusal(p())).toBe("team_not_found");
  });
});

describe("a team always keeps an owner", () => {
  it("the only owner cannot leave; another member can", async () => {
    const { owner, slug, members } = await team(["viewer"]);
    const [v] = members as [U];
    expect(await refusal(leaveTeam(db(), as(owner), slug))).toBe("last_team_owner");
    await leaveTeam(db(), as(v), slug);
    expect(await roleOf(slug, v)).toBeNull();
    const [left] = await db().select().from(auditEvents).where(and(eq(auditEvents.action, "team.member_left"), eq(auditEvents.actorId, v.id)));
    expect(left?.metadata).toMatchObject({ role: "viewer", slug });
  });

  it("of two owners, one may leave or be demoted, the last not", async () => {
    const { owner, slug, members } = await team(["owner"]);
    const [o2] = members as [U];
    await changeRole(db(), as(owner), slug, { userId: o2.id, role: "admin" });
    expect(await refusal(leaveTeam(db(), as(owner), slug))).toBe("last_team_owner");
    await changeRole(db(), as(owner), slug, { userId: o2.id, role: "owner" });
    await leaveTeam(db(), as(owner), slug);
    expect(await roleOf(slug, o2)).toBe("owner");
  });

  it("transfer: an owner makes another member owner, stepping down to admin or not", async () => {
    const { owner, slug, members } = await team(["viewer", "developer"]);
    const [v, d] = members as [U, U];
    expect(await refusal(transferOwnership(db(), as(v), slug, { userId: d.id }))).toBe("team_role_not_allowed");
    await transferOwnership(db(), as(owner), slug, { userId: v.id, stepDown: true });
    expect(await roleOf(slug, v)).toBe("owner");
    expect(await roleOf(slug, owner)).toBe("admin");
    expect(await refusal(transferOwnership(db(), as(owner), slug, { userId: d.id }))).toBe("team_role_not_allowed");
    await transferOwnership(db(), as(v), slug, { userId: d.id });
    expect(await roleOf(slug, v)).toBe("owner");
    expect(await roleOf(slug, d)).toBe("owner");
    expect(await refusal(transferOwnership(db(), as(v), slug, { userId: v.id, stepDown: true }))).toBe("own_team_membership");
    const [t] = await db().select().from(auditEvents).where(and(eq(auditEvents.action, "team.ownership_transferred"), eq(auditEvents.actorId, owner.id)));
    expect(t?.metadata).toMatchObject({ email: v.email, steppedDown: true });
  });

  it("two owners demoting each other at the same time leave one owner (two transactions)", async () => {
    for (let round = 0; round < 3; round++) {
      const { owner, slug, members } = await team(["owner"]);
      const [o2] = members as [U];
      const results = await Promise.allSettled([
        changeRole(db(), as(owner), slug, { userId: o2.id, role: "admin" }),
        changeRole(db(), as(o2), slug, { userId: owner.id, role: "admin" }),
      ]);
      const fulfilled = results.filter((r) => r.status === "fulfilled");
      expect(fulfilled).toHaveLength(1);
      const rejected = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
      // The second, judged after the first committed, is an admin now: it may not touch an owner.
      expect((rejected.reason as AppError).code).toBe("team_role_not_allowed");
      const teamId = (await membershipOf(db(), slug, owner.id))!.team.id;
      const list = await listTeamMembers(db(), teamId);
      expect(list.filter((m) => m.role === "owner")).toHaveLength(1);
    }
  });

  it("two owners leaving at the same time: one stays", async () => {
    const { owner, slug, members } = await team(["owner"]);
    const [o2] = members as [U];
    const results = await Promise.allSettled([leaveTeam(db(), as(owner), slug), leaveTeam(db(), as(o2), slug)]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(((results.find((r) => r.status === "rejected") as PromiseRejectedResult).reason as AppError).code).toBe("last_team_owner");
    const rows = await db().select().from(teamMembers).where(eq(teamMembers.role, "owner"));
    const remaining = [owner.id, o2.id].filter((id) => rows.some((r) => r.userId === id));
    expect(remaining).toHaveLength(1);
  });
});

describe("the last owner's account is deleted", () => {
  it("passes the team to its longest-standing active admin, else developer, else viewer, audited; a team with another owner is untouched", async () => {
    // Admins: the earlier one takes over, even though a developer joined before both.
    const a = await team(["developer", "admin", "admin"]);
    const [dev, firstAdmin, secondAdmin] = a.members as [U, U, U];
    // No admin: the developer (the suspended one is passed over), not the viewer who joined first.
    const b = await team(["viewer", "developer", "developer"]);
    const [viewer, suspended, activeDev] = b.members as [U, U, U];
    await suspendAccount(db(), as(instanceAdmin), suspended.id);
    // The same owner in a team with a second owner: nothing to hand over.
    const c = await team(["owner"]);
    // Alice owns all three (added to b and c as owner by their owners) and is then the last owner of a and b.
    const alice = a.owner;
    await addMember(db(), as(b.owner), b.slug, { email: alice.email, role: "owner" });
    await leaveTeam(db(), as(b.owner), b.slug);
    await addMember(db(), as(c.owner), c.slug, { email: alice.email, role: "owner" });
    const key = await createKey(db(), { ...as(firstAdmin), team: { id: (await membershipOf(db(), a.slug, firstAdmin.id))!.team.id } }, { name: "deploy", scopes: ["keys:read"], expiresAt: null });

    const result = await deleteAccount(db(), as(instanceAdmin), alice.id);
    expect(result.teamsHandedOver).toBe(2);
    expect(await roleOf(a.slug, firstAdmin)).toBe("owner");
    expect(await roleOf(a.slug, secondAdmin)).toBe("admin");
    expect(await roleOf(a.slug, dev)).toBe("developer");
    expect(await roleOf(b.slug, activeDev)).toBe("owner");
    expect(await roleOf(b.slug, suspended)).toBe("developer");
    expect(await roleOf(b.slug, viewer)).toBe("viewer");
    expect(await roleOf(c.slug, c.owner)).toBe("owner");
    // The team key made by the new owner, like every team key, is untouched by the deletion.
    const [row] = await db().select().from(apiKeys).where(eq(apiKeys.id, key.key.id));
    expect(row?.revokedAt).toBeNull();
    const events = await db().select().from(auditEvents).where(and(eq(auditEvents.action, "team.ownership_transferred"), eq(auditEvents.actorId, instanceAdmin.id)));
    expect(events.map((e) => e.metadata).sort((x, y) => String(x.slug).localeCompare(String(y.slug)))).toEqual(
      [
        { team: `Team ${a.slug}`, slug: a.slug, userId: firstAdmin.id, email: firstAdmin.email, from: "admin", steppedDown: false, reason: "account deleted" },
        { team: `Team ${b.slug}`, slug: b.slug, userId: activeDev.id, email: activeDev.email, from: "developer", steppedDown: false, reason: "account deleted" },
      ].sort((x, y) => x.slug.localeCompare(y.slug)),
    );
    // The new owners can do what owners do: the team is not stuck.
    await changeRole(db(), as(firstAdmin), a.slug, { userId: secondAdmin.id, role: "owner" });
    expect(await roleOf(a.slug, secondAdmin)).toBe("owner");
  });

  it("a team with nobody else in it keeps no owner, and the deletion still goes through", async () => {
    const { owner, slug } = await team();
    const teamId = (await membershipOf(db(), slug, owner.id))!.team.id;
    const result = await deleteAccount(db(), as(instanceAdmin), owner.id);
    expect(result.teamsHandedOver).toBe(0);
    expect(await listTeamMembers(db(), teamId)).toEqual([]);
  });
});

describe("renaming and deleting", () => {
  it("admins rename; the slug stays", async () => {
    const { slug, members } = await team(["admin"]);
    const [a] = members as [U];
    const renamed = await renameTeam(db(), as(a), slug, { name: "Renamed <b>team</b>" });
    expect(renamed).toMatchObject({ slug, name: "Renamed <b>team</b>" });
  });

  it("only an owner deletes, typing the slug", async () => {
    const { owner, slug, members } = await team(["admin"]);
    const [a] = members as [U];
    expect(await refusal(deleteTeam(db(), as(a), slug, { confirmSlug: slug }))).toBe("team_role_not_allowed");
    expect(await refusal(deleteTeam(db(), as(owner), slug, { confirmSlug: "wrong" }))).toBe("team_slug_mismatch");
    const theTeam = (await membershipOf(db(), slug, owner.id))!.team;
    const made = await createKey(db(), { ...as(a), team: { id: theTeam.id } }, { name: "ci", scopes: ["keys:read"] });
    await deleteTeam(db(), as(owner), slug, { confirmSlug: slug });
    expect(await membershipOf(db(), slug, owner.id)).toBeNull();
    expect(await membershipOf(db(), slug, a.id)).toBeNull();
    // Its keys are revoked with it, in the same transaction (lists and exports say so, not only the lookup).
    const [key] = await db().select({ revokedAt: apiKeys.revokedAt, reason: apiKeys.revokedReason }).from(apiKeys).where(eq(apiKeys.id, made.key.id));
    expect(key!.revokedAt).not.toBeNull();
    expect(key!.reason).toBe("team deleted");
    const [audit] = await db().select().from(auditEvents).where(and(eq(auditEvents.action, "team.deleted"), eq(auditEvents.targetId, theTeam.id)));
    expect(audit!.metadata).toMatchObject({ keysRevoked: 1 });
  });
});
