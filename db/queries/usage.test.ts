import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DAY_MS } from "@/lib/time";
import { apiKeys } from "../schema";
import type { DbHandle } from "@/db/client";
import { scopesFor } from "@/lib/scopes";
import { TEST_DRIVER, openTestDb } from "@/test/db";
import { CONTEXT, PEPPER, makeUser } from "@/test/fixtures";
import { createApiKey } from "./api-keys";
import { addUsage, touchLastUsed, usageForKey, usageForOwner } from "./usage";

let handle: DbHandle;
beforeAll(async () => {
  handle = await openTestDb();
});
afterAll(async () => {
  await handle?.close();
});

describe(`usage (${TEST_DRIVER})`, () => {
  it("adds batches per key and day, and shows an owner only their own keys' usage", async () => {
    const db = handle.db;
    const a = await makeUser(db);
    const b = await makeUser(db);
    const input = { description: null, access: "full" as const, scopes: scopesFor("full"), expiresAt: null };
    const { key: ka } = await createApiKey(db, a.id, { ...input, name: "a" }, CONTEXT, PEPPER);
    const { key: kb } = await createApiKey(db, b.id, { ...input, name: "b" }, CONTEXT, PEPPER);
    const today = new Date().toISOString().slice(0, 10);
    const old = new Date(Date.now() - 40 * DAY_MS).toISOString().slice(0, 10);
    await addUsage(db, ka.id, today, 3, 1);
    await addUsage(db, ka.id, today, 2, 0);
    await addUsage(db, ka.id, old, 9, 9);
    await addUsage(db, kb.id, today, 7, 7);

    expect(await usageForKey(db, ka.id, 30)).toEqual([{ day: today, success: 5, failure: 1 }]);
    expect(await usageForOwner(db, a.id, 30)).toEqual([{ keyId: ka.id, day: today, success: 5, failure: 1 }]);
    expect(await usageForOwner(db, a.id, 30, kb.id)).toEqual([]);
    expect((await usageForOwner(db, a.id, 90)).length).toBe(2);
  });

  it("writes last used at most once a minute, however many processes call it", async () => {
    const db = handle.db;
    const user = await makeUser(db);
    const input = { description: null, access: "full" as const, scopes: scopesFor("full"), expiresAt: null };
    const { key } = await createApiKey(db, user.id, { ...input, name: "touched" }, CONTEXT, PEPPER);
    const read = async () => (await db.select().from(apiKeys).where(eq(apiKeys.id, key.id)))[0]!;
    await touchLastUsed(db, key.id, "192.0.2.1");
    const first = await read();
    expect(first.lastUsedIp).toBe("192.0.2.1");
    await Promise.all([touchLastUsed(db, key.id, "192.0.2.2"), touchLastUsed(db, key.id, "192.0.2.3")]);
    const second = await read();
    expect(second.lastUsedIp).toBe("192.0.2.1");
    expect(second.lastUsedAt).toEqual(first.lastUsedAt);
    await db.update(apiKeys).set({ lastUsedAt: sql`now() - interval '61 seconds'` }).where(eq(apiKeys.id, key.id));
    await touchLastUsed(db, key.id, "192.0.2.4");
    expect((await read()).lastUsedIp).toBe("192.0.2.4");
  });

  it("counts days in UTC, whatever the database session's time zone", async () => {
    const db = handle.db;
    const user = await makeUser(db);
    const input = { description: null, access: "full" as const, scopes: scopesFor("full"), expiresAt: null };
    const { key } = await createApiKey(db, user.id, { ...input, name: "tz" }, CONTEXT, PEPPER);
    const today = new Date().toISOString().slice(0, 10);
    await addUsage(db, key.id, today, 1, 0);
    // Far enough from UTC that the local date differs from the UTC date for part of every day.
    for (const zone of ["Pacific/Kiritimati", "Pacific/Pago_Pago"]) {
      await db.execute(sql.raw(`set time zone '${zone}'`));
      const rows = await usageForKey(db, key.id, 1);
      expect(rows.map((r) => r.day)).toEqual([today]);
    }
    await db.execute(sql`set time zone 'UTC'`);
  });
});
