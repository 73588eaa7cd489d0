import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbHandle } from "@/db/client";
import { adminKeyFilters } from "@/lib/validation/admin.schema";
import { TEST_DRIVER, openTestDb, queryRows } from "@/test/db";
import { keyOverview, listAllKeys } from "./queries/admin-keys";
import { seedKeys } from "./seed-keys";

let handle: DbHandle;
beforeAll(async () => {
  handle = await openTestDb();
});
afterAll(async () => {
  await handle?.close();
});

describe(`seedKeys (${TEST_DRIVER})`, () => {
  it("adds users and keys with a mix of every status, scope and usage, twice without clashing", async () => {
    const first = await seedKeys(handle.db, { users: 7, keys: 400, usageKeys: 20, usageDays: 3 });
    const second = await seedKeys(handle.db, { users: 3, keys: 50, usageKeys: 0, auditEvents: false, analyze: false });
    expect(first).toMatchObject({ users: 7, keys: 400, usageRows: 60, auditEvents: 407 });
    expect(second.emailDomain).not.toBe(first.emailDomain);

    const [counts] = await queryRows(
      handle.db,
      sql`select (select count(*) from users where email like ${`%@${first.emailDomain}`})::int as users,
                 (select count(*) from api_keys k join users u on u.id = k.user_id where u.email like ${`%@${first.emailDomain}`})::int as keys,
                 (select count(distinct user_id) from api_keys)::int as owners,
                 (select count(*) from api_key_usage_daily)::int as usage,
                 (select count(*) from audit_events where action = 'api_key.created')::int as created,
                 (select count(*) from api_keys where secret_created_at < created_at or last_used_at < created_at)::int as inconsistent`,
    );
    expect(counts).toEqual({ users: 7, keys: 400, owners: 10, usage: 60, created: 400, inconsistent: 0 });

    const { counts: overview } = await keyOverview(handle.db, 90);
    for (const [card, n] of Object.entries(overview)) expect(n, card).toBeGreaterThan(0);
    const total = async (raw: Record<string, string>) => (await listAllKeys(handle.db, adminKeyFilters.parse(raw), 90)).total;
    expect(await total({ status: "expired" })).toBeGreaterThan(0);
    expect(await total({ usage: "stale" })).toBeGreaterThan(0);
    expect(await total({ scope: "keys:write" })).toBeGreaterThan(0);
    expect(await total({})).toBe(450);
  });

});
