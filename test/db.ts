import { randomBytes } from "node:crypto";
import fs from "node:fs";
import type { SQL } from "drizzle-orm";
import { inject } from "vitest";
import { openDatabase, type DbHandle, type Driver } from "@/db/client";
import { startNeonWsProxy } from "./neon-ws-proxy";

export const TEST_DRIVER = (process.env.TEST_DRIVER ?? "pglite") as Driver;

/** Refuses to create and drop databases anywhere but on this machine. */
export function assertLocalDatabase(url: string): void {
  const host = new URL(url).hostname;
  if (!["localhost", "127.0.0.1", "[::1]", "::1", ""].includes(host) && process.env.ALLOW_REMOTE_TEST_DB !== "1") {
    throw new Error(`Refusing to run tests against non-local database host "${host}".`);
  }
}

/**
 * A fresh, migrated database for one test file: in-memory PGlite by default; with
 * TEST_DRIVER=pg or neon, a new database on TEST_DATABASE_URL's server (dropped afterwards),
 * reached through `pg` or through Neon's driver and a local WebSocket proxy.
 */
export async function openTestDb(options: { migrate?: boolean } = {}): Promise<DbHandle> {
  const migrate = options.migrate ?? true;
  if (TEST_DRIVER === "pglite") {
    // A copy of the migrated database test/global-setup.ts made once for the run (not for a test
    // that applies the migrations itself).
    const template = migrate ? inject("pgliteTemplate") : undefined;
    const handle = await openDatabase({ pgliteDir: "memory://", pgliteTemplate: template ? new Blob([fs.readFileSync(template)]) : undefined });
    if (migrate) await handle.migrate();
    return handle;
  }
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) throw new Error(`TEST_DRIVER=${TEST_DRIVER} needs TEST_DATABASE_URL`);
  assertLocalDatabase(adminUrl);
  const name = `keysmith_test_${randomBytes(6).toString("hex")}`;
  const { default: pg } = await import("pg");
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;

  let proxy: Awaited<ReturnType<typeof startNeonWsProxy>> | undefined;
  if (TEST_DRIVER === "neon") {
    proxy = await startNeonWsProxy();
    process.env.NEON_WS_PROXY = proxy.url;
  }
  const handle = await openDatabase({ url: url.toString(), driver: TEST_DRIVER, pgliteDir: "" });
  if (migrate) await handle.migrate();
  return {
    ...handle,
    close: async () => {
      await handle.close();
      await proxy?.close();
      const dropper = new pg.Client({ connectionString: adminUrl });
      await dropper.connect();
      await dropper.query(`drop database if exists ${name} with (force)`);
      await dropper.end();
    },
  };
}

/** Raw rows of a SQL query, whichever driver ran it (each wraps results a little differently). */
export async function queryRows(db: DbHandle["db"], query: SQL): Promise<Record<string, unknown>[]> {
  const result = (await db.execute(query)) as unknown as { rows: Record<string, unknown>[] };
  return result.rows;
}
