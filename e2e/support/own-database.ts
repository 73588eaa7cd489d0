import fs from "node:fs";
import { randomBytes } from "node:crypto";
import pg from "pg";
import { serverEnv } from "./server-env";

export type OwnDatabase = { env: Record<string, string>; url?: string; drop: () => Promise<void> };

/**
 * A deployment's own database, for a spec that runs a server of its own whose state must not mix
 * with the shared one (its sign-up mode, its sign-in limits): a fresh embedded one in `dir` (kept
 * after the run, so the secret-hygiene script can read it), or, in the Postgres pass, a scratch
 * database on the same server, dropped by `drop()`.
 */
export async function ownDatabase(dir: string, prefix: string): Promise<OwnDatabase> {
  fs.rmSync(dir, { recursive: true, force: true });
  const shared = process.env.E2E_DATABASE_URL;
  if (!shared) return { env: serverEnv(dir), drop: async () => undefined };
  const name = `${prefix}_${randomBytes(5).toString("hex")}`;
  const admin = new pg.Client({ connectionString: shared });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(shared);
  url.pathname = `/${name}`;
  return {
    env: { ...serverEnv(dir), DATABASE_URL: url.toString() },
    url: url.toString(),
    drop: async () => {
      const dropper = new pg.Client({ connectionString: shared });
      await dropper.connect();
      await dropper.query(`drop database if exists ${name} with (force)`);
      await dropper.end();
    },
  };
}
