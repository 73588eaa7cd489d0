import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_DRIVER, openTestDb, queryRows } from "@/test/db";
import { resolveDriver, type DbHandle } from "./client";
import { users } from "./schema";

describe("resolveDriver", () => {
  it("chooses PGlite without a URL, Neon for Neon hosts, pg otherwise", () => {
    expect(resolveDriver(undefined)).toBe("pglite");
    expect(resolveDriver("postgres://u:p@ep-cool-1.eu-central-1.aws.neon.tech/db")).toBe("neon");
    expect(resolveDriver("postgres://u:p@db.internal:5432/app")).toBe("pg");
    expect(resolveDriver("postgres://u:p@127.0.0.1/app", "neon")).toBe("neon");
    expect(resolveDriver("postgres://u:p@x.neon.tech/app", "pg")).toBe("pg");
    expect(() => resolveDriver("postgres://x/y", "mysql")).toThrow(/DATABASE_DRIVER/);
    expect(() => resolveDriver("not a url")).toThrow(/DATABASE_URL/);
  });
});

describe(`database client (${TEST_DRIVER})`, () => {
  let handle: DbHandle;
  beforeAll(async () => {
    handle = await openTestDb();
  });
  afterAll(async () => {
    await handle?.close();
  });

  it("runs on the driver under test", () => {
    expect(handle.driver).toBe(TEST_DRIVER);
  });

  it("rolls back an interactive transaction that throws", async () => {
    const error = await handle.db
      .transaction(async (tx) => {
        await tx.insert(users).values({ email: "rollback@example.test", name: "R", passwordHash: "x" });
        throw new Error("boom");
      })
      .catch((e: unknown) => e);
    expect((error as Error).message).toBe("boom");
    const rows = await queryRows(handle.db, sql`select count(*)::int as n from users where email = 'rollback@example.test'`);
    expect(rows[0]).toEqual({ n: 0 });
  });

  it("has applied every committed migration", async () => {
    const rows = await queryRows(handle.db, sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
    const fs = await import("node:fs");
    const journal = JSON.parse(fs.readFileSync("db/migrations/meta/_journal.json", "utf8")) as { entries: unknown[] };
    expect(rows[0]).toEqual({ n: journal.entries.length });
  });
});

describe(`migration 0005 (${TEST_DRIVER})`, () => {
  let handle: DbHandle;
  beforeAll(async () => {
    handle = await openTestDb();
  });
  afterAll(async () => {
    await handle?.close();
  });

  it("dates each key's secret from its last rotation, or its creation, not from the upgrade", async () => {
    const fs = await import("node:fs");
    const { makeUser } = await import("@/test/fixtures");
    const db = handle.db;
    const user = await makeUser(db);
    // As 0002 left them: two old keys stamped "issued today"; one was rotated 10 days ago.
    await db.execute(sql`
      insert into api_keys (user_id, name, key_hash, hint, access, scopes, created_at, secret_created_at)
      values (${user.id}, 'old', 'h-old', 'ksk_…aaaa', 'full', '{}', now() - interval '200 days', now()),
             (${user.id}, 'rotated', 'h-rot', 'ksk_…bbbb', 'full', '{}', now() - interval '300 days', now())`);
    await db.execute(sql`
      insert into api_key_rotations (key_id, old_key_hash, old_hint, new_hint, grace_until, via, rotated_at)
      select id, 'h-prev', 'ksk_…cccc', 'ksk_…bbbb', now(), 'api', now() - interval '10 days' from api_keys where name = 'rotated'`);
    const backfill = fs.readFileSync("db/migrations/0005_secret_age_backfill_and_audit_guard.sql", "utf8").split("--> statement-breakpoint")[0]!;
    await db.execute(sql.raw(backfill));
    const rows = await queryRows(
      db,
      sql`select name, (now() - secret_created_at) > interval '199 days' as old, (now() - secret_created_at) between interval '9 days' and interval '11 days' as ten
          from api_keys where user_id = ${user.id} order by name`,
    );
    expect(rows).toEqual([
      { name: "old", old: true, ten: false },
      { name: "rotated", old: false, ten: true },
    ]);
  });
});
