import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { generateKey } from "../lib/keys/format";
import { commitWrite, prepareWrite, readVar, setVar } from "./env-file.mjs";
import { rotateKey } from "./rotate-key.mjs";

const dirs = [];
function tempDir() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rotate-key-unit-"));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe("env-file", () => {
  it("reads values the way .env files are written", () => {
    const text = [
      "# settings",
      "A=plain   ",
      "B=value # inline comment",
      'C="quoted # not a comment"  # comment',
      "D='single'",
      "export E=exported",
      "F=abc#def",
      "G=first",
      "G=last",
      "H=crlf\r",
      'I="esc\\"aped"',
      "J=",
    ].join("\n");
    expect(readVar(text, "A")).toBe("plain");
    expect(readVar(text, "B")).toBe("value");
    expect(readVar(text, "C")).toBe("quoted # not a comment");
    expect(readVar(text, "D")).toBe("single");
    expect(readVar(text, "E")).toBe("exported");
    expect(readVar(text, "F")).toBe("abc#def");
    expect(readVar(text, "G")).toBe("last");
    expect(readVar(text, "H")).toBe("crlf");
    expect(readVar(text, "I")).toBe('esc"aped');
    expect(readVar(text, "J")).toBe("");
    expect(readVar(text, "settings")).toBeUndefined();
  });

  it("rewrites a value in place, keeping quotes, comments, spacing and line endings", () => {
    const text = 'X=1\r\nKEY = "old"   # rotated by CI\r\nexport KEY=old2 # twice\r\nY=2\r\n';
    expect(setVar(text, "KEY", "new")).toBe('X=1\r\nKEY = "new"   # rotated by CI\r\nexport KEY=new # twice\r\nY=2\r\n');
    expect(setVar("A=1\n", "KEY", "new")).toBe("A=1\nKEY=new\n");
    expect(setVar("A=1", "KEY", "new")).toBe("A=1\nKEY=new");
  });

  it("writes through a symlink: the link stays, its target changes, mode 0600", () => {
    const dir = tempDir();
    fs.mkdirSync(path.join(dir, "secrets"));
    const target = path.join(dir, "secrets", "app.env");
    fs.writeFileSync(target, "KEY=old\n", { mode: 0o644 });
    const link = path.join(dir, ".env");
    fs.symlinkSync(target, link);
    const pending = prepareWrite(link);
    expect(path.dirname(pending.tmp)).toBe(fs.realpathSync(path.join(dir, "secrets")));
    commitWrite(pending, "KEY=new\n");
    expect(fs.lstatSync(link).isSymbolicLink()).toBe(true);
    expect(fs.readFileSync(target, "utf8")).toBe("KEY=new\n");
    expect(fs.statSync(target).mode & 0o777).toBe(0o600);
    expect(fs.readdirSync(path.join(dir, "secrets"))).toEqual(["app.env"]);
  });
});

/** A stand-in for the server: /me, then /rotate (or a given error). */
function fakeServer(oldKey, rotateStatus = 200) {
  const calls = [];
  const newKey = generateKey();
  const fetch = async (url, init) => {
    calls.push({ url, auth: init.headers.Authorization, body: init.body });
    if (init.headers.Authorization !== `Bearer ${oldKey}`) return Response.json({ error: { code: "unauthorized", message: "bad key" } }, { status: 401 });
    if (url.endsWith("/api/v1/me")) return Response.json({ key: { id: "k1" } });
    if (rotateStatus !== 200) {
      return Response.json({ error: { code: "previous_secret", message: "Only the current secret can rotate the key." } }, { status: rotateStatus });
    }
    return Response.json({ name: "ci", hint: `ksk_…${newKey.slice(-4)}`, key: newKey, previousSecretValidUntil: "2030-01-01T00:00:00.000Z" });
  };
  return { fetch, calls, newKey };
}

function output() {
  let text = "";
  return { write: (s) => void (text += s), get text() { return text; } };
}

describe("rotate-key", () => {
  it("uses the parsed key (quotes, comment, trailing space) and saves the new one through a symlink", async () => {
    const oldKey = generateKey();
    const server = fakeServer(oldKey);
    const dir = tempDir();
    const target = path.join(dir, "real.env");
    fs.writeFileSync(target, `KEYSMITH_API_KEY="${oldKey}"   # CI key\nOTHER=1\n`);
    fs.symlinkSync(target, path.join(dir, ".env"));
    const stdout = output();
    const stderr = output();
    const code = await rotateKey({ argv: ["--env-file", path.join(dir, ".env"), "--url", "http://keys.test"], env: {}, fetch: server.fetch, stdout, stderr });
    expect(code).toBe(0);
    expect(server.calls.map((c) => c.auth)).toEqual([`Bearer ${oldKey}`, `Bearer ${oldKey}`]);
    expect(JSON.parse(server.calls[1].body)).toEqual({ grace: "1h" });
    expect(fs.lstatSync(path.join(dir, ".env")).isSymbolicLink()).toBe(true);
    expect(fs.readFileSync(target, "utf8")).toBe(`KEYSMITH_API_KEY="${server.newKey}"   # CI key\nOTHER=1\n`);
    expect(stdout.text + stderr.text).not.toContain(server.newKey);
    expect(fs.readdirSync(dir).sort()).toEqual([".env", "real.env"]);
  });

  it("rotates nothing when the new key could not be saved (no temporary file possible)", async () => {
    const oldKey = generateKey();
    const server = fakeServer(oldKey);
    const stderr = output();
    // Readable, but nobody (root included) can create a file in /proc.
    const code = await rotateKey({ argv: ["--env-file", "/proc/version"], env: { KEYSMITH_API_KEY: oldKey }, fetch: server.fetch, stdout: output(), stderr });
    expect(code).toBe(1);
    expect(stderr.text).toContain("Nothing was rotated");
    expect(server.calls).toEqual([]);
  });

  it("prints the new key to stderr and exits 3 when saving fails after the rotation", async () => {
    const oldKey = generateKey();
    const server = fakeServer(oldKey);
    const dir = tempDir();
    const file = path.join(dir, ".env");
    fs.writeFileSync(file, `KEYSMITH_API_KEY=${oldKey}\n`);
    const failingRename = {
      ...fs,
      renameSync: () => {
        throw Object.assign(new Error("read-only file system"), { code: "EROFS" });
      },
    };
    const stdout = output();
    const stderr = output();
    const code = await rotateKey({ argv: ["--env-file", file, "--url", "http://keys.test"], env: {}, fetch: server.fetch, fs: failingRename, stdout, stderr });
    expect(code).toBe(3);
    expect(stderr.text).toContain("the key was rotated, but");
    expect(stderr.text).toContain("EROFS");
    expect(stderr.text.trim().split("\n").at(-1)).toBe(server.newKey);
    expect(stdout.text).not.toContain(server.newKey);
    expect(fs.readFileSync(file, "utf8")).toBe(`KEYSMITH_API_KEY=${oldKey}\n`);
    expect(fs.readdirSync(dir)).toEqual([".env"]); // the temporary file (holding the key) is gone
  });

  it("reports the server's refusal, leaves the file alone and removes the temporary file", async () => {
    const oldKey = generateKey();
    const server = fakeServer(oldKey, 403);
    const dir = tempDir();
    const file = path.join(dir, ".env");
    fs.writeFileSync(file, `KEYSMITH_API_KEY=${oldKey}\n`);
    const stderr = output();
    const code = await rotateKey({ argv: ["--env-file", file, "--url", "http://keys.test"], env: {}, fetch: server.fetch, stdout: output(), stderr });
    expect(code).toBe(1);
    expect(stderr.text).toContain("403 Only the current secret can rotate the key.");
    expect(stderr.text).not.toContain("keys:rotate scope");
    expect(fs.readdirSync(dir)).toEqual([".env"]);
  });
});
