import "server-only";
import { config } from "@/lib/config";
import { log } from "@/lib/log";
import { openDatabase, type Database, type DbHandle } from "./client";

// One client per process, created on first use (never at import, so `next build` opens nothing).
// Kept on globalThis so dev-mode hot reloads do not open a second PGlite on the same folder.
const globalForDb = globalThis as unknown as { __keysmithDb?: Promise<DbHandle> };

async function init(): Promise<DbHandle> {
  const handle = await openDatabase({
    url: config.databaseUrl,
    driver: config.databaseDriver,
    pgliteDir: config.pgliteDir,
  });
  // The embedded default migrates itself so `npm start` needs nothing else. A real database is
  // migrated by `npm run db:migrate` as a deploy step (set AUTO_MIGRATE=1 to do it at start).
  if (handle.driver === "pglite" || config.autoMigrate) {
    await handle.migrate();
    log.info("db.migrated", { driver: handle.driver });
  }
  return handle;
}

export function getDbHandle(): Promise<DbHandle> {
  globalForDb.__keysmithDb ??= init().catch((error) => {
    globalForDb.__keysmithDb = undefined;
    throw error;
  });
  return globalForDb.__keysmithDb;
}

export async function getDb(): Promise<Database> {
  return (await getDbHandle()).db;
}

export type { Database };
