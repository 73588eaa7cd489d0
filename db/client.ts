import fs from "node:fs";
import path from "node:path";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { config } from "../lib/config";
import { errorFields, log } from "../lib/log";
import { WriteGeneration, registerWriteGeneration } from "./coherence";
import * as schema from "./schema";

export type Database = PgDatabase<PgQueryResultHKT, typeof schema>;
export type Driver = "pglite" | "pg" | "neon";
/** What a pool says of its connections (pg and Neon pools), for the metrics. */
type PoolStats = { readonly totalCount: number; readonly idleCount: number; readonly waitingCount: number };

export type DbHandle = {
  db: Database;
  driver: Driver;
  pool?: PoolStats;
  /** Applies the migrations in `folder` (by default the committed ones) not yet applied. */
  migrate: (folder?: string) => Promise<void>;
  close: () => Promise<void>;
  /** PGlite only: the whole data directory as a tarball (a template other instances can start from). */
  dumpDataDir?: () => Promise<Blob>;
};

export const MIGRATIONS_FOLDER = path.join(/* turbopackIgnore: true */ process.cwd(), "db", "migrations");

/** No URL -> embedded PGlite; a Neon host or DATABASE_DRIVER=neon -> Neon's driver; else `pg`. */
export function resolveDriver(url: string | undefined, driver?: string): Driver {
  if (!url) return "pglite";
  if (driver === "neon" || driver === "pg") return driver;
  if (driver) throw new Error(`DATABASE_DRIVER must be "pg" or "neon", not "${driver}".`);
  try {
    const host = new URL(url).hostname;
    if (host === "neon.tech" || host.endsWith(".neon.tech") || host.endsWith(".neon.build")) return "neon";
  } catch {
    throw new Error("DATABASE_URL is not a valid postgres:// URL.");
  }
  return "pg";
}

export type OpenOptions = {
  url?: string;
  driver?: string;
  pgliteDir: string;
  /** Scripts that bulk-load data (db/seed-keys.ts) lift the per-query time limits the app keeps. */
  longQueries?: boolean;
  /** PGlite only: start from this data directory (a `dumpDataDir` tarball) instead of an empty cluster. */
  pgliteTemplate?: Blob;
};

export async function openDatabase(options: OpenOptions): Promise<DbHandle> {
  const driver = resolveDriver(options.url, options.driver);
  if (driver === "pglite") return openPglite(options.pgliteDir, options.pgliteTemplate);
  if (driver === "neon") return openNeon(options.url!);
  return openPg(options.url!, options.longQueries ?? false);
}

async function openPglite(dir: string, template?: Blob): Promise<DbHandle> {
  const { PGlite } = await import("@electric-sql/pglite");
  const { drizzle } = await import("drizzle-orm/pglite");
  const { migrate } = await import("drizzle-orm/pglite/migrator");
  // Migration 0006 creates pg_trgm (trigram indexes for substring search); PGlite ships it as
  // a contrib bundle that has to be handed over here, or CREATE EXTENSION fails.
  const { pg_trgm } = await import("@electric-sql/pglite/contrib/pg_trgm");
  if (!dir.startsWith("memory://")) fs.mkdirSync(dir, { recursive: true });
  const client = new PGlite(dir, { extensions: { pg_trgm }, ...(template ? { loadDataDir: template } : {}) });
  await client.waitReady;
  // Every statement passes the write generation on its way (db/coherence.ts): the key lookup cache
  // it makes coherent is what lets the embedded default verify without a query per request.
  const generation = new WriteGeneration();
  const db = drizzle({ client, schema, casing: "snake_case", logger: generation });
  registerWriteGeneration(db, generation);
  return {
    db: db as unknown as Database,
    driver: "pglite",
    migrate: (folder = MIGRATIONS_FOLDER) => migrate(db, { migrationsFolder: folder }),
    close: () => client.close(),
    dumpDataDir: () => client.dumpDataDir("none"),
  };
}

/**
 * Bounded waits everywhere: a slow, locked or unreachable database must turn into a quick 503,
 * not a request that hangs. With `pg` the server cancels a statement (a wait for a lock included)
 * after DATABASE_STATEMENT_TIMEOUT_MS; the client gives up 5 s later still, in case the server
 * itself stops answering (a cut network); a connection attempt gives up after
 * DATABASE_CONNECT_TIMEOUT_MS. Read when a pool is opened, so tests can set them per process.
 *
 * The statement timeout travels in the connection's startup packet, which PgBouncer-style poolers
 * refuse ("unsupported startup parameter") and Neon ignores: DATABASE_STATEMENT_TIMEOUT_MS=0 stops
 * sending it, and Neon's driver never sends it, keeping only the client-side limit. There, set it
 * on the database role instead (`ALTER ROLE app SET statement_timeout = '10s'`).
 */
export function timeouts() {
  const statementMs = config.databaseStatementTimeoutMs;
  return {
    statementMs,
    queryMs: (statementMs || 10_000) + 5_000,
    connectMs: config.databaseConnectTimeoutMs,
  };
}

function poolSettings() {
  return {
    max: config.databasePoolMax,
    connectionTimeoutMillis: timeouts().connectMs,
    idleTimeoutMillis: 30_000,
  };
}

type ErrorEmitter = { on(event: "error", listener: (error: Error) => void): unknown };

/**
 * A connection that dies (the database crashed or restarted, or a backend was killed) emits
 * 'error' on its client, and an 'error' event nobody listens to is an uncaught exception. The
 * pool listens only while a client is idle; a client checked out for a transaction has no
 * listener of its own, so one is added to every client when it connects. Nothing else is
 * needed: the query under way fails with the error (a 503), and the pool drops the dead client
 * when it is released, so the next request opens a fresh connection.
 */
function keepErrorsFromCrashing(pool: ErrorEmitter & { on(event: "connect", listener: (client: ErrorEmitter) => void): unknown }) {
  pool.on("error", () => {});
  pool.on("connect", (client) => {
    client.on("error", (error) => log.warn("db.connection_lost", errorFields(error)));
  });
}

async function openPg(url: string, longQueries: boolean): Promise<DbHandle> {
  const { Pool } = await import("pg");
  const { drizzle } = await import("drizzle-orm/node-postgres");
  const { migrate } = await import("drizzle-orm/node-postgres/migrator");
  const { statementMs, queryMs } = timeouts();
  const pool = new Pool({
    connectionString: url,
    ...poolSettings(),
    ...(longQueries ? {} : { ...(statementMs ? { statement_timeout: statementMs } : {}), query_timeout: queryMs }),
  });
  keepErrorsFromCrashing(pool);
  const db = drizzle({ client: pool, schema, casing: "snake_case" });
  return {
    db: db as unknown as Database,
    driver: "pg",
    pool,
    migrate: (folder = MIGRATIONS_FOLDER) => migrate(db, { migrationsFolder: folder }),
    close: () => pool.end(),
  };
}

async function openNeon(url: string): Promise<DbHandle> {
  const { Pool, neonConfig } = await import("@neondatabase/serverless");
  const { drizzle } = await import("drizzle-orm/neon-serverless");
  const { migrate } = await import("drizzle-orm/neon-serverless/migrator");
  const { default: ws } = await import("ws");
  neonConfig.webSocketConstructor = ws;
  // NEON_WS_PROXY points the driver at a plain WebSocket-to-TCP proxy in front of an ordinary
  // Postgres (the test suite runs one). Real Neon needs none of this.
  const proxy = config.neonWsProxy;
  if (proxy) {
    neonConfig.wsProxy = (host, port) => `${proxy}?address=${host}:${port}`;
    neonConfig.useSecureWebSocket = false;
    neonConfig.pipelineConnect = false;
    neonConfig.pipelineTLS = false;
  }
  // Client-side limit only: see timeouts() for why no statement_timeout is sent to Neon.
  const pool = new Pool({ connectionString: url, ...poolSettings(), query_timeout: timeouts().queryMs });
  keepErrorsFromCrashing(pool);
  const db = drizzle({ client: pool, schema, casing: "snake_case" });
  return {
    db: db as unknown as Database,
    driver: "neon",
    pool,
    migrate: (folder = MIGRATIONS_FOLDER) => migrate(db, { migrationsFolder: folder }),
    close: () => pool.end(),
  };
}
