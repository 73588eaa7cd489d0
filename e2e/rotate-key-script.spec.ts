import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { generateKey } from "../lib/keys/format";
import { apiTest as test, expect } from "./support/api";

const run = promisify(execFile);

test.describe("npm run rotate-key", () => {
  test("rotates a key with itself and rewrites the .env file atomically, printing no secret", async ({ api, rootKey, baseURL }) => {
    const { secret, id } = await api.createKey(rootKey, { scopes: ["keys:read", "keys:rotate"] });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rotate-key-"));
    const envFile = path.join(dir, ".env");
    fs.writeFileSync(envFile, `# app settings\nDATABASE_URL=postgres://app\nKEYSMITH_API_KEY=${secret}\nOTHER=1\n`, { mode: 0o644 });

    const { stdout, stderr } = await run("node", ["scripts/rotate-key.mjs", "--env-file", envFile, "--url", baseURL!, "--grace", "1h"], {
      env: { ...process.env, KEYSMITH_API_KEY: "" },
    });
    const text = fs.readFileSync(envFile, "utf8");
    const newKey = /KEYSMITH_API_KEY=(\S+)/.exec(text)![1]!;
    expect(newKey).toMatch(/^ksk_[0-9A-Za-z]{36}$/);
    expect(newKey).not.toBe(secret);
    expect(text).toBe(`# app settings\nDATABASE_URL=postgres://app\nKEYSMITH_API_KEY=${newKey}\nOTHER=1\n`);
    expect(fs.statSync(envFile).mode & 0o777).toBe(0o600);
    expect(fs.readdirSync(dir)).toEqual([".env"]); // no temp file left behind
    expect(stdout + stderr).not.toContain(newKey);
    expect(stdout + stderr).not.toContain(secret);
    expect(stdout).toContain("The previous secret keeps working until");

    const me = await api.call("GET", "/me", { key: newKey });
    expect(me.body.key.id).toBe(id);
    expect((await api.call("GET", "/me", { key: secret })).status).toBe(200); // grace period

    // --print prints it; a bad key fails with a clear message and leaves the file alone.
    const printed = await run("node", ["scripts/rotate-key.mjs", "--env-file", envFile, "--url", baseURL!, "--grace", "none", "--print"]);
    const newest = /KEYSMITH_API_KEY=(\S+)/.exec(fs.readFileSync(envFile, "utf8"))![1]!;
    expect(printed.stdout.trim().split("\n").at(-1)).toBe(newest);
    expect((await api.call("GET", "/me", { key: newKey })).status).toBe(401);

    fs.writeFileSync(envFile, `KEYSMITH_API_KEY=${generateKey()}\n`);
    const failed = await run("node", ["scripts/rotate-key.mjs", "--env-file", envFile, "--url", baseURL!]).catch((e: { code: number; stderr: string }) => e);
    expect(failed).toMatchObject({ code: 1 });
    expect((failed as { stderr: string }).stderr).toContain("401");
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test("when it cannot save the new key, it rotates nothing", async ({ api, rootKey, baseURL }) => {
    const { secret, id, body } = await api.createKey(rootKey, { scopes: ["keys:read", "keys:rotate"] });
    // /proc/version can be read, but nobody can create a file beside it, not even root (which CI
    // runs as, so a chmod'ed folder would not do): deterministic on every Linux machine.
    const failed = await run("node", ["scripts/rotate-key.mjs", "--env-file", "/proc/version", "--url", baseURL!, "--grace", "none"], {
      env: { ...process.env, KEYSMITH_API_KEY: secret },
    }).catch((e: { code: number; stdout: string; stderr: string }) => e);
    expect(failed).toMatchObject({ code: 1 });
    const { stdout, stderr } = failed as { stdout: string; stderr: string };
    expect(stderr).toContain("Nothing was rotated");
    expect(stdout + stderr).not.toContain(secret);
    // Had it rotated with no grace, the old secret would be dead and the hint changed.
    expect((await api.call("GET", "/me", { key: secret })).status).toBe(200);
    expect((await api.call("GET", `/keys/${id}`, { key: rootKey })).body.hint).toBe(body.hint);
  });
});
