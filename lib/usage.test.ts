import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database, DbHandle } from "@/db/client";
import { createApiKey } from "@/db/queries/api-keys";
import { apiKeys, apiKeyUsageDaily } from "@/db/schema";
import { scopesFor } from "@/lib/scopes";
import { DAY_MS } from "@/lib/time";
import { TEST_DRIVER, openTestDb } from "@/test/db";
import { CONTEXT, PEPPER, makeUser } from "@/test/fixtures";
import { UsageRecorder } from "./usage";

let handle: DbHandle;
beforeAll(async () => {
  handle = await openTestDb();
});
afterAll(async () => {
  await handle?.close();
});

const input = { description: null, access: "full" as const, scopes: scopesFor("full"), expiresAt: null };
let n = 0;
async function newKey() {
  const user = await makeUser(handle.db);
  return (await createApiKey(handle.db, user.id, { ...input, name: `usage-${n++}` }, CONTEXT, PEPPER)).key;
}
async function usageOf(keyId: string) {
  return handle.db
    .select({ day: apiKeyUsageDaily.day, success: apiKeyUsageDaily.successCount, failure: apiKeyUsageDaily.failureCount })
    .from(apiKeyUsageDaily)
    .where(eq(apiKeyUsageDaily.keyId, keyId))
    .orderBy(apiKeyUsageDaily.day);
}
const lastUsed = async (keyId: string) => (await handle.db.select().from(apiKeys).where(eq(apiKeys.id, keyId)))[0]!;

describe(`UsageRecorder batching (${TEST_DRIVER})`, () => {
  it("writes nothing per use, then every count on flush; counts made during a flush land in the next", async () => {
    const a = await newKey();
    const b = await newKey();
    const usage = new UsageRecorder(async () => handle.db, 60_000);
    const day = new Date();
    for (let i = 0; i < 5; i++) usage.count(a.id, true, day);
    usage.count(a.id, false, day);
    usage.count(b.id, true, day);
    expect(await usageOf(a.id)).toEqual([]);

    const first = usage.flush();
    usage.count(a.id, true, day); // while the first flush is in flight
    await first;
    const today = day.toISOString().slice(0, 10);
    expect(await usageOf(a.id)).toEqual([{ day: today, success: 5, failure: 1 }]);
    await usage.flush();
    expect(await usageOf(a.id)).toEqual([{ day: today, success: 6, failure: 1 }]);
    expect(await usageOf(b.id)).toEqual([{ day: today, success: 1, failure: 0 }]);
    expect(usage.pending).toBe(0);
  });

  it("keeps UTC days apart, in one flush", async () => {
    const a = await newKey();
    const usage = new UsageRecorder(async () => handle.db, 60_000);
    const today = new Date();
    const yesterday = new Date(today.getTime() - DAY_MS);
    usage.count(a.id, true, yesterday);
    usage.count(a.id, true, today);
    usage.count(a.id, true, today);
    await usage.flush();
    expect(await usageOf(a.id)).toEqual([
      { day: yesterday.toISOString().slice(0, 10), success: 1, failure: 0 },
      { day: today.toISOString().slice(0, 10), success: 2, failure: 0 },
    ]);
  });

  it("flushes on its timer, without being asked", async () => {
    const a = await newKey();
    const usage = new UsageRecorder(async () => handle.db, 20);
    usage.count(a.id, true);
    usage.touch(a.id, null, "192.0.2.7");
    for (let i = 0; i < 100 && (await usageOf(a.id)).length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(await usageOf(a.id)).toMatchObject([{ success: 1, failure: 0 }]);
    expect((await lastUsed(a.id)).lastUsedIp).toBe("192.0.2.7");
  });

  it("does not lose counts when a flush fails: they are written by the next one", async () => {
    const a = await newKey();
    let down = true;
    const usage = new UsageRecorder(async () => {
      if (down) throw new Error("database unavailable");
      return handle.db;
    }, 60_000);
    usage.count(a.id, true);
    usage.count(a.id, true);
    usage.touch(a.id, null, "192.0.2.8");
    await usage.flush();
    expect(usage.pending).toBe(2);
    usage.count(a.id, false);
    down = false;
    await usage.flush();
    expect(await usageOf(a.id)).toMatchObject([{ success: 2, failure: 1 }]);
    expect((await lastUsed(a.id)).lastUsedIp).toBe("192.0.2.8");
    expect(usage.pending).toBe(0);
  });

  it("notes last used once per key per flush, and not at all when the row shows a use under a minute old", async () => {
    const a = await newKey();
    const b = await newKey();
    const statements: string[] = [];
    const spy = new Proxy(handle.db, {
      get(target, prop, receiver) {
        if (prop === "execute" || prop === "insert") statements.push(String(prop));
        return Reflect.get(target, prop, receiver);
      },
    }) as Database;
    const usage = new UsageRecorder(async () => spy, 60_000);
    for (let i = 0; i < 50; i++) usage.touch(a.id, null, `192.0.2.${i}`);
    usage.touch(b.id, new Date(Date.now() - 5_000), "192.0.2.99");
    expect(usage.pending).toBe(1);
    await usage.flush();
    expect(statements).toEqual(["execute"]); // one UPDATE for every key touched
    const row = await lastUsed(a.id);
    expect(row.lastUsedAt).toBeInstanceOf(Date);
    expect(row.lastUsedIp).toBe("192.0.2.49");
    expect((await lastUsed(b.id)).lastUsedAt).toBeNull();
  });
});
