import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";

export type RunningServer = { url: string; process: ChildProcess; stop: () => Promise<void> };

/**
 * Starts another production server of the same build (`node server.mjs`) for specs that need a
 * differently configured deployment or a second process. Its output goes to
 * e2e/.artifacts/server-<port>.log, where scripts/secret-hygiene.ts checks it for leaked keys too.
 */
export async function startServer(port: number, env: Record<string, string>): Promise<RunningServer> {
  fs.mkdirSync("e2e/.artifacts", { recursive: true });
  const out = fs.openSync(`e2e/.artifacts/server-${port}.log`, "a");
  const child = spawn("node", ["server.mjs"], {
    env: { ...process.env, ...env, PORT: String(port) },
    stdio: ["ignore", out, out],
    detached: true,
  });
  fs.closeSync(out);
  const url = `http://localhost:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server on port ${port} exited with ${child.exitCode}`);
    const ok = await fetch(`${url}/api/health`).then((r) => r.ok, () => false);
    if (ok) break;
    if (Date.now() > deadline) throw new Error(`server on port ${port} did not start`);
    await new Promise((r) => setTimeout(r, 250));
  }
  const stop = async () => {
    if (child.exitCode !== null || !child.pid) return;
    const exited = new Promise((r) => child.once("exit", r));
    try {
      process.kill(-child.pid, "SIGTERM");
    } catch {
      return; // already gone
    }
    await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
    // Still shutting down after 10 s: stop it, so its port and data folder are free for what comes next.
    if (child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {
        // gone meanwhile
      }
      await Promise.race([exited, new Promise((r) => setTimeout(r, 2_000))]);
    }
  };
  return { url, process: child, stop };
}
