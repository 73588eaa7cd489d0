import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbHandle } from "@/db/client";
import { auditEvents, users } from "@/db/schema";
import { generateKey } from "@/lib/keys/format";
import { scopesFor } from "@/lib/scopes";
import { DAY_MS } from "@/lib/time";
import { auditFilters } from "@/lib/validation/admin.schema";
import { TEST_DRIVER, openTestDb } from "@/test/db";
import { CONTEXT, PEPPER, makeUser } from "@/test/fixtures";
import { adminRevokeKeys } from "./admin-keys";
import { setUserRole } from "./admin-users";
import { createApiKey } from "./api-keys";
import { recordAudit, recordSignInFailure } from "./audit";
import { exportAudit, listActivity, listAudit } from "./audit-log";
import { revokeLeakedKeys } from "./rotations";

let handle: DbHandle;
beforeAll(async () => {
  handle = await openTestDb();
});
afterAll(async () => {
  await handle?.close();
});

const newKey = async (userId: string, name: string) =>
  createApiKey(handle.db, userId, { name, description: null, access: "read_only", scopes: scopesFor("read_only"), expiresAt: null }, CONTEXT, PEPPER);

describe(`audit log (${TEST_DRIVER})`, () => {
  it("filters by exact actor (email or id), target, action and date range", async () => {
    const db = handle.db;
    const alice = await makeUser(db, { email: "alice@audit.test" });
    const malice = await makeUser(db, { email: "malice@audit.test" });
    const { key } = await newKey(alice.id, "audited");
    await newKey(malice.id, "other");
    const actions = async (raw: Record<string, string>) => (await listAudit(db, auditFilters.parse(raw))).rows.map((r) => r.action);

    expect(await actions({ actor: "alice@audit.test" })).toEqual(["api_key.created", "user.signed_up"]);
    expect(await actions({ actor: "ALICE@audit.test" })).toEqual(["api_key.created", "user.signed_up"]);
    expect(await actions({ actor: alice.id })).toEqual(["api_key.created", "user.signed_up"]);
    expect(await actions({ actor: "alice@" })).toEqual([]); // exact, not a substring (malice@ must not match)
    expect(await actions({ target: key.id })).toEqual(["api_key.created"]);
    expect(await actions({ target: key.id, action: "api_key.deleted" })).toEqual([]);

    const today = new Date().toISOString().slice(0, 10);
    const yesterday = new Date(Date.now() - DAY_MS).toISOString().slice(0, 10);
    expect(await actions({ actor: alice.id, from: today, to: today })).toHaveLength(2);
    expect(await actions({ actor: alice.id, to: yesterday })).toEqual([]);
    expect(await actions({ actor: alice.id, from: new Date(Date.now() + 2 * DAY_MS).toISOString().slice(0, 10) })).toEqual([]);
    const { rows } = await listAudit(db, auditFilters.parse({ actor: alice.id, action: "api_key.created" }));
    expect(rows[0]).toMatchObject({ actorEmail: "alice@audit.test", targetType: "api_key", ip: CONTEXT.ip, userAgent: CONTEXT.userAgent });
  });

  it("pages newest first and exports every matching event in keyset batches, ties included", async () => {
    const db = handle.db;
    const actor = await makeUser(db);
    // 25 events in one microsecond: only the id can order them.
    for (let i = 0; i < 25; i++) {
      await db.execute(sql`insert into audit_events (actor_id, action, metadata, created_at) values (${actor.id}, 'user.profile_updated', ${JSON.stringify({ i })}::jsonb, '2026-03-01T00:00:00.000001Z')`);
    }
    const f = auditFilters.parse({ actor: actor.id, action: "user.profile_updated" });
    const p1 = await listAudit(db, f, 10);
    expect(p1).toMatchObject({ total: 25, totalIsExact: true, hasNext: true });
    const p3 = await listAudit(db, { ...f, page: 3 }, 10);
    expect(p3).toMatchObject({ hasNext: false });
    expect(p3.rows).toHaveLength(5);
    const exported = [];
    for await (const batch of exportAudit(db, f, 4)) exported.push(...batch);
    const paged = [...p1.rows, ...(await listAudit(db, { ...f, page: 2 }, 10)).rows, ...p3.rows];
    expect(exported.map((r) => r.id)).toEqual(paged.map((r) => r.id));
    expect(new Set(exported.map((r) => r.id)).size).toBe(25);
  });

  it("keeps the log append-only, even against direct SQL", async () => {
    const db = handle.db;
    const user = await makeUser(db);
    expect((await listAudit(db, auditFilters.parse({ actor: user.id }))).rows.map((r) => r.action)).toEqual(["user.signed_up"]);
    await expect(db.execute(sql`delete from audit_events where actor_id = ${user.id}`)).rejects.toThrow();
    await expect(db.execute(sql`update audit_events set action = 'x' where actor_id = ${user.id}`)).rejects.toThrow();
    await expect(db.execute(sql`truncate audit_events`)).rejects.toThrow();
    // Nor can anyone erase who did something while that user still exists.
    await expect(db.execute(sql`update audit_events set actor_id = null where actor_id = ${user.id}`)).rejects.toThrow();
    // Deleting a user keeps their events (actor becomes unknown): the one update the log allows.
    await db.delete(users).where(eq(users.id, user.id));
    const [event] = await db.select().from(auditEvents).where(eq(auditEvents.targetId, user.id));
    expect(event).toMatchObject({ action: "user.signed_up", actorId: null });
  });
});

describe(`activity (${TEST_DRIVER})`, () => {
  it("shows a user what they did and what others did to them or their keys, and nothing of anyone else", async () => {
    const db = handle.db;
    const [firstAdmin] = await db.select().from(users).where(eq(users.role, "admin")).limit(1);
    const admin = firstAdmin ?? (await makeUser(db));
    const owner = await makeUser(db);
    const stranger = await makeUser(db);
    const revokedByAdmin = await newKey(owner.id, "revoked by admin");
    const leaked = await newKey(owner.id, "leaked");
    const strangersKey = await newKey(stranger.id, "stranger's");
    await adminRevokeKeys(db, admin.id, [revokedByAdmin.key.id, strangersKey.key.id], "rotation drill", CONTEXT, { mail: false });
    await revokeLeakedKeys(db, [leaked.secret, generateKey()], PEPPER, CONTEXT, "test", { mail: false });
    await setUserRole(db, admin.id, owner.id, "admin", CONTEXT);
    await recordSignInFailure(db, { email: owner.email, userId: owner.id }, CONTEXT);
    await recordSignInFailure(db, { email: stranger.email, userId: stranger.id }, CONTEXT);
    await recordAudit(db, { actorId: stranger.id, action: "user.profile_updated", targetType: "user", targetId: stranger.id, context: CONTEXT });

    const { rows, total } = await listActivity(db, owner.id, 1);
    const seen = rows.map((r) => `${r.action}:${r.actorId === owner.id ? "me" : r.actorId === admin.id ? "admin" : r.actorId ?? "nobody"}`);
    expect(seen.sort()).toEqual(
      [
        "api_key.admin_revoked:admin",
        "api_key.created:me",
        "api_key.created:me",
        "api_key.reported_leaked:nobody",
        "user.role_changed:admin",
        "user.sign_in_failed:nobody",
        "user.signed_up:me",
      ].sort(),
    );
    expect(total).toBe(7);
    expect(JSON.stringify(rows)).not.toContain(strangersKey.key.id);
    expect(JSON.stringify(rows)).not.toContain(stranger.email);
  });
});
