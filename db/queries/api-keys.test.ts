import { createHmac } from "node:crypto";
import { and, eq, sql, type SQL } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbHandle } from "@/db/client";
import { apiKeys, auditEvents } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { KEY_PATTERN } from "@/lib/keys/format";
import { scopesFor } from "@/lib/scopes";
import { CONTEXT, PEPPER, makeUser } from "@/test/fixtures";
import { TEST_DRIVER, openTestDb, queryRows } from "@/test/db";
import { createApiKey, getApiKey, listApiKeys, updateApiKey, type NewKeyInput } from "./api-keys";
import { deleteApiKey } from "./key-revocation";

let handle: DbHandle;
beforeAll(async () => {
  handle = await openTestDb();
});
afterAll(async () => {
  await handle?.close();
});

const input = (name: string, extra: Partial<NewKeyInput> = {}): NewKeyInput => ({
  name,
  description: null,
  access: "full",
  scopes: scopesFor("full"),
  expiresAt: new Date(Date.now() + 30 * 86_400_000),
  ...extra,
});

async function expectAppError(promise: Promise<unknown>, code: string) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe(code);
}

describe(`api keys data layer (${TEST_DRIVER})`, () => {
  it("stores only the HMAC and a hint, never the secret", async () => {
    const db = handle.db;
    const user = await makeUser(db);
    const { key, secret } = await createApiKey(db, user.id, input("ci"), CONTEXT, PEPPER);
    expect(secret).toMatch(KEY_PATTERN);
    expect(key.hint).toBe(`ksk_…${secret.slice(-4)}`);
    expect(key).not.toHaveProperty("keyHash");

    const [row] = await db.select().from(apiKeys).where(eq(apiKeys.id, key.id));
    expect(row!.keyHash).toBe(createHmac("sha256", PEPPER).update(secret).digest("hex"));

    // No column of any table holds the secret or any 16-character piece of its random body.
    const dump = JSON.stringify(
      await Promise.all(
        ["users", "api_keys", "audit_events"].map((t) => queryRows(db, sql.raw(`select * from ${t}`))),
      ),
    );
    const body = secret.slice(4);
    for (let i = 0; i + 16 <= body.length; i++) expect(dump).not.toContain(body.slice(i, i + 16));
  });

  it("writes the audit event with the change, with actor, target, IP and user agent", async () => {
    const db = handle.db;
    const user = await makeUser(db);
    const { key } = await createApiKey(db, user.id, input("audited"), CONTEXT, PEPPER);
    const events = await db.select().from(auditEvents).where(eq(auditEvents.targetId, key.id));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      actorId: user.id,
      action: "api_key.created",
      targetType: "api_key",
      ip: CONTEXT.ip,
      userAgent: CONTEXT.userAgent,
    });
  });

  it("creates nothing when the audit write fails (one transaction)", async () => {
    const db = handle.db;
    const user = await makeUser(db);
    await db.execute(sql`create function fail_audit() returns trigger language plpgsql as $$
      begin raise exception 'audit write failed (test)'; end $$`);
    await db.execute(sql`create trigger fail_audit before insert on audit_events
      for each row when (new.action = 'api_key.created') execute function fail_audit()`);
    try {
      await expect(createApiKey(db, user.id, input("doomed"), CONTEXT, PEPPER)).rejects.toThrow();
    } finally {
      await db.execute(sql`drop trigger fail_audit on audit_events`);
      await db.execute(sql`drop function fail_audit()`);
    }
    expect(await db.select().from(apiKeys).where(eq(apiKeys.userId, user.id))).toHaveLength(0);
  });

  it("writes each change and its audit event in the same transaction", async () => {
    const db = handle.db;
    const user = await makeUser(db);
    const { key } = await createApiKey(db, user.id, input("same tx"), CONTEXT, PEPPER);
    // xmin is the id of the transaction that wrote a row version: equal ids, one transaction.
    const txOf = async (query: SQL) => String((await queryRows(db, query))[0]?.tx);
    const keyTx = () => txOf(sql`select xmin::text as tx from api_keys where id = ${key.id}`);
    const auditTx = (action: string) =>
      txOf(sql`select xmin::text as tx from audit_events where target_id = ${key.id} and action = ${action}`);
    expect(await auditTx("api_key.created")).toBe(await keyTx());
    await deleteApiKey(db, user.id, key.id, CONTEXT);
    expect(await auditTx("api_key.deleted")).toBe(await keyTx());
    expect(await auditTx("api_key.deleted")).not.toBe(await auditTx("api_key.created"));
  });

  it("holds the per-account quota of active keys under parallel creates", async () => {
    const db = handle.db;
    const user = await makeUser(db);
    process.env.MAX_ACTIVE_KEYS_PER_USER = "5";
    try {
      const results = await Promise.allSettled(
        Array.from({ length: 12 }, (_, i) => createApiKey(db, user.id, input(`quota ${i}`), CONTEXT, PEPPER)),
      );
      const created = results.filter((r) => r.status === "fulfilled");
      const refused = results.filter((r) => r.status === "rejected").map((r) => (r as PromiseRejectedResult).reason as AppError);
      expect(created).toHaveLength(5);
      expect(refused.map((e) => e.code)).toEqual(Array(7).fill("key_quota_reached"));
      expect(await listApiKeys(db, user.id)).toHaveLength(5);
      // A deleted key frees its place.
      const first = (created[0] as PromiseFulfilledResult<Awaited<ReturnType<typeof createApiKey>>>).value;
      await deleteApiKey(db, user.id, first.key.id, CONTEXT);
      await expect(createApiKey(db, user.id, input("quota again"), CONTEXT, PEPPER)).resolves.toBeTruthy();
    } finally {
      delete process.env.MAX_ACTIVE_KEYS_PER_USER;
    }
  });

  it("refuses a duplicate name per user, case-insensitively, but not across users", async () => {
    const db = handle.db;
    const a = await makeUser(db);
    const b = await makeUser(db);
    await createApiKey(db, a.id, input("Deploy"), CONTEXT, PEPPER);
    await expectAppError(createApiKey(db, a.id, input("deploy"), CONTEXT, PEPPER), "key_name_taken");
    await expect(createApiKey(db, b.id, input("Deploy"), CONTEXT, PEPPER)).resolves.toBeTruthy();
    expect(await listApiKeys(db, a.id)).toHaveLength(1);
  });

  it("lists only the owner's undeleted keys, newest first", async () => {
    const db = handle.db;
    const a = await makeUser(db);
    const b = await makeUser(db);
    const first = await createApiKey(db, a.id, input("first"), CONTEXT, PEPPER);
    const second = await createApiKey(db, a.id, input("second", { access: "read_only", scopes: scopesFor("read_only") }), CONTEXT, PEPPER);
    await createApiKey(db, b.id, input("other user's"), CONTEXT, PEPPER);
    const list = await listApiKeys(db, a.id);
    expect(list.map((k) => k.name)).toEqual(["second", "first"]);
    expect(list[0]!.scopes).toEqual(scopesFor("read_only"));
    await deleteApiKey(db, a.id, first.key.id, CONTEXT);
    expect((await listApiKeys(db, a.id)).map((k) => k.id)).toEqual([second.key.id]);
  });

  it("deletes by revoking: the row and its audit trail stay, the list forgets it, the name is free again", async () => {
    const db = handle.db;
    const user = await makeUser(db);
    const { key } = await createApiKey(db, user.id, input("old"), CONTEXT, PEPPER);
    const deleted = await deleteApiKey(db, user.id, key.id, CONTEXT);
    expect(deleted.revokedAt).toBeInstanceOf(Date);
    const [row] = await db.select().from(apiKeys).where(eq(apiKeys.id, key.id));
    expect(row!.revokedAt).not.toBeNull();
    expect(row!.deletedAt).not.toBeNull();
    const actions = (await db.select().from(auditEvents).where(eq(auditEvents.targetId, key.id))).map((e) => e.action);
    expect(actions.sort()).toEqual(["api_key.created", "api_key.deleted"]);
    await expectAppError(getApiKey(db, user.id, key.id), "key_not_found");
    await expect(createApiKey(db, user.id, input("old"), CONTEXT, PEPPER)).resolves.toBeTruthy();
  });

  it("answers not found for another user's key, an unknown id and a repeat, changing nothing", async () => {
    const db = handle.db;
    const owner = await makeUser(db);
    const intruder = await makeUser(db);
    const { key } = await createApiKey(db, owner.id, input("mine"), CONTEXT, PEPPER);
    const before = await db.select().from(apiKeys).where(eq(apiKeys.id, key.id));

    await expectAppError(deleteApiKey(db, intruder.id, key.id, CONTEXT), "key_not_found");
    await expectAppError(getApiKey(db, intruder.id, key.id), "key_not_found");
    await expectAppError(deleteApiKey(db, owner.id, "00000000-0000-4000-8000-000000000000", CONTEXT), "key_not_found");

    expect(await db.select().from(apiKeys).where(eq(apiKeys.id, key.id))).toEqual(before);
    const intruderEvents = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.actorId, intruder.id), eq(auditEvents.targetId, key.id)));
    expect(intruderEvents).toHaveLength(0);

    await deleteApiKey(db, owner.id, key.id, CONTEXT);
    await expectAppError(deleteApiKey(db, owner.id, key.id, CONTEXT), "key_not_found");
  });

  it("edits an active key, but refuses any change to a revoked or expired one", async () => {
    const user = await makeUser(handle.db);
    const { key } = await createApiKey(handle.db, user.id, input("editable", { expiresAt: new Date(Date.now() + 3_600_000) }), CONTEXT, PEPPER);
    const renamed = await updateApiKey(handle.db, user.id, key.id, { name: "edited", description: "for CI" }, CONTEXT);
    expect(renamed).toMatchObject({ name: "edited", description: "for CI" });

    // Two hours later (test clock) it has expired: a new expiry must not bring it back.
    const later = new Date(Date.now() + 30 * 86_400_000);
    await expectAppError(updateApiKey(handle.db, user.id, key.id, { expiresAt: later }, CONTEXT, { clockOffsetMs: 2 * 3_600_000 }), "key_inactive");
    await handle.db.update(apiKeys).set({ revokedAt: new Date(), revokedReason: "reported leaked" }).where(eq(apiKeys.id, key.id));
    await expectAppError(updateApiKey(handle.db, user.id, key.id, { name: "revived" }, CONTEXT), "key_inactive");
    await expectAppError(updateApiKey(handle.db, user.id, key.id, { expiresAt: later }, CONTEXT), "key_inactive");
    expect(await getApiKey(handle.db, user.id, key.id)).toMatchObject({ name: "edited", expiresAt: key.expiresAt });
  });

  it("records one event per kind of change: renamed, rescoped, updated (nothing for a no-op)", async () => {
    const db = handle.db;
    const user = await makeUser(db);
    const { key } = await createApiKey(db, user.id, input("before", { access: "read_only", scopes: scopesFor("read_only") }), CONTEXT, PEPPER);
    const events = async () =>
      (await db.select().from(auditEvents).where(eq(auditEvents.targetId, key.id)).orderBy(auditEvents.createdAt, auditEvents.id))
        .filter((e) => e.action !== "api_key.created")
        .map((e) => ({ action: e.action, actorId: e.actorId, metadata: e.metadata }));

    await updateApiKey(db, user.id, key.id, { name: "after" }, CONTEXT);
    await updateApiKey(db, user.id, key.id, { scopes: ["keys:read"] }, CONTEXT, { viaKeyId: key.id });
    await updateApiKey(db, user.id, key.id, { name: "after", scopes: ["keys:read"] }, CONTEXT); // no change: no event
    await updateApiKey(db, user.id, key.id, { description: "why" }, CONTEXT);
    expect(await events()).toEqual([
      { action: "api_key.renamed", actorId: user.id, metadata: { from: "before", to: "after" } },
      { action: "api_key.rescoped", actorId: user.id, metadata: { from: scopesFor("read_only"), to: ["keys:read"], via: "api_key", viaKeyId: key.id } },
      { action: "api_key.updated", actorId: user.id, metadata: { description: "why", expiresAt: key.expiresAt!.toISOString() } },
    ]);
    const intruder = await makeUser(db);
    await expectAppError(updateApiKey(db, intruder.id, key.id, { name: "hijacked" }, CONTEXT), "key_not_found");
    expect(await events()).toHaveLength(3);
  });

  it("enforces unique digests in the database", async () => {
    const db = handle.db;
    const user = await makeUser(db);
    const { key } = await createApiKey(db, user.id, input("unique"), CONTEXT, PEPPER);
    const [row] = await db.select().from(apiKeys).where(eq(apiKeys.id, key.id));
    await expect(
      db.insert(apiKeys).values({ ...row!, id: undefined, name: "copy", createdAt: undefined, updatedAt: undefined }),
    ).rejects.toThrow();
  });
});
