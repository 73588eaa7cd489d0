import fs from "node:fs";
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_DRIVER, queryRows } from "@/test/db";
import { openDbAtMigration } from "@/test/migrations";
import { MIGRATIONS_FOLDER, type DbHandle } from "./client";

// Migration 0018 (team keys) on a database made by the migrations before it, holding keys, usage,
// rotations and audit rows: nothing is lost, every existing key stays personal and is recorded as
// made by its owner, and the new rules (one owner, unique live name per team) hold afterwards.

describe(`migration 0018 team keys (${TEST_DRIVER})`, () => {
  let handle: DbHandle;
  let close: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    ({ handle, close } = await openDbAtMigration(17));
  });
  afterAll(async () => {
    await close?.();
  });

  it("keeps every key, rotation, usage and audit row, and records each key's owner as its creator", async () => {
    const db = handle.db;
    const before = await queryRows(db, sql`select count(*)::int as n from information_schema.columns where table_name = 'api_keys' and column_name in ('team_id', 'created_by')`);
    expect(before[0]).toEqual({ n: 0 });

    const [alice, bob] = (await queryRows(
      db,
      sql`insert into users (email, name, password_hash) values ('alice@example.test', 'Alice', 'x'), ('bob@example.test', 'Bob', 'x') returning id, email`,
    )) as { id: string; email: string }[];
    await db.execute(sql`
      insert into api_keys (user_id, name, key_hash, hint, access, scopes, revoked_at, deleted_at)
      values (${alice!.id}, 'ci', 'h-a1', 'ksk_…a001', 'full', '{keys:read,keys:write}', null, null),
             (${alice!.id}, 'old', 'h-a2', 'ksk_…a002', 'read_only', '{keys:read}', now(), now()),
             (${bob!.id}, 'ci', 'h-b1', 'ksk_…b001', 'restricted', '{usage:read}', null, null)`);
    await db.execute(sql`
      insert into api_key_rotations (key_id, old_key_hash, old_hint, new_hint, grace_until, actor_id, via)
      select id, 'h-a1-prev', 'ksk_…a000', 'ksk_…a001', now() + interval '1 hour', user_id, 'dashboard' from api_keys where key_hash = 'h-a1'`);
    await db.execute(sql`
      insert into api_key_usage_daily (key_id, day, success_count, failure_count)
      select id, current_date, 7, 1 from api_keys`);
    await db.execute(sql`
      insert into audit_events (actor_id, action, target_type, target_id, metadata)
      select user_id, 'api_key.created', 'api_key', id, jsonb_build_object('name', name) from api_keys`);

    const snapshot = async () => ({
      keys: await queryRows(db, sql`select id, user_id, name, key_hash, hint, access, scopes, revoked_at, deleted_at, created_at, secret_created_at from api_keys order by key_hash`),
      rotations: await queryRows(db, sql`select * from api_key_rotations order by old_key_hash`),
      usage: await queryRows(db, sql`select * from api_key_usage_daily order by key_id`),
      audit: await queryRows(db, sql`select id, actor_id, action, target_type, target_id, metadata, ip, user_agent, created_at from audit_events order by target_id, action`),
    });
    const old = await snapshot();
    expect(old.keys).toHaveLength(3);

    await handle.migrate();

    expect(await snapshot()).toEqual(old);
    const owners = await queryRows(db, sql`select key_hash, user_id = created_by as made_by_owner, team_id from api_keys order by key_hash`);
    expect(owners).toEqual([
      { key_hash: "h-a1", made_by_owner: true, team_id: null },
      { key_hash: "h-a2", made_by_owner: true, team_id: null },
      { key_hash: "h-b1", made_by_owner: true, team_id: null },
    ]);
    const applied = await queryRows(db, sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
    const journal = JSON.parse(fs.readFileSync(path.join(MIGRATIONS_FOLDER, "meta", "_journal.json"), "utf8")) as { entries: unknown[] };
    expect(applied[0]).toEqual({ n: journal.entries.length });
  });

  it("holds a key to exactly one owner, and a team's live key names unique", async () => {
    const db = handle.db;
    const [team] = (await queryRows(db, sql`insert into teams (slug, name) values ('platform', 'Platform') returning id`)) as { id: string }[];
    const [user] = (await queryRows(db, sql`select id from users where email = 'alice@example.test'`)) as { id: string }[];
    const insert = (userId: string | null, teamId: string | null, name: string, hash: string) =>
      db.execute(sql`insert into api_keys (user_id, team_id, created_by, name, key_hash, hint, access, scopes)
                     values (${userId}, ${teamId}, ${user!.id}, ${name}, ${hash}, 'ksk_…t000', 'full', '{}')`);
    await insert(null, team!.id, "deploy", "h-t1");
    await expect(insert(null, team!.id, "DEPLOY", "h-t2")).rejects.toThrow();
    await expect(insert(user!.id, team!.id, "both", "h-t3")).rejects.toThrow();
    await expect(insert(null, null, "neither", "h-t4")).rejects.toThrow();
    // The same name as a person's key is fine: names are unique per owner.
    await insert(null, team!.id, "ci", "h-t5");
    const rows = await queryRows(db, sql`select count(*)::int as n from api_keys where team_id = ${team!.id}`);
    expect(rows[0]).toEqual({ n: 2 });
  });
});
