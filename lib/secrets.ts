import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { config } from "./config";
import { log } from "./log";

export type Secrets = { authSecret: string; keyPepper: string; encryptionKey: string };

// Words that placeholders are made of. A value is judged by what is left once they are taken out,
// not by how it starts: a random secret that happens to begin with "test" or "xxx" (about 1 in
// 25,000 base64 strings) is still random, while "changeme-changeme-…" leaves almost nothing.
const PLACEHOLDER_WORDS = /change[-_ ]?me|secret|password|example|sample|dummy|default|replace|your|here|test|todo|x{3,}/gi;

export class ConfigError extends Error {
  override name = "ConfigError";
}

function check(name: string, value: string): string {
  const rest = value.replace(PLACEHOLDER_WORDS, "");
  if (value.length < 32 || rest.length < 24 || new Set(value).size < 8 || new Set(rest).size < 8) {
    throw new ConfigError(
      `${name} is too weak: use at least 32 random characters, e.g. \`openssl rand -base64 32\`.`,
    );
  }
  return value;
}

let cached: Secrets | undefined;

/**
 * AUTH_SECRET signs dashboard sessions; KEY_PEPPER keys the HMAC under which API keys are stored;
 * ENCRYPTION_KEY seals second-factor seeds (and keys recovery-code digests), so a copy of the
 * database alone opens none of them. All come from the environment. Only on the embedded-database default (no DATABASE_URL) are
 * missing values generated once into <data dir>/secrets.json (mode 0600), so a newcomer needs no
 * set-up; a production deployment with a real database must set them or the app refuses to start.
 */
export function getSecrets(): Secrets {
  if (cached) return cached;
  const fromEnv = { authSecret: config.authSecret, keyPepper: config.keyPepper, encryptionKey: config.encryptionKey };
  if (fromEnv.authSecret && fromEnv.keyPepper && fromEnv.encryptionKey) {
    cached = {
      authSecret: check("AUTH_SECRET", fromEnv.authSecret),
      keyPepper: check("KEY_PEPPER", fromEnv.keyPepper),
      encryptionKey: check("ENCRYPTION_KEY", fromEnv.encryptionKey),
    };
    return cached;
  }
  if (config.databaseUrl && config.isProduction) {
    const names = [!fromEnv.authSecret && "AUTH_SECRET", !fromEnv.keyPepper && "KEY_PEPPER", !fromEnv.encryptionKey && "ENCRYPTION_KEY"].filter(
      (n): n is string => !!n,
    );
    const missing = names.length > 1 ? `${names.slice(0, -1).join(", ")} and ${names.at(-1)}` : names[0];
    throw new ConfigError(
      `${missing} must be set in production (NODE_ENV=production with DATABASE_URL). ` +
        "Generate each with `openssl rand -base64 32`; see README.md, Environment variables.",
    );
  }
  const stored = loadOrCreateSecretsFile();
  cached = {
    authSecret: check("AUTH_SECRET", fromEnv.authSecret ?? stored.authSecret),
    keyPepper: check("KEY_PEPPER", fromEnv.keyPepper ?? stored.keyPepper),
    encryptionKey: check("ENCRYPTION_KEY", fromEnv.encryptionKey ?? stored.encryptionKey),
  };
  return cached;
}

function loadOrCreateSecretsFile(): Secrets {
  const file = path.join(config.dataDir, "secrets.json");
  try {
    const parsed = JSON.parse(fs.readFileSync(file, "utf8")) as Partial<Secrets>;
    if (parsed.authSecret && parsed.keyPepper && parsed.encryptionKey) return parsed as Secrets;
    // A data dir from before second factors: its two secrets stay, the encryption key is added.
    if (parsed.authSecret && parsed.keyPepper) return addEncryptionKey(file, { authSecret: parsed.authSecret, keyPepper: parsed.keyPepper });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  fs.mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  const secrets: Secrets = {
    authSecret: randomBytes(32).toString("base64url"),
    keyPepper: randomBytes(32).toString("base64url"),
    encryptionKey: randomBytes(32).toString("base64url"),
  };
  // "wx" fails if another process won the race; then read what it wrote.
  try {
    fs.writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600, flag: "wx" });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return loadOrCreateSecretsFile();
    throw error;
  }
  log.info("secrets.generated", {
    message: `Generated AUTH_SECRET, KEY_PEPPER and ENCRYPTION_KEY in ${file} (mode 0600). Keep this file private and backed up: losing KEY_PEPPER invalidates every API key, losing ENCRYPTION_KEY every second factor.`,
  });
  return secrets;
}

// Written to a temporary file and renamed over the old one, so a reader never sees half a file;
// two processes racing here each write a key, and the rename decides one: both then read it back.
function addEncryptionKey(file: string, existing: Omit<Secrets, "encryptionKey">): Secrets {
  const secrets: Secrets = { ...existing, encryptionKey: randomBytes(32).toString("base64url") };
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  fs.renameSync(temporary, file);
  log.info("secrets.generated", { message: `Added ENCRYPTION_KEY to ${file}. Keep this file private and backed up: losing it invalidates every second factor.` });
  return JSON.parse(fs.readFileSync(file, "utf8")) as Secrets;
}

/** For tests only. */
export function resetSecretsCache(): void {
  cached = undefined;
}
