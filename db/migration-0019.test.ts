import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_DRIVER, queryRows } from "@/test/db";
import { openDbAtMigration } from "@/test/migrations";
import type { DbHandle } from "./client";

// Migration 0019 (team governance) on a database made by the migrations before it, holding a team,
// team and personal keys and their audit rows: nothing is lost, the events already recorded for a
// team join its log (audit_events.team_id), and the log stays append-only afterwards.

describe(`migration 0019 team governance (${TEST_DRIVER})`, () => {
  let handle: DbHandle;
  let close: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    ({ handle, close } = await openDbAtMigration(18));
  });
  afterAll(async () => {
    await close?.();
  });

  it("puts each team's past events in its log and loses nothing", async () => {
    const db = handle.db;
    const [alice, bob] = (await queryRows(
      db,
      sql`insert into users (email, name, password_hash) values ('alice@example.test', 'Alice', 'x'), ('bob@example.test', 'Bob', 'x') returning id`,
    )) as { id: string }[];
    const [team] = (await queryRows(db, sql`insert into teams (slug, name, created_by) values ('platform', 'Platform', ${alice!.id}) returning id`)) as { id: string }[];
    await db.execute(sql`
      insert into api_keys (user_id, team_id, created_by, name, key_hash, hint, access, scopes)
      values (null, ${team!.id}, ${alice!.id}, 'deploy', 'h-t1', 'ksk_…t001', 'full', '{keys:read}'),
             (${bob!.id}, null, ${bob!.id}, 'ci', 'h-b1', 'ksk_…b001', 'read_only', '{keys:read}')`);
    await db.execute(sql`
      insert into audit_events (actor_id, action, target_type, target_id, metadata)
      values (${alice!.id}, 'team.created', 'team', ${team!.id}, '{"slug":"platform"}'),
             (${bob!.id}, 'user.signed_in', 'user', ${bob!.id}, '{"teamId":"not-a-uuid"}')`);
    await db.execute(sql`
      insert into audit_events (actor_id, action, target_type, target_id, metadata)
      select created_by, 'api_key.created', 'api_key', id,
             case when team_id is null then jsonb_build_object('name', name) else jsonb_build_object('name', name, 'teamId', team_id) end
      from api_keys`);
    const columns = "id, actor_id, action, target_type, target_id, metadata, ip, user_agent, created_at";
    const before = await queryRows(db, sql.raw(`select ${columns} from audit_events order by action, target_id`));
    expect(before).toHaveLength(4);

    await handle.migrate();

    expect(await queryRows(db, sql.raw(`select ${columns} from audit_events order by action, target_id`))).toEqual(before);
    const logged = await queryRows(db, sql`select action, team_id from audit_events where team_id is not null order by action`);
    expect(logged).toEqual([
      { action: "api_key.created", team_id: team!.id },
      { action: "team.created", team_id: team!.id },
    ]);
    const keys = await queryRows(db, sql`select key_hash, allowed_ips from api_keys order by key_hash`);
    expect(keys).toEqual([
      { key_hash: "h-b1", allowed_ips: null },
      { key_hash: "h-t1", allowed_ips: null },
    ]);
    const policy = await queryRows(db, sql`select policy_max_lifetime_days, policy_require_expiry, policy_developer_scopes, policy_approval_from, policy_ips_required_for_full from teams`);
    expect(policy).toEqual([
      { policy_max_lifetime_days: null, policy_require_expiry: false, policy_developer_scopes: null, policy_approval_from: null, policy_ips_required_for_full: false },
    ]);
  });

  it("keeps the log append-only: no event moves into or out of a team's log", async () => {
    const db = handle.db;
    const refusal = async (query: Promise<unknown>) => {
      try {
        await query;
        return "accepted";
      } catch (error) {
        return String((error as { cause?: unknown }).cause ?? error);
      }
    };
    expect(await refusal(db.execute(sql`update audit_events set team_id = null where action = 'team.created'`))).toMatch(/append-only/);
    expect(await refusal(db.execute(sql`update audit_events set team_id = gen_random_uuid() where team_id is null`))).toMatch(/append-only/);
    // Deleting an actor still clears their id from their events (the one update allowed).
    await db.execute(sql`delete from users where email = 'bob@example.test'`);
    const rows = await queryRows(db, sql`select count(*)::int as n from audit_events where actor_id is null`);
    expect(rows[0]).toEqual({ n: 2 });
  });
});
