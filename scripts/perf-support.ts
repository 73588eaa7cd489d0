// Shared by the measuring scripts (npm run perf:admin, npm run bench): a fresh database, the
// production server in its own process group, a signed-in session and page timings.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { openDatabase } from "../db/client";

export type Cleanup = () => Promise<void> | void;

export function step(message: string) {
  console.log(`… ${message}`);
}

export function buildIfNeeded(force: boolean) {
  if (!force && fs.existsSync(".next/BUILD_ID")) return;
  step("building (next build)");
  const built = spawnSync("npx", ["next", "build"], { stdio: "inherit", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
  if (built.status !== 0) throw new Error("next build failed");
}

export type FreshDatabase = {
  /** Environment for the server: DATABASE_URL and secrets, or KEYSMITH_DATA_DIR. */
  env: Record<string, string>;
  open: () => ReturnType<typeof openDatabase>;
  where: string;
  driver: "pglite" | "postgres";
};

/**
 * A new database: a scratch one created on the Postgres server of `serverUrl` (dropped at
 * cleanup unless `keep`), or a temporary PGlite folder. Only local database hosts are accepted
 * unless ALLOW_REMOTE_PERF_DB=1.
 */
export async function freshDatabase(serverUrl: string | undefined, keep: boolean, cleanups: Cleanup[], prefix = "keysmith_perf"): Promise<FreshDatabase> {
  if (serverUrl) {
    const host = new URL(serverUrl).hostname;
    if (!["localhost", "127.0.0.1", "::1", "[::1]", ""].includes(host) && process.env.ALLOW_REMOTE_PERF_DB !== "1") {
      throw new Error(`Refusing to create a scratch database on non-local host "${host}" (set ALLOW_REMOTE_PERF_DB=1 to allow).`);
    }
    const name = `${prefix}_${randomBytes(5).toString("hex")}`;
    const adminClient = new pg.Client({ connectionString: serverUrl });
    await adminClient.connect();
    await adminClient.query(`create database ${name}`);
    await adminClient.end();
    cleanups.push(async () => {
      if (keep) return console.log(`kept database ${name}`);
      const c = new pg.Client({ connectionString: serverUrl });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    });
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    const secret = () => randomBytes(32).toString("base64url");
    return {
      env: { DATABASE_URL: url.toString(), AUTH_SECRET: secret(), KEY_PEPPER: secret(), ENCRYPTION_KEY: secret(), ...(process.env.DATABASE_DRIVER ? { DATABASE_DRIVER: process.env.DATABASE_DRIVER } : {}) },
      open: () => openDatabase({ url: url.toString(), driver: process.env.DATABASE_DRIVER, pgliteDir: "", longQueries: true }),
      where: `Postgres database ${name}`,
      driver: "postgres",
    };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "keysmith-perf-"));
  cleanups.push(() => (keep ? console.log(`kept ${dir}`) : fs.rmSync(dir, { recursive: true, force: true })));
  return {
    env: { KEYSMITH_DATA_DIR: dir },
    open: () => openDatabase({ pgliteDir: path.join(dir, "pglite") }),
    where: `PGlite in ${dir}`,
    driver: "pglite",
  };
}

export type RunningServer = { child: ChildProcess; base: string; logFile: string; stop: () => Promise<void> };

/** `node server.mjs` in production mode, in its own process group; resolves once /login answers. */
export async function startServer(port: number, env: Record<string, string>, cleanups: Cleanup[]): Promise<RunningServer> {
  const base = `http://localhost:${port}`;
  const logFile = path.join(os.tmpdir(), `keysmith-perf-server-${port}.log`);
  const log = fs.openSync(logFile, "w");
  const child = spawn(process.execPath, ["server.mjs"], {
    detached: true,
    stdio: ["ignore", log, log],
    env: {
      ...process.env,
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      PORT: String(port),
      HOSTNAME: "127.0.0.1",
      ...(process.env.BENCH_SERVER_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_SERVER_NODE_OPTIONS } : {}),
      ...env,
    },
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    try {
      process.kill(-child.pid!, "SIGTERM");
    } catch {
      return; // already gone
    }
    await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
  };
  cleanups.push(stop);
  for (let i = 0; i < 120; i++) {
    if (child.exitCode !== null) throw new Error(`The server exited (${child.exitCode}); see ${logFile}`);
    const ok = await fetch(`${base}/login`).then((r) => r.ok, () => false);
    if (ok) return { child, base, logFile, stop };
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error("The server did not answer within 60 s.");
}

/** Signs in through next-auth's own credentials endpoint; returns the Cookie header to send. */
export async function signIn(base: string, email: string, password: string): Promise<string> {
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
    body: new URLSearchParams({ csrfToken, email, password, callbackUrl: "/" }),
  });
  keep(login);
  if (![...jar.keys()].some((k) => k.includes("session-token"))) throw new Error(`Sign-in failed (HTTP ${login.status}).`);
  return cookie();
}

export type PageTiming = { median: number; min: number; max: number; body: string };

/** Server time of a page: the median of `runs` requests after two warm-ups, request to last byte. */
export async function timePage(base: string, cookie: string, url: string, runs: number): Promise<PageTiming> {
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
  return { median: times[Math.floor(times.length / 2)]!, min: times[0]!, max: times[times.length - 1]!, body };
}
