#!/usr/bin/env node
// npm run rotate-key -- [--env-file .env] [--var KEYSMITH_API_KEY] [--url http://localhost:3000] [--grace 1h] [--print]
//
// Rotates a Keysmith API key using the key itself (it needs the keys:rotate scope) and writes
// the new secret back into the .env file atomically (temp file + rename, mode 0600). The key is
// read from the environment variable or, failing that, from the .env file. Nothing secret is
// printed unless --print is given. Exit codes: 0 rotated, 1 failed (nothing changed), 2 usage.
import fs from "node:fs";
import path from "node:path";

const args = parseArgs(process.argv.slice(2));
if (args.help) {
  console.log("Usage: npm run rotate-key -- [--env-file .env] [--var KEYSMITH_API_KEY] [--url URL] [--grace none|1h|24h|7d] [--print]");
  process.exit(0);
}
const varName = args.var ?? "KEYSMITH_API_KEY";
const envFile = path.resolve(args["env-file"] ?? ".env");
const grace = args.grace ?? "1h";
if (!["none", "1h", "24h", "7d"].includes(grace)) fail(2, `--grace must be none, 1h, 24h or 7d (got "${grace}").`);

const fileText = fs.existsSync(envFile) ? fs.readFileSync(envFile, "utf8") : null;
const fromFile = fileText === null ? undefined : readVar(fileText, varName);
const key = process.env[varName] || fromFile;
if (!key) fail(2, `No key found: set ${varName} in the environment or in ${envFile}.`);
if (fileText === null && !args.print) {
  fail(2, `${envFile} does not exist, so the new key could not be saved anywhere. Pass --env-file, or --print to print it.`);
}
const base = (args.url ?? process.env.KEYSMITH_URL ?? readVar(fileText ?? "", "KEYSMITH_URL") ?? "http://localhost:3000").replace(/\/$/, "");

const me = await call("GET", "/api/v1/me");
const rotated = await call("POST", `/api/v1/keys/${me.key.id}/rotate`, { grace });
const newKey = rotated.key;
if (typeof newKey !== "string" || !/^ksk_[0-9A-Za-z]{36}$/.test(newKey)) fail(1, "The server's answer did not contain a new key.");

if (fileText !== null) {
  writeAtomically(envFile, setVar(fileText, varName, newKey));
  console.log(`Rotated “${rotated.name}” (${rotated.hint}); the new key is saved in ${envFile}.`);
} else {
  console.log(`Rotated “${rotated.name}” (${rotated.hint}).`);
}
console.log(
  grace === "none"
    ? "The previous secret has stopped working."
    : `The previous secret keeps working until ${rotated.previousSecretValidUntil}.`,
);
if (args.print) console.log(newKey);

async function call(method, pathname, body) {
  let response;
  try {
    response = await fetch(base + pathname, {
      method,
      headers: { Authorization: `Bearer ${key}`, ...(body ? { "Content-Type": "application/json" } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
  } catch (error) {
    fail(1, `Could not reach ${base}: ${error.cause?.code ?? error.message}. Check --url.`);
  }
  const payload = await response.json().catch(() => ({}));
  if (!response.ok) {
    const hint = response.status === 403 ? " (the key needs the keys:rotate scope)" : "";
    fail(1, `${method} ${pathname} failed: ${response.status} ${payload.error?.message ?? ""}${hint}`);
  }
  return payload;
}

function readVar(text, name) {
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)\s*$/.exec(line);
    if (m && m[1] === name) return m[2].replace(/^(['"])(.*)\1$/, "$2");
  }
  return undefined;
}

function setVar(text, name, value) {
  const lines = text.split(/\n/);
  let found = false;
  const out = lines.map((line) => {
    const m = /^(\s*(?:export\s+)?)([A-Za-z_][A-Za-z0-9_]*)(\s*=\s*)/.exec(line);
    if (m && m[2] === name) {
      found = true;
      return `${m[1]}${name}=${value}${line.endsWith("\r") ? "\r" : ""}`;
    }
    return line;
  });
  if (!found) {
    if (out.length && out[out.length - 1] === "") out.splice(out.length - 1, 0, `${name}=${value}`);
    else out.push(`${name}=${value}`);
  }
  return out.join("\n");
}

function writeAtomically(file, text) {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  const fd = fs.openSync(tmp, "wx", 0o600);
  try {
    fs.writeSync(fd, text);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.chmodSync(tmp, 0o600);
  fs.renameSync(tmp, file);
}

function parseArgs(argv) {
  const out = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--print" || a === "--help" || a === "-h") out[a.replace(/^-+/, "") === "h" ? "help" : a.replace(/^-+/, "")] = true;
    else if (a.startsWith("--")) {
      const [k, v] = a.includes("=") ? [a.slice(2, a.indexOf("=")), a.slice(a.indexOf("=") + 1)] : [a.slice(2), argv[++i]];
      if (v === undefined) fail(2, `${a} needs a value.`);
      out[k] = v;
    } else fail(2, `Unexpected argument "${a}". Try --help.`);
  }
  return out;
}

function fail(code, message) {
  console.error(`rotate-key: ${message}`);
  process.exit(code);
}
