// npm run seed:keys -- [--users 1000] [--keys 100000] [--database-url URL | --data-dir DIR] [--no-audit]
//
// Adds bulk users and keys (db/seed-keys.ts) to a database, after applying migrations: the
// embedded one by default (KEYSMITH_DATA_DIR / PGLITE_DATA_DIR, as the app), a PGlite folder
// with --data-dir, or a Postgres/Neon database with --database-url (or DATABASE_URL). Never
// point it at a database whose data matters: it only adds rows, but 100,000 of them.
import path from "node:path";
import { parseArgs } from "node:util";
import { openDatabase } from "../db/client";
import { seedKeys } from "../db/seed-keys";
import { config } from "../lib/config";

const { values: args } = parseArgs({
  options: {
    users: { type: "string", default: "1000" },
    keys: { type: "string", default: "100000" },
    "database-url": { type: "string" },
    "data-dir": { type: "string" },
    "no-audit": { type: "boolean", default: false },
    help: { type: "boolean", default: false },
  },
});
if (args.help) {
  console.log("Usage: npm run seed:keys -- [--users N] [--keys N] [--database-url URL | --data-dir DIR] [--no-audit]");
  process.exit(0);
}

const url = args["database-url"] ?? (args["data-dir"] ? undefined : config.databaseUrl);
const pgliteDir = args["data-dir"] ? path.resolve(args["data-dir"], "pglite") : config.pgliteDir;
const handle = await openDatabase({ url, driver: url ? config.databaseDriver : undefined, pgliteDir, longQueries: true });
try {
  await handle.migrate();
  const result = await seedKeys(handle.db, { users: Number(args.users), keys: Number(args.keys), auditEvents: !args["no-audit"] });
  console.log(
    `Seeded ${result.users.toLocaleString("en-US")} users (@${result.emailDomain}) and ${result.keys.toLocaleString("en-US")} keys ` +
      `into ${handle.driver === "pglite" ? pgliteDir : "DATABASE_URL"} in ${(result.ms / 1000).toFixed(1)} s.`,
  );
} finally {
  await handle.close();
}
