import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import type { Database } from "./client";

/**
 * Bulk test data for measuring the admin pages (`npm run perf:admin`) and benchmarks: users and
 * keys with a realistic mix of statuses, scopes and usage, written by a handful of set-based
 * INSERT … SELECT generate_series statements (100,000 keys in seconds, on Postgres and PGlite).
 *
 * Seeded keys can never authenticate: their stored digest is random, not the HMAC of any key
 * anyone holds. Seeded users cannot sign in (their password hash is not a hash). Each run gets
 * its own email prefix, so seeding twice into one database simply adds more. Open a `pg`
 * database with { longQueries: true }: the app's client-side query timeout cannot be lifted
 * from inside a statement.
 */
export type SeedOptions = {
  users: number;
  keys: number;
  /** Keys (oldest first) that get a row per day of request counts; default min(keys, 5,000). */
  usageKeys?: number;
  /** Days of usage per such key, ending today; default 30. */
  usageDays?: number;
  /** One api_key.created audit event per key and one user.signed_up per user; default true. */
  auditEvents?: boolean;
  /** VACUUM ANALYZE afterwards, so plans and index-only scans are those of a settled database; default true. */
  analyze?: boolean;
};

export type SeedResult = { runId: string; emailDomain: string; users: number; keys: number; usageRows: number; auditEvents: number; ms: number };

// Per-key mix (by i, the key's number). Roughly: 10% revoked, 25% without expiry, the rest
// expiring from 30 days ago to a year ahead (so some expired, some expiring within 7 days);
// 20% never used, the rest last used 0-199 days ago (so some unused for 90+ days); secrets
// 0-149 days old (so some due for rotation at the default 90 days); created up to a year ago.
const SCOPE_SETS = sql.raw(`case i % 3
    when 0 then array['keys:read','keys:write','keys:rotate','keys:verify','profile:read','profile:write','usage:read']
    when 1 then array['keys:read','profile:read','usage:read']
    else array['usage:read'] end`);
const ACCESS = sql.raw(`(array['full','read_only','restricted'])[1 + i % 3]`);

export async function seedKeys(db: Database, options: SeedOptions): Promise<SeedResult> {
  const started = Date.now();
  const users = positive(options.users, "users");
  const keys = Math.max(0, Math.floor(options.keys));
  const usageKeys = Math.min(keys, options.usageKeys ?? 5_000);
  const usageDays = options.usageDays ?? 30;
  const runId = randomBytes(4).toString("hex");
  const domain = `seed-${runId}.test`;

  // One transaction, without the app pool's 10-second statement timeout: 100,000 rows can take
  // longer on a busy machine. VACUUM cannot run in a transaction, so it comes after.
  const { usageRows, auditEvents } = await db.transaction(async (tx) => {
    await tx.execute(sql`set local statement_timeout = 0`);
    return insertAll(tx as unknown as Database, { users, keys, usageKeys, usageDays, runId, domain, audit: options.auditEvents ?? true });
  });

  if (options.analyze ?? true) {
    for (const table of ["users", "api_keys", "api_key_usage_daily", "audit_events"]) await db.execute(sql.raw(`vacuum analyze ${table}`));
  }
  return { runId, emailDomain: domain, users, keys, usageRows, auditEvents, ms: Date.now() - started };
}

type Plan = { users: number; keys: number; usageKeys: number; usageDays: number; runId: string; domain: string; audit: boolean };

async function insertAll(db: Database, { users, keys, usageKeys, usageDays, runId, domain, audit }: Plan) {
  await db.execute(sql`
    insert into users (email, name, password_hash, role, created_at)
    select 'user' || n || '@' || ${domain}::text, 'Seed User ' || n, 'seeded: cannot sign in', 'member', now() - (n || ' minutes')::interval
    from generate_series(1, ${users}::int) n`);

  await db.execute(sql`
    with owners as (select array_agg(id order by created_at desc, id) ids from users where email like ${`%@${domain}`})
    insert into api_keys (user_id, name, key_hash, hint, access, scopes, expires_at, last_used_at, revoked_at, revoked_reason,
                          secret_created_at, created_at, updated_at)
    select owners.ids[1 + i % ${users}::int],
      'seed key ' || i,
      replace(gen_random_uuid()::text, '-', '') || replace(gen_random_uuid()::text, '-', ''),
      'ksk_…' || substr(md5(${runId}::text || i), 1, 4),
      ${ACCESS},
      ${SCOPE_SETS},
      case when i % 4 = 0 then null else now() + ((i % 400) - 30) * interval '1 day' end,
      case when i % 5 = 0 then null else greatest(c.created, now() - (i % 200) * interval '1 day') end,
      case when i % 10 = 0 then greatest(c.created, now() - (i % 50) * interval '1 day') end,
      case when i % 10 = 0 then 'seeded' end,
      greatest(c.created, now() - (i % 150) * interval '1 day'),
      c.created,
      now()
    from owners, generate_series(1, ${keys}::int) i
    cross join lateral (select now() - (i % 365) * interval '1 day' - i * interval '1 second' as created) c`);

  let usageRows = 0;
  if (usageKeys > 0 && usageDays > 0) {
    await db.execute(sql`
      insert into api_key_usage_daily (key_id, day, success_count, failure_count)
      select k.id, current_date - d, 1 + (abs(hashtext(k.id::text || d)) % 100), abs(hashtext(d || k.id::text)) % 5
      from (select k.id from api_keys k join users u on u.id = k.user_id
            where u.email like ${`%@${domain}`} order by k.created_at limit ${usageKeys}::int) k,
           generate_series(0, ${usageDays - 1}::int) d`);
    usageRows = usageKeys * usageDays;
  }

  let auditEvents = 0;
  if (audit) {
    await db.execute(sql`
      insert into audit_events (actor_id, action, target_type, target_id, metadata, ip, user_agent, created_at)
      select u.id, 'user.signed_up', 'user', u.id, '{"role":"member","seeded":true}'::jsonb, '192.0.2.1', 'seed-keys', u.created_at
      from users u where u.email like ${`%@${domain}`}`);
    await db.execute(sql`
      insert into audit_events (actor_id, action, target_type, target_id, metadata, ip, user_agent, created_at)
      select k.user_id, 'api_key.created', 'api_key', k.id, jsonb_build_object('name', k.name, 'hint', k.hint, 'seeded', true),
             '192.0.2.1', 'seed-keys', k.created_at
      from api_keys k join users u on u.id = k.user_id where u.email like ${`%@${domain}`}`);
    auditEvents = users + keys;
  }
  return { usageRows, auditEvents };
}

function positive(value: number, name: string): number {
  const n = Math.floor(value);
  if (!Number.isFinite(n) || n < 1) throw new Error(`seedKeys: ${name} must be at least 1.`);
  return n;
}
