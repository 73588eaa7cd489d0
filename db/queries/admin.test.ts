import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbHandle } from "@/db/client";
import { apiKeys, auditEvents, users } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { scopesFor } from "@/lib/scopes";
import { adminKeyFilters, auditFilters } from "@/lib/validation/admin.schema";
import { TEST_DRIVER, openTestDb } from "@/test/db";
import { CONTEXT, PEPPER, makeUser } from "@/test/fixtures";
import { adminRevokeKeys, keyOverview, listAllKeys, listAudit, setUserRole } from "./admin";
import { createApiKey, listApiKeys } from "./api-keys";

let handle: DbHandle;
beforeAll(async () => {
  handle = await openTestDb();
});
afterAll(async () => {
  await handle?.close();
});

const DAY = 86_400_000;
const filters = (raw: Record<string, string> = {}) => adminKeyFilters.parse(raw);

async function key(userId: string, name: string, extra: { scopes?: string[]; expiresAt?: Date | null } = {}) {
  return (
    await createApiKey(
      handle.db,
      userId,
      { name, description: null, access: "restricted", scopes: extra.scopes ?? scopesFor("read_only"), expiresAt: extra.expiresAt ?? null },
      CONTEXT,
      PEPPER,
    )
  ).key;
}

describe(`admin queries (${TEST_DRIVER})`, () => {
  it("lists every user's keys with search, status, scope and usage filters, sorting and paging", async () => {
    const db = handle.db;
    const alice = await makeUser(db, { email: "alice@corp.test" });
    const bob = await makeUser(db, { email: "bob@corp.test" });
    const soon = await key(alice.id, "alice soon", { expiresAt: new Date(Date.now() + 2 * DAY) });
    const writer = await key(alice.id, "alice writer", { scopes: ["keys:read", "keys:write"] });
    const old = await key(bob.id, "bob old");
    await db.update(apiKeys).set({ secretCreatedAt: sql`now() - interval '100 days'` }).where(eq(apiKeys.id, old.id));
    const used = await key(bob.id, "bob used_100%");
    await db.update(apiKeys).set({ lastUsedAt: sql`now()` }).where(eq(apiKeys.id, used.id));

    const names = async (raw: Record<string, string>) => (await listAllKeys(db, filters(raw), 90)).rows.map((r) => r.name).sort();
    expect((await listAllKeys(db, filters(), 90)).total).toBeGreaterThanOrEqual(4);
    expect(await names({ owner: "alice@" })).toEqual(["alice soon", "alice writer"]);
    expect(await names({ q: "bob" })).toEqual(["bob old", "bob used_100%"]);
    expect(await names({ q: "used_100%" })).toEqual(["bob used_100%"]);
    expect(await names({ q: "%" })).toEqual(["bob used_100%"]); // LIKE wildcards are literal
    expect(await names({ status: "expiring_soon", owner: "corp.test" })).toEqual(["alice soon"]);
    expect(await names({ status: "rotation_due", owner: "corp.test" })).toEqual(["bob old"]);
    expect(await names({ scope: "keys:write", owner: "corp.test" })).toEqual(["alice writer"]);
    expect(await names({ usage: "never", owner: "corp.test" })).toEqual(["alice soon", "alice writer", "bob old"]);
    expect(await names({ status: "bogus", owner: "corp.test" })).toHaveLength(4); // invalid filter ignored

    const byName = await listAllKeys(db, filters({ owner: "corp.test", sort: "name", dir: "asc" }), 90, 3);
    expect(byName.rows.map((r) => r.name)).toEqual(["alice soon", "alice writer", "bob old"]);
    expect(byName.total).toBe(4);
    const page2 = await listAllKeys(db, filters({ owner: "corp.test", sort: "name", dir: "asc", page: "2" }), 90, 3);
    expect(page2.rows.map((r) => r.name)).toEqual(["bob used_100%"]);
    expect(byName.rows[0]).not.toHaveProperty("keyHash");

    const overview = await keyOverview(db, 90);
    expect(overview.counts.expiringSoon).toBeGreaterThanOrEqual(1);
    expect(overview.counts.rotationDue).toBeGreaterThanOrEqual(1);
    void soon;
    void writer;
  });

  it("revokes selected keys of any user with a reason, once, each with an audit event", async () => {
    const db = handle.db;
    const admin = await makeUser(db);
    const owner = await makeUser(db);
    const a = await key(owner.id, "a");
    const b = await key(owner.id, "b");
    expect(await adminRevokeKeys(db, admin.id, [a.id, b.id], "Leaked in a public repo", CONTEXT)).toBe(2);
    expect(await adminRevokeKeys(db, admin.id, [a.id], "again", CONTEXT)).toBe(0);
    const mine = await listApiKeys(db, owner.id);
    expect(mine.map((k) => k.revokedReason)).toEqual(["by an administrator: Leaked in a public repo", "by an administrator: Leaked in a public repo"]);
    const events = await db.select().from(auditEvents).where(eq(auditEvents.action, "api_key.admin_revoked"));
    expect(events.filter((e) => e.actorId === admin.id).map((e) => e.targetId).sort()).toEqual([a.id, b.id].sort());
  });

  it("promotes and demotes, but never leaves zero admins", async () => {
    const db = handle.db;
    const [firstAdmin] = await db.select().from(users).where(eq(users.role, "admin")).limit(1);
    const member = await makeUser(db);
    await setUserRole(db, firstAdmin!.id, member.id, "admin", CONTEXT);
    await setUserRole(db, member.id, firstAdmin!.id, "member", CONTEXT);
    const admins = await db.select().from(users).where(eq(users.role, "admin"));
    for (const a of admins.slice(1)) await setUserRole(db, member.id, a.id, "member", CONTEXT).catch(() => undefined);
    const last = await setUserRole(db, member.id, member.id, "member", CONTEXT).catch((e: unknown) => e);
    expect((last as AppError).code).toBe("conflict:last_admin");
    const { rows } = await listAudit(db, auditFilters.parse({ action: "user.role_changed" }));
    expect(rows.length).toBeGreaterThanOrEqual(2);
    expect(rows[0]).toMatchObject({ action: "user.role_changed", ip: CONTEXT.ip });
  });

  it("keeps the audit log append-only, even against direct SQL", async () => {
    const db = handle.db;
    const user = await makeUser(db);
    const { rows } = await listAudit(db, auditFilters.parse({}), { actorOnly: user.id });
    expect(rows.map((r) => r.action)).toEqual(["user.signed_up"]);
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
