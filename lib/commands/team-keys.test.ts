import { randomBytes } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbHandle } from "@/db/client";
import { apiKeys, auditEvents, teamMembers, teams, users } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { ALL_SCOPES } from "@/lib/scopes";
import type { TeamRole } from "@/lib/teams/roles";
import { DAY_MS } from "@/lib/time";
import { TEST_DRIVER, openTestDb } from "@/test/db";
import { CONTEXT, makeTeam, makeUser, refusal } from "@/test/fixtures";
import type { Actor, KeyActor } from "./actor";
import { actingForTeam, createKey, deleteKey, getKey, listKeys, reportLeakedKeys, revokeKey, rotateKey, updateKey } from "./keys";

// Team keys through the key commands: each team role (and a non-member) from a dashboard session
// acting for the team, a team key acting through the API, and a team key outliving its creator.

let handle: DbHandle;
beforeAll(async () => {
  process.env.AUTH_SECRET ??= randomBytes(32).toString("base64url");
  process.env.KEY_PEPPER ??= randomBytes(32).toString("base64url");
  handle = await openTestDb();
});
afterAll(async () => {
  await handle?.close();
});

const days = (n: number) => new Date(Date.now() + n * DAY_MS);

const ROLES: TeamRole[] = ["owner", "admin", "developer", "viewer"];

/** A team with one member per role, plus an outsider; each person's session, for the team and for themselves. */
async function world() {
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
  return { people, team, personal, forTeam };
}

const auditFor = async (keyId: string) =>
  (await handle.db.select().from(auditEvents).where(eq(auditEvents.targetId, keyId))).map((e) => ({ action: e.action, actorId: e.actorId, metadata: e.metadata }));

describe(`team key commands (${TEST_DRIVER})`, () => {
  it.each(["owner", "admin", "developer"] as const)("a team %s creates, lists, edits, rotates, revokes and deletes team keys; the creator is recorded, every change audited with the team", async (role) => {
    const { people, team, forTeam } = await world();
    const actor = forTeam(role);
    const { key, secret } = await createKey(handle.db, actor, { name: `deploy-${role}`, scopes: ["keys:read"], expiresAt: days(10) });
    expect(secret).toMatch(/^ksk_/);
    const [row] = await handle.db.select({ userId: apiKeys.userId, teamId: apiKeys.teamId, createdBy: apiKeys.createdBy }).from(apiKeys).where(eq(apiKeys.id, key.id));
    expect(row).toEqual({ userId: null, teamId: team.id, createdBy: people[role].id });
    expect((await listKeys(handle.db, actor)).map((k) => k.id)).toEqual([key.id]);
    expect((await getKey(handle.db, actor, key.id)).name).toBe(`deploy-${role}`);
    await updateKey(handle.db, actor, key.id, { name: `renamed-${role}` });
    const rotated = await rotateKey(handle.db, actor, key.id, "none");
    expect(rotated.secret).not.toBe(secret);
    await revokeKey(handle.db, actor, key.id);
    await deleteKey(handle.db, actor, key.id);
    expect(await listKeys(handle.db, actor)).toEqual([]);
    const audit = await auditFor(key.id);
    expect(audit.map((e) => e.action).sort()).toEqual(["api_key.created", "api_key.deleted", "api_key.renamed", "api_key.revoked", "api_key.rotated"]);
    for (const event of audit) {
      expect(event.actorId).toBe(people[role].id);
      expect(event.metadata).toMatchObject({ teamId: team.id });
    }
  });

  it("a viewer sees the team's keys and changes nothing", async () => {
    const { team, forTeam } = await world();
    const { key } = await createKey(handle.db, forTeam("developer"), { name: "seen", scopes: ["keys:read"] });
    const viewer = forTeam("viewer");
    expect((await listKeys(handle.db, viewer)).map((k) => k.id)).toEqual([key.id]);
    expect((await getKey(handle.db, viewer, key.id)).id).toBe(key.id);
    expect(await refusal(createKey(handle.db, viewer, { name: "nope", scopes: ["keys:read"] }))).toBe("team_keys_read_only");
    expect(await refusal(updateKey(handle.db, viewer, key.id, { name: "nope" }))).toBe("team_keys_read_only");
    expect(await refusal(rotateKey(handle.db, viewer, key.id, "none"))).toBe("team_keys_read_only");
    expect(await refusal(revokeKey(handle.db, viewer, key.id))).toBe("team_keys_read_only");
    expect(await refusal(deleteKey(handle.db, viewer, key.id))).toBe("team_keys_read_only");
    const rows = await handle.db.select().from(apiKeys).where(eq(apiKeys.teamId, team.id));
    expect(rows.map((r) => [r.name, r.revokedAt, r.deletedAt])).toEqual([["seen", null, null]]);
    expect((await auditFor(key.id)).map((e) => e.action)).toEqual(["api_key.created"]);
  });

  it("a non-member, and a member of a deleted team, learn nothing: not found for every command, reads included", async () => {
    const { team, forTeam } = await world();
    const { key } = await createKey(handle.db, forTeam("admin"), { name: "hidden", scopes: ["keys:read"] });
    const outsider = forTeam("outsider");
    for (const attempt of [
      () => listKeys(handle.db, outsider),
      () => getKey(handle.db, outsider, key.id),
      () => createKey(handle.db, outsider, { name: "x", scopes: ["keys:read"] }),
      () => updateKey(handle.db, outsider, key.id, { name: "x" }),
      () => rotateKey(handle.db, outsider, key.id, "none"),
      () => revokeKey(handle.db, outsider, key.id),
      () => deleteKey(handle.db, outsider, key.id),
    ]) {
      expect(await refusal(attempt())).toBe("key_not_found");
    }
    await handle.db.update(teams).set({ deletedAt: new Date() }).where(eq(teams.id, team.id));
    expect(await refusal(listKeys(handle.db, forTeam("owner")))).toBe("key_not_found");
    expect(await refusal(revokeKey(handle.db, forTeam("owner"), key.id))).toBe("key_not_found");
  });

  it("personal and team keys never meet: a person's own list, reads and changes never reach a team key they created", async () => {
    const { forTeam, personal } = await world();
    const { key: teamKey } = await createKey(handle.db, forTeam("developer"), { name: "shared name", scopes: ["keys:read"] });
    // The same name as a personal key is fine: names are unique per owner.
    const { key: mine } = await createKey(handle.db, personal("developer"), { name: "shared name", scopes: ["keys:read"] });
    expect((await listKeys(handle.db, personal("developer"))).map((k) => k.id)).toEqual([mine.id]);
    expect((await listKeys(handle.db, forTeam("developer"))).map((k) => k.id)).toEqual([teamKey.id]);
    const me = personal("developer");
    for (const attempt of [() => getKey(handle.db, me, teamKey.id), () => revokeKey(handle.db, me, teamKey.id), () => deleteKey(handle.db, me, teamKey.id)]) {
      expect(await refusal(attempt())).toBe("key_not_found");
    }
    expect(await refusal(getKey(handle.db, forTeam("developer"), mine.id))).toBe("key_not_found");
    // A team's names are unique among its live keys.
    expect(await refusal(createKey(handle.db, forTeam("admin"), { name: "SHARED NAME", scopes: ["keys:read"] }))).toBe("key_name_taken");
  });

  it("a team key survives its creator's suspension and removal from the team: another admin still manages and rotates it", async () => {
    const { people, team, forTeam } = await world();
    const { key } = await createKey(handle.db, forTeam("developer"), { name: "integration", scopes: ["keys:read"] });
    await handle.db.update(users).set({ suspendedAt: new Date() }).where(eq(users.id, people.developer.id));
    // A suspended member acts for the team no more (their membership reads as none).
    expect(await refusal(revokeKey(handle.db, forTeam("developer"), key.id))).toBe("key_not_found");
    await handle.db.delete(teamMembers).where(and(eq(teamMembers.teamId, team.id), eq(teamMembers.userId, people.developer.id)));
    const rotated = await rotateKey(handle.db, forTeam("admin"), key.id, "1h");
    expect(rotated.key.revokedAt).toBeNull();
    const [row] = await handle.db.select({ createdBy: apiKeys.createdBy, revokedAt: apiKeys.revokedAt }).from(apiKeys).where(eq(apiKeys.id, key.id));
    expect(row).toEqual({ createdBy: people.developer.id, revokedAt: null });
  });

  it("a team key through the API manages its team's keys within its own scopes and lifetime, and nobody else's", async () => {
    const { team, forTeam, personal } = await world();
    const { key: apiKey } = await createKey(handle.db, forTeam("admin"), { name: "automation", scopes: ["keys:read", "keys:write"], expiresAt: days(5) });
    const { key: other } = await createKey(handle.db, forTeam("admin"), { name: "other", scopes: ["keys:read"], expiresAt: days(2) });
    const { key: personalKey } = await createKey(handle.db, personal("admin"), { name: "mine", scopes: ["keys:read"] });
    const viaKey: KeyActor = {
      userId: null,
      team: { id: team.id },
      context: CONTEXT,
      clockOffsetMs: 0,
      key: { id: apiKey.id, scopes: apiKey.scopes, expiresAt: apiKey.expiresAt, viaPreviousSecret: false },
    };
    expect((await listKeys(handle.db, viaKey)).map((k) => k.name).sort()).toEqual(["automation", "other"]);
    expect(await refusal(getKey(handle.db, viaKey, personalKey.id))).toBe("key_not_found");
    // No escalation: not beyond its own scopes, nor its own expiry.
    expect(await refusal(createKey(handle.db, viaKey, { name: "wider", scopes: ALL_SCOPES, expiresAt: days(1) }))).toBe("insufficient_scope");
    expect(await refusal(createKey(handle.db, viaKey, { name: "longer", scopes: ["keys:read"], expiresAt: days(30) }))).toBe("expiry_beyond_caller");
    const { key: made } = await createKey(handle.db, viaKey, { name: "made by key", scopes: ["keys:read"], expiresAt: days(1) });
    const [row] = await handle.db.select({ teamId: apiKeys.teamId, createdBy: apiKeys.createdBy }).from(apiKeys).where(eq(apiKeys.id, made.id));
    expect(row).toEqual({ teamId: team.id, createdBy: null });
    expect(await auditFor(made.id)).toEqual([
      { action: "api_key.created", actorId: null, metadata: expect.objectContaining({ teamId: team.id, via: "api_key", viaKeyId: apiKey.id }) },
    ]);
    await revokeKey(handle.db, viaKey, other.id);
    await handle.db.update(teams).set({ deletedAt: new Date() }).where(eq(teams.id, team.id));
    expect(await refusal(deleteKey(handle.db, viaKey, made.id))).toBe("key_not_found");
  });

  it.runIf(TEST_DRIVER !== "pglite")("judges the role as it is when the change commits: a developer demoted while their create waits is refused", async () => {
    const { people, team, forTeam } = await world();
    let pending: Promise<unknown> | undefined;
    await handle.db.transaction(async (tx) => {
      // The demotion holds the membership row; the create's locked read waits for it, then reads the new role.
      await tx.update(teamMembers).set({ role: "viewer" }).where(and(eq(teamMembers.teamId, team.id), eq(teamMembers.userId, people.developer.id)));
      pending = createKey(handle.db, forTeam("developer"), { name: "raced", scopes: ["keys:read"] }).then(
        () => "created",
        (e: unknown) => (e instanceof AppError ? e.code : String(e)),
      );
      await new Promise((resolve) => setTimeout(resolve, 300));
    });
    expect(await pending).toBe("team_keys_read_only");
    expect(await handle.db.select().from(apiKeys).where(eq(apiKeys.teamId, team.id))).toEqual([]);
  });

  it("a leak report of a team key's current or previous secret revokes it and names the team", async () => {
    const { team, forTeam } = await world();
    const { key, secret: first } = await createKey(handle.db, forTeam("admin"), { name: "leaky", scopes: ["keys:read"] });
    const { secret: second } = await rotateKey(handle.db, forTeam("admin"), key.id, "1h");
    expect(await reportLeakedKeys(handle.db, [first], CONTEXT, "test")).toBe(1);
    expect(await reportLeakedKeys(handle.db, [second], CONTEXT, "test")).toBe(1);
    const reports = (await auditFor(key.id)).filter((e) => e.action === "api_key.reported_leaked");
    expect(reports.map((e) => [e.metadata.secret, e.metadata.teamId]).sort()).toEqual([
      ["current secret", team.id],
      ["previous secret", team.id],
    ]);
  });
  it("actingForTeam: a member's session acts for the team at a slug; anyone else, an unknown, malformed or deleted team, and a key are told the team is not found", async () => {
    const { people, team, personal } = await world();
    for (const role of ROLES) expect(await actingForTeam(handle.db, personal(role), team.slug)).toMatchObject({ userId: people[role].id, team: { id: team.id } });
    // The page's role decides nothing: the viewer's change is refused inside the command's transaction.
    const viewer = await actingForTeam(handle.db, personal("viewer"), team.slug);
    expect(await refusal(createKey(handle.db, viewer, { name: "no", scopes: ["keys:read"] }))).toBe("team_keys_read_only");
    for (const slug of ["team-nobody-has", "../x", "", 42, null, { slug: team.slug }, team.slug.toUpperCase()]) {
      expect(await refusal(actingForTeam(handle.db, personal("owner"), slug))).toBe("team_not_found");
    }
    expect(await refusal(actingForTeam(handle.db, personal("outsider"), team.slug))).toBe("team_not_found");
    const key = { id: randomBytes(8).toString("hex"), scopes: [...ALL_SCOPES], expiresAt: null, secretIsCurrent: true };
    expect(await refusal(actingForTeam(handle.db, { ...personal("owner"), key } as unknown as Actor, team.slug))).toBe("team_not_found");
    await handle.db.update(teams).set({ deletedAt: new Date() }).where(eq(teams.id, team.id));
    expect(await refusal(actingForTeam(handle.db, personal("owner"), team.slug))).toBe("team_not_found");
  });
});
