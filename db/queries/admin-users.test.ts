import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbHandle } from "@/db/client";
import { apiKeys, users } from "@/db/schema";
import { scopesFor } from "@/lib/scopes";
import { AppError } from "@/lib/errors";
import { DAY_MS } from "@/lib/time";
import { auditFilters, userFilters } from "@/lib/validation/admin.schema";
import { TEST_DRIVER, openTestDb } from "@/test/db";
import { CONTEXT, PEPPER, makeUser } from "@/test/fixtures";
import { listUsers, setUserRole } from "./admin-users";
import { createApiKey } from "./api-keys";
import { deleteApiKey, revokeApiKey } from "./key-revocation";
import { listAudit } from "./audit-log";

let handle: DbHandle;
beforeAll(async () => {
  handle = await openTestDb();
});
afterAll(async () => {
  await handle?.close();
});

describe(`admin users (${TEST_DRIVER})`, () => {
  it("promotes and demotes, but never leaves zero admins", async () => {
    const db = handle.db;
    const firstAdmin = (await db.select().from(users).where(eq(users.role, "admin")).limit(1))[0] ?? (await makeUser(db));
    const member = await makeUser(db);
    await setUserRole(db, firstAdmin.id, member.id, "admin", CONTEXT);
    await setUserRole(db, member.id, firstAdmin.id, "member", CONTEXT);
    const admins = await db.select().from(users).where(eq(users.role, "admin"));
    for (const a of admins) if (a.id !== member.id) await setUserRole(db, member.id, a.id, "member", CONTEXT);
    const last = await setUserRole(db, member.id, member.id, "member", CONTEXT).catch((e: unknown) => e);
    expect((last as AppError).code).toBe("last_admin");
    expect((await db.select().from(users).where(eq(users.role, "admin"))).map((u) => u.id)).toEqual([member.id]);
    const { rows } = await listAudit(db, auditFilters.parse({ action: "user.role_changed", target: member.id }));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ actorId: firstAdmin.id, metadata: { email: member.email, from: "member", to: "admin" }, ip: CONTEXT.ip });
  });

  it("searches by email or name, filters by role and pages in the database", async () => {
    const db = handle.db;
    const made: Awaited<ReturnType<typeof makeUser>>[] = [];
    for (let i = 0; i < 5; i++) made.push(await makeUser(db, { email: `pager${i}@users.test` }));
    const list = (raw: Record<string, string>, size = 2) => listUsers(db, userFilters.parse(raw), size);
    const p1 = await list({ q: "@users.test" });
    expect(p1).toMatchObject({ total: 5, totalIsExact: true, hasNext: true });
    expect(p1.rows.map((u) => u.email)).toEqual(["pager0@users.test", "pager1@users.test"]);
    const p3 = await list({ q: "@users.test", page: "3" });
    expect(p3.rows.map((u) => u.email)).toEqual(["pager4@users.test"]);
    expect(p3.hasNext).toBe(false);
    expect((await list({ q: "PAGER3" })).rows.map((u) => u.id)).toEqual([made[3]!.id]);
    expect((await list({ q: "Test User", role: "admin" }, 100)).rows.every((u) => u.role === "admin")).toBe(true);
    expect((await list({ q: "%" })).rows).toEqual([]);
    expect(p1.rows[0]).toMatchObject({ activeKeys: 0, role: "member" });
    // Active keys count the keys that still work: not revoked, deleted or expired ones.
    const key = (name: string, expiresAt: Date | null = null) =>
      createApiKey(db, made[1]!.id, { name, description: null, access: "full", scopes: scopesFor("full"), expiresAt }, CONTEXT, PEPPER);
    await key("live");
    await key("also live", new Date(Date.now() + DAY_MS));
    await revokeApiKey(db, made[1]!.id, (await key("revoked")).key.id, CONTEXT);
    await deleteApiKey(db, made[1]!.id, (await key("deleted")).key.id, CONTEXT);
    await db.update(apiKeys).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(apiKeys.id, (await key("expired")).key.id));
    expect((await list({ q: "pager1@users.test" })).rows[0]).toMatchObject({ activeKeys: 2 });
    expect((await list({ q: "pager0@users.test" })).rows[0]).toMatchObject({ activeKeys: 0 });
    expect(p1.rows[0]).not.toHaveProperty("passwordHash");
  });
});
