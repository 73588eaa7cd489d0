#!/usr/bin/env node
// `npm test`: every suite, in order of speed. Type check -> lint -> unit and data-layer tests on PGlite
// -> the same on Postgres through `pg` and through Neon's driver (when TEST_DATABASE_URL is set)
// -> production build -> Playwright e2e on the embedded database -> e2e on Postgres.
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import pg from "pg";

const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };
const results = [];

function run(label, command, args, extraEnv = {}) {
  console.log(`\n=== ${label} ===`);
  const started = Date.now();
  const { status } = spawnSync(command, args, { stdio: "inherit", env: { ...env, ...extraEnv } });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  results.push({ label, ok: status === 0, seconds });
  if (status !== 0) {
    summary();
    process.exit(status ?? 1);
  }
}

function summary() {
  console.log("\n=== summary ===");
  for (const r of results) console.log(`${r.ok ? "ok  " : "FAIL"} ${r.label} (${r.seconds}s)`);
  const passed = results.filter((r) => r.ok).length;
  console.log(`suites: ${passed} passed, ${results.length - passed} failed`);
}

function assertLocal(url) {
  const host = new URL(url).hostname;
  if (!["localhost", "127.0.0.1", "::1", "[::1]", ""].includes(host) && env.ALLOW_REMOTE_TEST_DB !== "1") {
    throw new Error(`Refusing to run tests against non-local database host "${host}".`);
  }
}

async function withScratchDatabase(adminUrl, fn) {
  assertLocal(adminUrl);
  const name = `keysmith_e2e_${randomBytes(5).toString("hex")}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  try {
    fn(url.toString());
  } finally {
    const dropper = new pg.Client({ connectionString: adminUrl });
    await dropper.connect();
    await dropper.query(`drop database if exists ${name} with (force)`);
    await dropper.end();
  }
}

// The e2e servers listen on E2E_PORT and ports above it (a second server +50, a directly served
// deployment +60, a first-account deployment +65, one that sends mail +67, one for invitations +68, sign-up confirmed by mail +69, the faults spec's
// +70 to +73, the second-factor policy deployment +74, a last-admin deployment +75, single sign-on +76 and +77, passkeys +78 and +79, the restart spec +80, step-up by passkey or code +82, a passkey as the second factor +84, notifications +86, access reviews +87, an expiry warning across processes +88 and +89, metrics +90, webhook receivers +91 and +92). A port already taken used to end the run with
// "Process from config.webServer exited early" and nothing else: take the first base whose ports
// are all free, and say which were busy.
const OFFSETS = [0, 50, 60, 65, 67, 68, 69, 70, 71, 72, 73, 74, 75, 76, 77, 78, 79, 80, 82, 84, 86, 87, 88, 89, 90, 91, 92];
function portFree(port) {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once("error", () => resolve(false));
    probe.listen({ port, host: "0.0.0.0" }, () => probe.close(() => resolve(true)));
  });
}
async function freeBase(preferred) {
  for (let base = preferred; base < preferred + 2_000; base += 100) {
    const busy = [];
    for (const offset of OFFSETS) if (!(await portFree(base + offset))) busy.push(base + offset);
    if (busy.length === 0) return base;
    console.log(`(port${busy.length > 1 ? "s" : ""} ${busy.join(", ")} in use: trying the e2e servers on ${base + 100} and up)`);
  }
  throw new Error(`No free ports for the e2e servers between ${preferred} and ${preferred + 2_000}: stop what listens there, or set E2E_PORT.`);
}

const testDbUrl = env.TEST_DATABASE_URL;
const skipE2e = env.SKIP_E2E === "1";

// The Node that npm put first on PATH (the pinned `node` dev dependency; README "Runtime").
console.log(`Node ${process.version}`);
run("type check", "npx", ["tsc", "--noEmit"]);
run("lint", "npx", ["eslint", "."]);
run("dependency audit", "node", ["scripts/audit.mjs"]);
run("unit + data layer (PGlite)", "npx", ["vitest", "run"]);
if (testDbUrl) {
  // Only the files that open a database (through test/db.ts, where TEST_DRIVER is read): the rest
  // test pure code, which the PGlite pass has just run and a driver cannot change.
  const databaseFiles = spawnSync("git", ["grep", "-l", "-E", "from \"@/test/db\"|from \"\\./db\"|from \"\\.\\./test/db\"", "--", "*.test.ts"], { encoding: "utf8" })
    .stdout.split("\n")
    .filter(Boolean);
  if (databaseFiles.length < 20) throw new Error(`Found only ${databaseFiles.length} data-layer test files: the pattern in scripts/test.mjs is out of date.`);
  run(`unit + data layer (Postgres via pg, ${databaseFiles.length} files)`, "npx", ["vitest", "run", ...databaseFiles], { TEST_DRIVER: "pg" });
  run(`unit + data layer (Postgres via Neon driver, ${databaseFiles.length} files)`, "npx", ["vitest", "run", ...databaseFiles], { TEST_DRIVER: "neon" });
} else {
  console.log("\n(TEST_DATABASE_URL not set: skipping the Postgres and Neon-driver passes)");
}
if (!skipE2e) {
  run("production build", "npx", ["next", "build"]);
  // The embedded pass's data folders: the shared server's and each own deployment's (cleared first, read by the hygiene check).
  const embeddedDirs = [".data-e2e", ".data-e2e-direct", ".data-e2e-restart", ".data-e2e-join", ".data-e2e-mail", ".data-e2e-signup", ".data-e2e-passkeys", ".data-e2e-sso", ".data-e2e-mfa", ".data-e2e-stepup", ".data-e2e-pk2fa", ".data-e2e-notify", ".data-e2e-expiry", ".data-e2e-reviews"];
  for (const dir of [...embeddedDirs, ".data-e2e-pg", ".data-e2e-second"]) fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync("e2e/.artifacts", { recursive: true });
  const pglitePort = await freeBase(Number(env.E2E_PORT ?? 3210));
  run("e2e (embedded PGlite)", "npx", ["playwright", "test"], { E2E_PORT: String(pglitePort), E2E_DATA_DIR: ".data-e2e" });
  run("secret hygiene (embedded PGlite)", "npx", ["tsx", "scripts/secret-hygiene.ts", ...embeddedDirs.flatMap((dir) => ["--data-dir", dir])]);
  if (testDbUrl) {
    const postgresPort = await freeBase(pglitePort + 1);
    await withScratchDatabase(testDbUrl, (url) => {
      run("e2e (Postgres via pg)", "npx", ["playwright", "test"], {
        E2E_PORT: String(postgresPort),
        E2E_DATA_DIR: ".data-e2e-pg",
        E2E_DATABASE_URL: url,
      });
      run("secret hygiene (Postgres)", "npx", ["tsx", "scripts/secret-hygiene.ts", "--database-url", url]);
    });
  }
}
summary();
