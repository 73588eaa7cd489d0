import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbHandle } from "@/db/client";
import { apiKeys, auditEvents } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { scopesFor } from "@/lib/scopes";
import { TEST_DRIVER, openTestDb } from "@/test/db";
import { CONTEXT, PEPPER, makeUser } from "@/test/fixtures";
import { createApiKey, getApiKey, listApiKeys } from "./api-keys";
import { OWNER_REVOKED_REASON, deleteApiKey, revokeApiKey } from "./key-revocation";

let handle: DbHandle;
beforeAll(async () => {
  handle = await openTestDb();
});
afterAll(async () => {
  await handle?.close();
});

const create = async (userId: string, name: string) =>
  (await createApiKey(handle.db, userId, { name, description: null, access: "full", scopes: scopesFor("full"), expiresAt: null }, CONTEXT, PEPPER)).key;

async function errorCode(promise: Promise<unknown>) {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(AppError);
  return (error as AppError).code;
}

const eventsFor = async (keyId: string) =>
  (await handle.db.select().from(auditEvents).where(eq(auditEvents.targetId, keyId))).map((e) => ({ action: e.action, actorId: e.actorId, metadata: e.metadata }));

describe(`revoke and delete (${TEST_DRIVER})`, () => {
  it("revokes: the key stays in the owner's list as revoked, with one api_key.revoked event", async () => {
    const owner = await makeUser(handle.db);
    const key = await create(owner.id, "to revoke");
    const revoked = await revokeApiKey(handle.db, owner.id, key.id, CONTEXT);
    expect(revoked.revokedAt).toBeInstanceOf(Date);
    expect(revoked.revokedReason).toBe(OWNER_REVOKED_REASON);
    const listed = await listApiKeys(handle.db, owner.id);
    expect(listed.map((k) => [k.id, k.revokedReason])).toEqual([[key.id, OWNER_REVOKED_REASON]]);
    expect(await getApiKey(handle.db, owner.id, key.id)).toMatchObject({ id: key.id });
    expect((await eventsFor(key.id)).filter((e) => e.action === "api_key.revoked")).toEqual([
      { action: "api_key.revoked", actorId: owner.id, metadata: { name: "to revoke", hint: key.hint } },
    ]);
  });

  it("revokes once: a second revoke conflicts; another user's key and unknown ids are not found; nothing changes", async () => {
    const owner = await makeUser(handle.db);
    const intruder = await makeUser(handle.db);
    const key = await create(owner.id, "mine");
    const untouched = await handle.db.select().from(apiKeys).where(eq(apiKeys.id, key.id));
    expect(await errorCode(revokeApiKey(handle.db, intruder.id, key.id, CONTEXT))).toBe("key_not_found");
    expect(await errorCode(revokeApiKey(handle.db, owner.id, "00000000-0000-4000-8000-000000000000", CONTEXT))).toBe("key_not_found");
    expect(await handle.db.select().from(apiKeys).where(eq(apiKeys.id, key.id))).toEqual(untouched);

    const results = await Promise.allSettled([revokeApiKey(handle.db, owner.id, key.id, CONTEXT), revokeApiKey(handle.db, owner.id, key.id, CONTEXT)]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(await errorCode(revokeApiKey(handle.db, owner.id, key.id, CONTEXT))).toBe("key_already_revoked");
    const revokes = await handle.db.select().from(auditEvents).where(and(eq(auditEvents.targetId, key.id), eq(auditEvents.action, "api_key.revoked")));
    expect(revokes).toHaveLength(1);
  });

  it("deletes: a live key is revoked and leaves the list; a revoked key can still be deleted", async () => {
    const owner = await makeUser(handle.db);
    const live = await create(owner.id, "live");
    const old = await create(owner.id, "old");
    await revokeApiKey(handle.db, owner.id, old.id, CONTEXT);
    const revokedAtFirst = (await handle.db.select().from(apiKeys).where(eq(apiKeys.id, old.id)))[0]!.revokedAt;

    await deleteApiKey(handle.db, owner.id, live.id, CONTEXT);
    await deleteApiKey(handle.db, owner.id, old.id, CONTEXT);
    expect(await listApiKeys(handle.db, owner.id)).toEqual([]);
    const [oldRow] = await handle.db.select().from(apiKeys).where(eq(apiKeys.id, old.id));
    expect(oldRow).toMatchObject({ revokedAt: revokedAtFirst, revokedReason: OWNER_REVOKED_REASON }); // the first revoke stands
    expect(oldRow!.deletedAt).not.toBeNull();
    expect((await eventsFor(live.id)).find((e) => e.action === "api_key.deleted")?.metadata).toMatchObject({ revoked: true });
    expect((await eventsFor(old.id)).map((e) => e.action).sort()).toEqual(["api_key.created", "api_key.deleted", "api_key.revoked"]);
    expect((await eventsFor(old.id)).find((e) => e.action === "api_key.deleted")?.metadata).toMatchObject({ revoked: false });
    expect(await errorCode(revokeApiKey(handle.db, owner.id, live.id, CONTEXT))).toBe("key_not_found"); // deleted: gone
  });
});
