import { spawn } from "node:child_process";
import { expect, test } from "./support/base";

// A production server that cannot sign sessions or hash keys must not come up answering 500s:
// it exits at once, naming what is missing and how to fix it.
function runServer(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const base: Record<string, string> = { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", NEXT_TELEMETRY_DISABLED: "1", PORT: "0" };
    const child = spawn("node", ["server.mjs"], { env: { ...base, ...env } as NodeJS.ProcessEnv, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

const PRODUCTION = { NODE_ENV: "production", DATABASE_URL: "postgres://keysmith@127.0.0.1:1/keysmith" };

test.describe("start-up configuration", () => {
  test("production with a database but no secrets exits with a clear error", async () => {
    const { code, output } = await runServer(PRODUCTION);
    expect(code).toBe(1);
    expect(output).toContain("AUTH_SECRET, KEY_PEPPER and ENCRYPTION_KEY must be set in production");
    expect(output).not.toContain("Keysmith ready");
  });

  test("a placeholder or short secret is refused too", async () => {
    const { code, output } = await runServer({ ...PRODUCTION, AUTH_SECRET: "changeme-changeme-changeme-changeme", KEY_PEPPER: "short", ENCRYPTION_KEY: "short" });
    expect(code).toBe(1);
    expect(output).toContain("AUTH_SECRET is too weak");
  });
});
