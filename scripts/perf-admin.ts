// npm run perf:admin -- [--keys 100000] [--users 1000] [--runs 7] [--port 3400] [--database-url URL] [--build] [--keep]
//
// Measures the admin pages on a freshly seeded database: builds the app if there is no build,
// seeds a new database (PGlite in a temporary folder, or a scratch database created on the
// Postgres server of --database-url / DATABASE_URL, dropped afterwards), starts the production
// server (node server.mjs), signs in as an admin through next-auth's credentials endpoint, and
// prints each page's server time: the median of --runs requests after two warm-ups, timed from
// sending the request to the last byte of the page, over loopback.
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import { createUser } from "../db/queries/users";
import { seedKeys } from "../db/seed-keys";
import { hashPassword } from "../lib/password";
import { buildIfNeeded, freshDatabase, signIn, startServer, step, timePage, type Cleanup } from "./perf-support";

const { values: args } = parseArgs({
  options: {
    keys: { type: "string", default: "100000" },
    users: { type: "string", default: "1000" },
    runs: { type: "string", default: "7" },
    port: { type: "string", default: process.env.PORT ?? "3400" },
    "database-url": { type: "string" },
    build: { type: "boolean", default: false },
    keep: { type: "boolean", default: false },
    help: { type: "boolean", default: false },
  },
});
if (args.help) {
  console.log("Usage: npm run perf:admin -- [--keys N] [--users N] [--runs N] [--port N] [--database-url postgres://…] [--build] [--keep]");
  process.exit(0);
}

const keys = Number(args.keys);
const runs = Math.max(1, Number(args.runs));
const port = Number(args.port);
const base = `http://localhost:${port}`;
const serverUrl = args["database-url"] ?? process.env.DATABASE_URL;
const admin = { email: "perf-admin@keysmith.test", password: randomBytes(18).toString("base64url") };
const cleanups: Cleanup[] = [];

async function measure(cookie: string, url: string): Promise<{ median: number; min: number; max: number; shows: string }> {
  const r = await timePage(base, cookie, url, runs);
  const text = r.body.replace(/<!-- -->/g, "");
  const shows = text.match(/[\d,]+–[\d,]+ of [\d,]+\+?|No results/)?.[0] ?? "";
  return { median: r.median, min: r.min, max: r.max, shows };
}

async function main() {
  buildIfNeeded(args.build);
  const database = await freshDatabase(serverUrl, args.keep, cleanups);
  step(`seeding ${Number(args.users).toLocaleString("en-US")} users and ${keys.toLocaleString("en-US")} keys into ${database.where}`);
  const handle = await database.open();
  let owner = "";
  try {
    await handle.migrate();
    const seeded = await seedKeys(handle.db, { users: Number(args.users), keys });
    await createUser(handle.db, { email: admin.email, name: "Perf Admin", passwordHash: await hashPassword(admin.password), adminEmails: [admin.email] }, { ip: null, userAgent: "perf-admin" });
    step(`seeded in ${(seeded.ms / 1000).toFixed(1)} s`);
    owner = `user42@${seeded.emailDomain}`;
  } finally {
    // PGlite allows one process per folder: the server opens it next.
    await handle.close();
  }
  step(`starting node server.mjs on port ${port}`);
  await startServer(port, database.env, cleanups);
  const cookie = await signIn(base, admin.email, admin.password);
  const deepPage = Math.max(1, Math.min(2000, Math.floor(keys / 50)));
  const views: [string, string][] = [
    ["Overview (cards + chart)", "/admin"],
    ["All keys, default", "/admin/keys"],
    [`All keys, page ${deepPage}`, `/admin/keys?page=${deepPage}`],
    ["Sort by name", "/admin/keys?sort=name&dir=asc"],
    ["Sort by last used", "/admin/keys?sort=last_used&dir=desc"],
    ["Sort by expires", "/admin/keys?sort=expires&dir=asc"],
    ["Search a key name", "/admin/keys?q=seed+key+4242"],
    ["Search an owner email", "/admin/keys?q=user42%40"],
    ["Owner (exact)", `/admin/keys?owner=${encodeURIComponent(owner)}`],
    ["Status active", "/admin/keys?status=active"],
    ["Status revoked", "/admin/keys?status=revoked"],
    ["Status rotation due", "/admin/keys?status=rotation_due"],
    ["Scope keys:write", "/admin/keys?scope=keys%3Awrite"],
    ["Unused 90+ days", "/admin/keys?usage=stale"],
    ["Audit log", "/admin/audit"],
    ["Users", "/admin/users"],
  ];
  console.log(`\nServer time, median of ${runs} after 2 warm-ups (${database.where.split(" in ")[0]}, ${keys.toLocaleString("en-US")} keys)\n`);
  console.log(`${"view".padEnd(26)} ${"median".padStart(8)} ${"min".padStart(7)} ${"max".padStart(7)}  shows                 url`);
  for (const [label, url] of views) {
    const r = await measure(cookie, url);
    const ms = (v: number) => `${v.toFixed(0)} ms`.padStart(7);
    console.log(`${label.padEnd(26)} ${ms(r.median).padStart(8)} ${ms(r.min)} ${ms(r.max)}  ${r.shows.padEnd(21)} ${url}`);
  }
}

try {
  await main();
} catch (error) {
  const cause = error instanceof Error && error.cause instanceof Error ? `\n${error.cause.message}` : "";
  console.error(error instanceof Error ? `${error.message.split("\n")[0]}${cause}` : error);
  process.exitCode = 1;
} finally {
  for (const cleanup of cleanups.reverse()) await cleanup();
}
