import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbHandle } from "@/db/client";
import { ATTENTION_STATUSES, keyStatus } from "@/lib/keys/status";
import { scopesFor } from "@/lib/scopes";
import { TEST_DRIVER, openTestDb } from "@/test/db";
import { DAY_MS } from "@/lib/time";
import { CONTEXT, PEPPER, makeTeam, makeUser } from "@/test/fixtures";
import { apiKeys, users } from "../schema";
import { keysNeedingAttention, pageApiKeys, pageTeamApiKeys } from "./api-key-list";
import { createApiKey } from "./api-keys";
import { deleteApiKey, revokeApiKey } from "./key-revocation";

let handle: DbHandle;
beforeAll(async () => {
  handle = await openTestDb();
});
afterAll(async () => {
  await handle?.close();
});

const input = { description: null, access: "full" as const, scopes: scopesFor("full"), expiresAt: null };

describe(`API Keys page queries (${TEST_DRIVER})`, () => {
  it("pages a team's undeleted keys newest first with who created each, and never the creator's own keys", async () => {
    const db = handle.db;
    const dev = await makeUser(db);
    const gone = await makeUser(db);
    const team = await makeTeam(db, [{ userId: dev.id, role: "developer" }, { userId: gone.id, role: "developer" }]);
    const other = await makeTeam(db, [{ userId: dev.id, role: "owner" }]);
    const asTeam = (userId: string, teamId = team.id) => ({ teamId, actorId: userId });
    await createApiKey(db, asTeam(dev.id), { ...input, name: "by dev" }, CONTEXT, PEPPER);
    await createApiKey(db, asTeam(gone.id), { ...input, name: "by gone" }, CONTEXT, PEPPER);
    const removed = (await createApiKey(db, asTeam(dev.id), { ...input, name: "removed" }, CONTEXT, PEPPER)).key;
    await deleteApiKey(db, asTeam(dev.id), removed.id, CONTEXT);
    await createApiKey(db, asTeam(dev.id, other.id), { ...input, name: "other team" }, CONTEXT, PEPPER);
    await createApiKey(db, dev.id, { ...input, name: "dev's own" }, CONTEXT, PEPPER);
    await db.delete(users).where(eq(users.id, gone.id)); // a hard delete: created_by is set null

    const page = await pageTeamApiKeys(db, team.id, 1);
    expect(page.total).toBe(2);
    expect(page.rows.map((r) => [r.name, r.createdBy?.email ?? null])).toEqual([
      ["by gone", null],
      ["by dev", dev.email],
    ]);
    expect((await pageApiKeys(db, dev.id, 1)).rows.map((r) => r.name)).toEqual(["dev's own"]);
  });

  it("pages the owner's undeleted keys newest first, with the exact total and whether there is more", async () => {
    const db = handle.db;
    const me = await makeUser(db);
    const other = await makeUser(db);
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) ids.push((await createApiKey(db, me.id, { ...input, name: `k${i}` }, CONTEXT, PEPPER)).key.id);
    await createApiKey(db, other.id, { ...input, name: "theirs" }, CONTEXT, PEPPER);
    await deleteApiKey(db, me.id, ids[0]!, CONTEXT);

    const first = await pageApiKeys(db, me.id, 1, 4);
    expect(first.total).toBe(6);
    expect(first.hasNext).toBe(true);
    expect(first.rows.map((r) => r.name)).toEqual(["k6", "k5", "k4", "k3"]);
    const second = await pageApiKeys(db, me.id, 2, 4);
    expect(second.rows.map((r) => r.name)).toEqual(["k2", "k1"]);
    expect(second.hasNext).toBe(false);
    expect((await pageApiKeys(db, me.id, 3, 4)).rows).toEqual([]);
  });

  it("finds keys needing attention on every page: expired, expiring within 7 days, rotation due; not revoked or fine ones", async () => {
    const db = handle.db;
    const me = await makeUser(db);
    const now = new Date();
    const make = async (name: string, expiresAt: Date | null) => (await createApiKey(db, me.id, { ...input, name, expiresAt }, CONTEXT, PEPPER)).key;
    await make("fine", new Date(now.getTime() + 30 * DAY_MS));
    await make("soon", new Date(now.getTime() + 3 * DAY_MS));
    const expired = await make("expired", new Date(now.getTime() + 3 * DAY_MS));
    await db.update(apiKeys).set({ expiresAt: sql`now() - interval '1 hour'` }).where(eq(apiKeys.id, expired.id));
    const old = await make("old secret", null);
    await db.update(apiKeys).set({ secretCreatedAt: new Date(now.getTime() - 100 * DAY_MS) }).where(eq(apiKeys.id, old.id));
    const revoked = await make("revoked soon", new Date(now.getTime() + 3 * DAY_MS));
    await revokeApiKey(db, me.id, revoked.id, CONTEXT);
    for (let i = 0; i < 5; i++) await make(`filler ${i}`, null);

    const names = async (period: number | null, limit?: number) =>
      (await keysNeedingAttention(db, me.id, new Date(), period, limit)).rows.map((r) => r.name).sort();
    // A key made now to live 7 days is doing what it was made for: not flagged (lib/keys/status.ts).
    await make("new 7-day", new Date(now.getTime() + 7 * DAY_MS));
    expect(await names(90)).toEqual(["expired", "old secret", "soon"]);
    expect(await names(null)).toEqual(["expired", "soon"]);
    const capped = await keysNeedingAttention(db, me.id, new Date(), 90, 2);
    expect(capped.rows).toHaveLength(2);
    expect(capped.total).toBe(3);
    // Exactly the keys whose badge is expired, expiring soon or rotation due: the page shows them as they come.
    const at = new Date();
    const statuses = (await keysNeedingAttention(db, me.id, at, 90)).rows.map((r) => keyStatus(r, at, 90)).sort();
    expect(statuses).toEqual(["expired", "expiring_soon", "rotation_due"]);
    expect(ATTENTION_STATUSES).toEqual(expect.arrayContaining(statuses));
  });

  it("lists the most urgent first, and expired keys only for a week after they expire", async () => {
    const db = handle.db;
    const me = await makeUser(db);
    const now = new Date();
    const at = (days: number) => new Date(now.getTime() + days * DAY_MS);
    const make = async (name: string, expiresAt: Date | null, secretAgeDays = 0) => {
      const { key } = await createApiKey(db, me.id, { ...input, name, expiresAt: at(30) }, CONTEXT, PEPPER);
      // Made 60 days ago, so "expiring soon" is decided by the 7-day window alone.
      await db
        .update(apiKeys)
        .set({ expiresAt, createdAt: at(-60), secretCreatedAt: at(-secretAgeDays) })
        .where(eq(apiKeys.id, key.id));
    };
    await make("rotation, older secret", null, 200);
    await make("in 6 days", at(6));
    await make("expired 2 days ago", at(-2));
    await make("rotation, newer secret", at(40), 100);
    await make("in 1 day", at(1));
    await make("expired 8 days ago", at(-8));
    const { rows, total } = await keysNeedingAttention(db, me.id, now, 90);
    expect(rows.map((r) => r.name)).toEqual(["expired 2 days ago", "in 1 day", "in 6 days", "rotation, older secret", "rotation, newer secret"]);
    expect(total).toBe(5);
  });
});
