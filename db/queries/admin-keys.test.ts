import { eq, inArray, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbHandle } from "@/db/client";
import { apiKeys, auditEvents, users } from "@/db/schema";
import { scopesFor } from "@/lib/scopes";
import { DAY_MS } from "@/lib/time";
import { adminKeyFilters, type AdminKeyFilters } from "@/lib/validation/admin.schema";
import { TEST_DRIVER, openTestDb } from "@/test/db";
import { CONTEXT, PEPPER, makeTeam, makeUser } from "@/test/fixtures";
import { OVERVIEW_LINKS, adminRevokeKeys, adminRevokeMatching, countRevocable, exportAllKeys, keyOverview, listAllKeys } from "./admin-keys";

/** The acting admin: revocations re-read the admin's role in their transaction. */
async function makeAdmin() {
  const admin = await makeUser(handle.db);
  await handle.db.update(users).set({ role: "admin" }).where(eq(users.id, admin.id));
  return admin;
}
import { createApiKey, listApiKeys } from "./api-keys";

let handle: DbHandle;
beforeAll(async () => {
  handle = await openTestDb();
});
afterAll(async () => {
  await handle?.close();
});

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

/** Sets columns with SQL expressions, e.g. { last_used_at: "now() - interval '100 days'" }. */
async function set(id: string, columns: Record<string, string>) {
  const assignments = Object.entries(columns).map(([c, v]) => `${c} = ${v}`);
  await handle.db.execute(sql.raw(`update api_keys set ${assignments.join(", ")} where id = '${id}'`));
}

async function names(raw: Record<string, string>) {
  return (await listAllKeys(handle.db, filters(raw), 90)).rows.map((r) => r.name);
}

describe(`admin key list (${TEST_DRIVER})`, () => {
  it("lists team keys with the team as owner, filters by team slug, and revokes them with the team in the audit row", async () => {
    const admin = await makeAdmin();
    const creator = await makeUser(handle.db);
    const team = await makeTeam(handle.db, [{ userId: creator.id, role: "developer" }], { slug: "admin-list-team", name: "Platform" });
    const teamKey = (
      await createApiKey(
        handle.db,
        { teamId: team.id, actorId: creator.id },
        { name: "team deploy", description: null, access: "restricted", scopes: scopesFor("read_only"), expiresAt: null },
        CONTEXT,
        PEPPER,
      )
    ).key;
    await key(creator.id, "creator's own");
    const listed = await listAllKeys(handle.db, filters({ q: "team deploy" }), 90);
    expect(listed.rows.map((r) => ({ name: r.name, ownerId: r.ownerId, teamId: r.teamId, teamSlug: r.teamSlug, teamName: r.teamName }))).toEqual([
      { name: "team deploy", ownerId: null, teamId: team.id, teamSlug: "admin-list-team", teamName: "Platform" },
    ]);
    expect(await names({ team: "admin-list-team" })).toEqual(["team deploy"]);
    expect(await names({ team: "ADMIN-LIST-TEAM " })).toEqual(["team deploy"]);
    expect(await names({ team: "admin-list" })).toEqual([]); // exact, not a prefix
    // The person who created it does not own it.
    expect(await names({ owner: creator.id })).toEqual(["creator's own"]);
    const exported: string[] = [];
    for await (const batch of exportAllKeys(handle.db, filters({ team: "admin-list-team" }), 90)) exported.push(...batch.map((r) => `${r.name}:${r.teamSlug}`));
    expect(exported).toEqual(["team deploy:admin-list-team"]);
    expect(await adminRevokeKeys(handle.db, admin.id, [teamKey.id], "leaked", CONTEXT, { mail: false })).toBe(1);
    const [event] = await handle.db.select().from(auditEvents).where(eq(auditEvents.targetId, teamKey.id)).orderBy(sql`created_at desc`).limit(1);
    expect(event).toMatchObject({ action: "api_key.admin_revoked", metadata: { teamId: team.id, reason: "leaked" } });
  });

  it("searches names, hints and owners' emails; the owner filter is exact", async () => {
    const alice = await makeUser(handle.db, { email: "alice@corp.test" });
    const malice = await makeUser(handle.db, { email: "malice@corp.test" });
    const a = await key(alice.id, "alice deploy");
    await key(malice.id, "malice tool_100%");

    expect((await names({ q: "alice@" })).sort()).toEqual(["alice deploy", "malice tool_100%"]); // q: substring
    expect(await names({ owner: "alice@corp.test" })).toEqual(["alice deploy"]);
    expect(await names({ owner: "  ALICE@Corp.test " })).toEqual(["alice deploy"]); // case-insensitive
    expect(await names({ owner: alice.id })).toEqual(["alice deploy"]);
    expect(await names({ owner: "alice@" })).toEqual([]); // not a substring match
    expect(await names({ q: a.hint })).toEqual(["alice deploy"]);
    expect(await names({ q: "tool_100%" })).toEqual(["malice tool_100%"]);
    expect(await names({ q: "%_%", owner: "alice@corp.test" })).toEqual([]); // LIKE wildcards are literal
    // Under 3 characters: the start of the name, case-insensitive, wildcards literal.
    expect(await names({ q: "AL", owner: alice.id })).toEqual(["alice deploy"]);
    expect(await names({ q: "al", owner: malice.id })).toEqual([]); // "malice tool" only contains it
    expect(await names({ q: "ma", owner: malice.id })).toEqual(["malice tool_100%"]);
    expect(await names({ q: "%", owner: malice.id })).toEqual([]);
  });

  it("filters by every status, scope, never used and unused for 90+ days", async () => {
    const owner = await makeUser(handle.db);
    const o = { owner: owner.id };
    await key(owner.id, "active", { scopes: ["keys:read", "keys:write"] });
    const soon = await key(owner.id, "soon", { expiresAt: new Date(Date.now() + 2 * DAY_MS) });
    const due = await key(owner.id, "due");
    await set(due.id, { secret_created_at: "now() - interval '100 days'", created_at: "now() - interval '100 days'" });
    const expired = await key(owner.id, "expired");
    await set(expired.id, { expires_at: "now() - interval '1 day'" });
    const revoked = await key(owner.id, "revoked");
    await set(revoked.id, { revoked_at: "now()" });
    const usedLately = await key(owner.id, "used lately");
    await set(usedLately.id, { last_used_at: "now() - interval '1 day'", created_at: "now() - interval '200 days'", secret_created_at: "now()" });
    const usedLongAgo = await key(owner.id, "used long ago");
    await set(usedLongAgo.id, { last_used_at: "now() - interval '100 days'", created_at: "now() - interval '200 days'", secret_created_at: "now()" });

    const sorted = async (raw: Record<string, string>) => (await names({ ...o, ...raw })).sort();
    expect(await sorted({ status: "active" })).toEqual(["active", "used lately", "used long ago"]);
    expect(await sorted({ status: "expiring_soon" })).toEqual(["soon"]);
    expect(await sorted({ status: "rotation_due" })).toEqual(["due"]);
    expect(await sorted({ status: "expired" })).toEqual(["expired"]);
    expect(await sorted({ status: "revoked" })).toEqual(["revoked"]);
    expect(await sorted({ status: "usable" })).toEqual(["active", "due", "soon", "used lately", "used long ago"]);
    expect(await sorted({ scope: "keys:write" })).toEqual(["active"]);
    expect(await sorted({ usage: "never" })).toEqual(["active", "due", "expired", "revoked", "soon"]);
    // Created today and never used is not "unused for 90 days"; created 100 days ago and never used is.
    expect(await sorted({ usage: "stale" })).toEqual(["due", "used long ago"]);
    expect(await sorted({ status: "usable", usage: "never" })).toEqual(["active", "due", "soon"]);
    expect(await sorted({ status: "bogus" })).toHaveLength(7); // invalid filter ignored
    void soon;
  });

  it("sorts by created, name, last used and expires in both directions, ties broken by id", async () => {
    const owner = await makeUser(handle.db);
    const k = {
      b: await key(owner.id, "B"),
      a: await key(owner.id, "a", { expiresAt: new Date(Date.now() + 5 * DAY_MS) }),
      c: await key(owner.id, "c", { expiresAt: new Date(Date.now() + 9 * DAY_MS) }),
      d: await key(owner.id, "d"),
    };
    await set(k.a.id, { last_used_at: "now() - interval '2 days'" });
    await set(k.c.id, { last_used_at: "now() - interval '1 day'" });
    // b and d share one creation time: the id decides.
    await set(k.b.id, { created_at: "'2026-01-01T00:00:00.123456Z'" });
    await set(k.d.id, { created_at: "'2026-01-01T00:00:00.123456Z'" });
    const [lo, hi] = [k.b.id, k.d.id].sort();
    const byId = (id: string) => Object.entries(k).find(([, v]) => v.id === id)![1].name;
    const order = async (sort: string, dir: string) => names({ owner: owner.id, sort, dir });

    expect(await order("name", "asc")).toEqual(["a", "B", "c", "d"]); // case-insensitive
    expect(await order("name", "desc")).toEqual(["d", "c", "B", "a"]);
    // Most recently used first; never used last, and first when ascending.
    expect((await order("last_used", "desc")).slice(0, 2)).toEqual(["c", "a"]);
    expect((await order("last_used", "asc")).slice(2)).toEqual(["a", "c"]);
    // Soonest expiry first; never expiring last.
    expect((await order("expires", "asc")).slice(0, 2)).toEqual(["a", "c"]);
    expect((await order("expires", "desc")).slice(2)).toEqual(["c", "a"]);
    expect((await order("created", "asc")).slice(0, 2)).toEqual([byId(lo!), byId(hi!)]);
    expect((await order("created", "desc")).slice(2)).toEqual([byId(hi!), byId(lo!)]);
  });

  it("pages: exact totals, a next page only when there is one, and the same rows the export streams", async () => {
    const owner = await makeUser(handle.db);
    for (let i = 0; i < 7; i++) await key(owner.id, `k${i}`);
    const [first] = await listApiKeys(handle.db, owner.id);
    await set(first!.id, { last_used_at: "now()" });
    const page = (n: number, extra: Partial<AdminKeyFilters> = {}) => listAllKeys(handle.db, { ...filters({ owner: owner.id }), page: n, ...extra }, 90, 3);
    const p1 = await page(1);
    expect(p1).toMatchObject({ total: 7, totalIsExact: true, hasNext: true });
    expect(p1.rows).toHaveLength(3);
    expect(p1.rows[0]).not.toHaveProperty("keyHash");
    const p3 = await page(3);
    expect(p3).toMatchObject({ total: 7, hasNext: false });
    expect(p3.rows).toHaveLength(1);
    expect((await page(4)).rows).toEqual([]);

    for (const sort of ["created", "name", "last_used", "expires"] as const) {
      for (const dir of ["asc", "desc"] as const) {
        const listed = [...(await page(1, { sort, dir })).rows, ...(await page(2, { sort, dir })).rows, ...(await page(3, { sort, dir })).rows];
        const exported = [];
        for await (const batch of exportAllKeys(handle.db, { ...filters({ owner: owner.id }), sort, dir }, 90, 2)) exported.push(...batch);
        expect(exported.map((r) => r.id), `${sort} ${dir}`).toEqual(listed.map((r) => r.id));
      }
    }
  });

  it("exports every row in batches, past any page or size limit, in the chosen order", async () => {
    const owner = await makeUser(handle.db);
    await handle.db.execute(sql`
      insert into api_keys (user_id, name, key_hash, hint, access, scopes, created_at)
      select ${owner.id}::uuid, 'bulk ' || i, md5('bulk' || i || ${owner.id}::text) || md5(i::text), 'ksk_…bulk', 'read_only', array['keys:read'],
             '2026-02-01T00:00:00Z'::timestamptz + (i / 3) * interval '1 microsecond'
      from generate_series(1, 2500) i`);
    const seen: string[] = [];
    let batches = 0;
    for await (const batch of exportAllKeys(handle.db, filters({ owner: owner.id, sort: "created", dir: "asc" }), 90, 1_000)) {
      batches++;
      seen.push(...batch.map((r) => r.id));
    }
    expect(batches).toBe(3);
    expect(new Set(seen).size).toBe(2500);
    const list = await listAllKeys(handle.db, filters({ owner: owner.id, sort: "created", dir: "asc" }), 90);
    expect(list.rows.map((r) => r.id)).toEqual(seen.slice(0, 50));
  });
});

describe(`admin revocation and overview (${TEST_DRIVER})`, () => {
  it("revokes selected keys of any user with a reason, once, each with an audit event", async () => {
    const admin = await makeAdmin();
    const owner = await makeUser(handle.db);
    const a = await key(owner.id, "a");
    const b = await key(owner.id, "b");
    expect(await adminRevokeKeys(handle.db, admin.id, [a.id, b.id], "Leaked in a public repo", CONTEXT, { mail: false })).toBe(2);
    expect(await adminRevokeKeys(handle.db, admin.id, [a.id], "again", CONTEXT, { mail: false })).toBe(0);
    const mine = await listApiKeys(handle.db, owner.id);
    expect(mine.map((k) => k.revokedReason)).toEqual(["by an administrator: Leaked in a public repo", "by an administrator: Leaked in a public repo"]);
    const events = await handle.db.select().from(auditEvents).where(inArray(auditEvents.targetId, [a.id, b.id]));
    expect(events.filter((e) => e.action === "api_key.admin_revoked").map((e) => e.actorId)).toEqual([admin.id, admin.id]);
  });

  it("revokes all usable keys that match the filters, only when the count the admin confirmed is still right", async () => {
    const admin = await makeAdmin();
    const owner = await makeUser(handle.db);
    const other = await makeUser(handle.db);
    const [a, b] = [await key(owner.id, "ci one"), await key(owner.id, "ci two")];
    const expired = await key(owner.id, "ci expired");
    await set(expired.id, { expires_at: "now() - interval '1 day'" });
    const revokedBefore = await key(owner.id, "ci revoked");
    await adminRevokeKeys(handle.db, admin.id, [revokedBefore.id], "earlier", CONTEXT, { mail: false });
    const elsewhere = await key(other.id, "ci elsewhere");
    const f = filters({ owner: owner.id, q: "ci" });
    // Revoked and expired keys are not counted: they no longer work.
    expect(await countRevocable(handle.db, f, 90)).toBe(2);
    // A new matching key since the count was seen: nothing is revoked.
    const late = await key(owner.id, "ci late");
    const stale = adminRevokeMatching(handle.db, admin.id, f, 90, 2, "Leaked", CONTEXT, { mail: false });
    await expect(stale).rejects.toMatchObject({ code: "selection_changed", status: 409 });
    expect((await listApiKeys(handle.db, owner.id)).filter((k) => k.revokedAt).map((k) => k.name)).toEqual(["ci revoked"]);
    // The right count: all three, each with its audit event; the other owner's key is untouched.
    expect(await adminRevokeMatching(handle.db, admin.id, f, 90, 3, "Leaked", CONTEXT, { mail: false })).toBe(3);
    const after = await listApiKeys(handle.db, owner.id);
    for (const k of [a, b, late]) expect(after.find((r) => r.id === k.id)?.revokedReason).toBe("by an administrator: Leaked");
    expect(after.find((r) => r.id === expired.id)?.revokedAt).toBeNull();
    expect((await listApiKeys(handle.db, other.id)).find((r) => r.id === elsewhere.id)?.revokedAt).toBeNull();
    const events = await handle.db.select().from(auditEvents).where(inArray(auditEvents.targetId, [a.id, b.id, late.id]));
    expect(events.filter((e) => e.action === "api_key.admin_revoked")).toHaveLength(3);
    expect(await countRevocable(handle.db, f, 90)).toBe(0);
  });

  it("counts each card exactly as the list its card links to, and the counts move as keys change", async () => {
    const before = (await keyOverview(handle.db, 90)).counts;
    const owner = await makeUser(handle.db);
    await key(owner.id, "o-active");
    await key(owner.id, "o-soon", { expiresAt: new Date(Date.now() + DAY_MS) });
    const due = await key(owner.id, "o-due");
    await set(due.id, { secret_created_at: "now() - interval '91 days'", last_used_at: "now()" });
    const revoked = await key(owner.id, "o-revoked");
    await set(revoked.id, { revoked_at: "now()" });
    const expired = await key(owner.id, "o-expired");
    await set(expired.id, { expires_at: "now() - interval '1 hour'" });

    const { counts } = await keyOverview(handle.db, 90);
    expect({
      active: counts.active - before.active,
      expiringSoon: counts.expiringSoon - before.expiringSoon,
      rotationDue: counts.rotationDue - before.rotationDue,
      // Usable and never used: active and soon; not the used one, nor revoked or expired keys.
      neverUsed: counts.neverUsed - before.neverUsed,
      revoked: counts.revoked - before.revoked,
    }).toEqual({ active: 1, expiringSoon: 1, rotationDue: 1, neverUsed: 2, revoked: 1 });
    for (const [card, link] of Object.entries(OVERVIEW_LINKS)) {
      const listed = await listAllKeys(handle.db, filters(link), 90);
      expect(listed.total, card).toBe(counts[card as keyof typeof counts]);
    }
    const [row] = await handle.db.select().from(apiKeys).where(eq(apiKeys.id, revoked.id));
    expect(row!.revokedAt).not.toBeNull();
  });
});
