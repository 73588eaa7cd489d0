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
