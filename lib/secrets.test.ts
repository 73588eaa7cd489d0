import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ConfigError, getSecrets, resetSecretsCache } from "./secrets";

let dir: string;
const saved = { ...process.env };

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "keysmith-secrets-"));
  process.env.KEYSMITH_DATA_DIR = path.join(dir, "data");
  delete process.env.AUTH_SECRET;
  delete process.env.KEY_PEPPER;
  delete process.env.DATABASE_URL;
  resetSecretsCache();
  vi.spyOn(console, "log").mockImplementation(() => {});
});
afterEach(() => {
  process.env = { ...saved };
  resetSecretsCache();
  vi.restoreAllMocks();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("secrets", () => {
  it("generates them once on the embedded default, mode 0600, and says so", () => {
    const first = getSecrets();
    const file = path.join(dir, "data", "secrets.json");
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(first.authSecret).not.toBe(first.keyPepper);
    expect(first.authSecret.length).toBeGreaterThanOrEqual(32);
    expect(vi.mocked(console.log).mock.calls.flat().join()).toMatch(/Generated AUTH_SECRET, KEY_PEPPER and ENCRYPTION_KEY/);
    // The log line names the file, never the values.
    expect(vi.mocked(console.log).mock.calls.flat().join()).not.toContain(first.keyPepper);
    resetSecretsCache();
    expect(getSecrets()).toEqual(first);
  });

  it("refuses to start in production on a real database without them", () => {
    (process.env as Record<string, string>).NODE_ENV = "production";
    process.env.DATABASE_URL = "postgres://db.example/keysmith";
    expect(() => getSecrets()).toThrow(ConfigError);
    expect(() => getSecrets()).toThrow(/AUTH_SECRET, KEY_PEPPER and ENCRYPTION_KEY must be set in production/);
    expect(fs.existsSync(path.join(dir, "data", "secrets.json"))).toBe(false);
  });

  it("uses the environment's values and rejects weak ones", () => {
    process.env.AUTH_SECRET = "a".repeat(8) + "bcdefghijklmnopqrstuvwxyz0123456789";
    process.env.KEY_PEPPER = "Zp0q8Wm3Xr7Ts2Vn6Yb1Uc5Ld9Ke4Jf0Hg";
    expect(getSecrets().keyPepper).toBe(process.env.KEY_PEPPER);
    resetSecretsCache();
    process.env.KEY_PEPPER = "changeme-changeme-changeme-changeme";
    expect(() => getSecrets()).toThrow(/KEY_PEPPER is too weak/);
    resetSecretsCache();
    process.env.KEY_PEPPER = "short";
    expect(() => getSecrets()).toThrow(/KEY_PEPPER is too weak/);
  });

  it("never rejects a random secret, whatever it happens to start with; still rejects placeholders", () => {
    for (let i = 0; i < 2_000; i++) {
      const random = randomBytes(32).toString(i % 2 ? "base64url" : "base64");
      for (const prefix of ["", "test", "xxx", "todo", "secret", "changeme"]) {
        resetSecretsCache();
        process.env.KEY_PEPPER = prefix + random.slice(prefix.length);
        expect(getSecrets().keyPepper, process.env.KEY_PEPPER).toBe(process.env.KEY_PEPPER);
      }
    }
    for (const placeholder of ["changeme-changeme-changeme-changeme", "your-secret-here-your-secret-here-xx", "test-test-test-test-test-test-test-test", "password_password_password_password", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"]) {
      resetSecretsCache();
      process.env.KEY_PEPPER = placeholder;
      expect(() => getSecrets(), placeholder).toThrow(/KEY_PEPPER is too weak/);
    }
  });
});
