import { execFile } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";

const run = promisify(execFile);

/** Where the PostgreSQL server binaries are: PG_BIN, else the newest of Debian's /usr/lib/postgresql/<version>/bin. */
export const PG_BIN = process.env.PG_BIN ?? newestDebianPostgres() ?? "/usr/lib/postgresql/15/bin";

function newestDebianPostgres(): string | undefined {
  const root = "/usr/lib/postgresql";
  if (!fs.existsSync(root)) return undefined;
  const versions = fs
    .readdirSync(root)
    .filter((v) => /^\d+$/.test(v) && fs.existsSync(path.join(root, v, "bin", "initdb")))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? path.join(root, versions[0], "bin") : undefined;
}

/** Why a private cluster cannot be run here, or undefined when it can. */
export function privatePostgresMissing(): string | undefined {
  if (!["initdb", "pg_ctl", "postgres"].every((b) => fs.existsSync(path.join(PG_BIN, b)))) {
    return `PostgreSQL server binaries (initdb, pg_ctl) not found in ${PG_BIN}: install postgresql or set PG_BIN`;
  }
  // initdb refuses to run as root; then the cluster runs as the `postgres` user the package creates.
  if (process.getuid?.() === 0 && !/^postgres:/m.test(fs.readFileSync("/etc/passwd", "utf8"))) {
    return "running as root, and there is no `postgres` user to run the PostgreSQL cluster as";
  }
  return undefined;
}

/** A free TCP port on the loopback interface, chosen by the OS. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * A throw-away PostgreSQL cluster that a spec owns outright, so it can crash it, restart it and
 * kill its connections without touching any database another test uses. initdb refuses to run
 * as root, so under root every command runs as the unprivileged `postgres` user (runuser).
 * Trust authentication on 127.0.0.1 only, no Unix socket, fsync off: it is scratch data.
 */
export class PrivatePostgres {
  readonly dataDir: string;
  readonly logFile: string;
  readonly user = "keysmith";

  constructor(
    readonly dir: string,
    readonly port: number,
  ) {
    this.dir = path.resolve(dir);
    this.dataDir = path.join(this.dir, "data");
    this.logFile = path.join(this.dir, "postgres.log");
  }

  url(database = "keysmith"): string {
    return `postgres://${this.user}@127.0.0.1:${this.port}/${database}`;
  }

  private async exec(bin: string, args: string[], timeout = 90_000) {
    const file = path.join(PG_BIN, bin);
    const asRoot = process.getuid?.() === 0;
    const [command, argv] = asRoot ? ["runuser", ["-u", "postgres", "--", file, ...args]] : [file, args];
    return run(command, argv, { timeout, env: { ...process.env, LC_ALL: "C" } });
  }

  /** initdb, start, and create the app's database. */
  async create(): Promise<void> {
    // A cluster left running by a run that was killed before its teardown is stopped first.
    await this.destroy();
    fs.mkdirSync(this.dir, { recursive: true });
    if (process.getuid?.() === 0) {
      const { uid, gid } = await this.postgresIds();
      fs.chownSync(this.dir, uid, gid);
    }
    await this.exec("initdb", ["-D", this.dataDir, "-A", "trust", "-U", this.user, "-E", "UTF8", "--locale=C", "--no-sync"]);
    await this.start();
    const admin = new pg.Client({ connectionString: this.url("postgres") });
    await admin.connect();
    try {
      await admin.query("create database keysmith");
    } finally {
      await admin.end();
    }
  }

  private async postgresIds(): Promise<{ uid: number; gid: number }> {
    const { stdout: uid } = await run("id", ["-u", "postgres"]);
    const { stdout: gid } = await run("id", ["-g", "postgres"]);
    return { uid: Number(uid.trim()), gid: Number(gid.trim()) };
  }

  async start(): Promise<void> {
    const options = `-p ${this.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories= -c fsync=off -c max_connections=40`;
    await this.exec("pg_ctl", ["-D", this.dataDir, "-l", this.logFile, "-w", "-t", "60", "-o", options, "start"]);
  }

  /** "immediate" is a crash: every backend dies at once, open transactions are lost. */
  async stop(mode: "immediate" | "fast" = "immediate"): Promise<void> {
    await this.exec("pg_ctl", ["-D", this.dataDir, "-m", mode, "-w", "-t", "60", "stop"]);
  }

  /** Stops the cluster whatever state it is in and deletes it. Never throws. */
  async destroy(): Promise<void> {
    await this.stop("immediate").catch(() => undefined);
    // If pg_ctl could not stop it (or was never able to), kill the postmaster by its pid file.
    try {
      const pid = Number(fs.readFileSync(path.join(this.dataDir, "postmaster.pid"), "utf8").split("\n")[0]);
      // Only if that pid is still this cluster's postmaster (a stale file's pid may be reused).
      const command = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8");
      if (pid > 0 && command.includes("postgres") && command.includes(this.dataDir)) process.kill(pid, "SIGQUIT");
    } catch {
      // no pid file: not running
    }
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  /** A short-lived superuser connection for the test itself (inspecting rows, killing backends). */
  async connect(): Promise<pg.Client> {
    const client = new pg.Client({ connectionString: this.url(), connectionTimeoutMillis: 10_000 });
    client.on("error", () => undefined);
    await client.connect();
    return client;
  }

  async query<T extends pg.QueryResultRow = Record<string, unknown>>(text: string, values: unknown[] = []): Promise<T[]> {
    const client = await this.connect();
    try {
      return (await client.query<T>(text, values)).rows;
    } finally {
      await client.end().catch(() => undefined);
    }
  }
}
