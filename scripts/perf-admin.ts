// npm run perf:admin -- [--keys 100000] [--users 1000] [--runs 7] [--port 3400] [--database-url URL] [--build] [--keep]
//
// Measures the admin pages on a freshly seeded database: builds the app if there is no build,
// seeds a new database (PGlite in a temporary folder, or a scratch database created on the
// Postgres server of --database-url / DATABASE_URL, dropped afterwards), starts the production
// server (node server.mjs), signs in as an admin through next-auth's credentials endpoint, and
// prints each page's server time: the median of --runs requests after two warm-ups, timed from
// sending the request to the last byte of the page, over loopback.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { openDatabase } from "../db/client";
import { createUser } from "../db/queries/users";
import { seedKeys } from "../db/seed-keys";
import { hashPassword } from "../lib/password";

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
const cleanups: (() => Promise<void> | void)[] = [];

function step(message: string) {
  console.log(`… ${message}`);
}

/** A new database: a scratch one on the given Postgres server, or a temporary PGlite folder. */
async function freshDatabase(): Promise<{ env: Record<string, string>; open: () => ReturnType<typeof openDatabase>; where: string }> {
  if (serverUrl) {
    const host = new URL(serverUrl).hostname;
    if (!["localhost", "127.0.0.1", "::1", "[::1]", ""].includes(host) && process.env.ALLOW_REMOTE_PERF_DB !== "1") {
      throw new Error(`Refusing to create a scratch database on non-local host "${host}" (set ALLOW_REMOTE_PERF_DB=1 to allow).`);
    }
    const name = `keysmith_perf_${randomBytes(5).toString("hex")}`;
    const adminClient = new pg.Client({ connectionString: serverUrl });
    await adminClient.connect();
    await adminClient.query(`create database ${name}`);
    await adminClient.end();
    cleanups.push(async () => {
      if (args.keep) return console.log(`kept database ${name}`);
      const c = new pg.Client({ connectionString: serverUrl });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    });
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    const secret = () => randomBytes(32).toString("base64url");
    return {
      env: { DATABASE_URL: url.toString(), AUTH_SECRET: secret(), KEY_PEPPER: secret(), ...(process.env.DATABASE_DRIVER ? { DATABASE_DRIVER: process.env.DATABASE_DRIVER } : {}) },
      open: () => openDatabase({ url: url.toString(), driver: process.env.DATABASE_DRIVER, pgliteDir: "", longQueries: true }),
      where: `Postgres database ${name}`,
    };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "keysmith-perf-"));
  cleanups.push(() => (args.keep ? console.log(`kept ${dir}`) : fs.rmSync(dir, { recursive: true, force: true })));
  return {
    env: { KEYSMITH_DATA_DIR: dir },
    open: () => openDatabase({ pgliteDir: path.join(dir, "pglite") }),
    where: `PGlite in ${dir}`,
  };
}

async function startServer(env: Record<string, string>): Promise<ChildProcess> {
  const log = fs.openSync(path.join(os.tmpdir(), `keysmith-perf-server-${port}.log`), "w");
  // Its own process group, so stopping it also stops anything it started.
  const child = spawn(process.execPath, ["server.mjs"], {
    detached: true,
    stdio: ["ignore", log, log],
    env: { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1", PORT: String(port), HOSTNAME: "127.0.0.1", ...env },
  });
  cleanups.push(() => {
    try {
      process.kill(-child.pid!, "SIGTERM");
    } catch {
      // already gone
    }
  });
  for (let i = 0; i < 120; i++) {
    if (child.exitCode !== null) throw new Error(`The server exited (${child.exitCode}); see ${os.tmpdir()}/keysmith-perf-server-${port}.log`);
    const ok = await fetch(`${base}/login`).then((r) => r.ok, () => false);
    if (ok) return child;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error("The server did not answer within 60 s.");
}

/** Signs in through next-auth's own credentials endpoint; returns the Cookie header to send. */
async function signIn(): Promise<string> {
  const jar = new Map<string, string>();
  const keep = (r: Response) => {
    for (const c of r.headers.getSetCookie()) {
      const [pair] = c.split(";");
      const [k, ...v] = pair!.split("=");
      jar.set(k!, v.join("="));
    }
  };
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
  const csrf = await fetch(`${base}/api/auth/csrf`);
  keep(csrf);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const login = await fetch(`${base}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookie() },
    body: new URLSearchParams({ csrfToken, email: admin.email, password: admin.password, callbackUrl: "/admin" }),
  });
  keep(login);
  if (![...jar.keys()].some((k) => k.includes("session-token"))) throw new Error(`Sign-in failed (HTTP ${login.status}).`);
  return cookie();
}

async function measure(cookie: string, url: string): Promise<{ median: number; min: number; max: number; shows: string }> {
  const once = async () => {
    const started = performance.now();
    const response = await fetch(`${base}${url}`, { headers: { cookie }, redirect: "manual" });
    const body = await response.text();
    if (response.status !== 200) throw new Error(`${url} answered ${response.status}`);
    return { ms: performance.now() - started, body };
  };
  await once();
  await once();
  const times: number[] = [];
  let body = "";
  for (let i = 0; i < runs; i++) ({ ms: times[i]!, body } = await once());
  times.sort((a, b) => a - b);
  const text = body.replace(/<!-- -->/g, "");
  const shows = text.match(/[\d,]+–[\d,]+ of [\d,]+\+?|No results/)?.[0] ?? "";
  return { median: times[Math.floor(times.length / 2)]!, min: times[0]!, max: times[times.length - 1]!, shows };
}

async function main() {
  if (args.build || !fs.existsSync(".next/BUILD_ID")) {
    step("building (next build)");
    const built = spawnSync("npx", ["next", "build"], { stdio: "inherit", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
    if (built.status !== 0) throw new Error("next build failed");
  }
  const database = await freshDatabase();
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
  await startServer(database.env);
  const cookie = await signIn();
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
