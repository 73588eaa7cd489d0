import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbHandle } from "@/db/client";
import { scopesFor } from "@/lib/scopes";
import { TEST_DRIVER, openTestDb } from "@/test/db";
import { CONTEXT, PEPPER, makeUser } from "@/test/fixtures";
import { createApiKey } from "./api-keys";
import { addUsage, usageForKey, usageForOwner } from "./usage";

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
    const old = new Date(Date.now() - 40 * 86_400_000).toISOString().slice(0, 10);
    await addUsage(db, ka.id, today, 3, 1);
    await addUsage(db, ka.id, today, 2, 0);
    await addUsage(db, ka.id, old, 9, 9);
    await addUsage(db, kb.id, today, 7, 7);

    expect(await usageForKey(db, ka.id, 30)).toEqual([{ day: today, success: 5, failure: 1 }]);
    expect(await usageForOwner(db, a.id, 30)).toEqual([{ keyId: ka.id, day: today, success: 5, failure: 1 }]);
    expect(await usageForOwner(db, a.id, 30, kb.id)).toEqual([]);
    expect((await usageForOwner(db, a.id, 90)).length).toBe(2);
  });
});
