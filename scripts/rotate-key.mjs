#!/usr/bin/env node
// npm run rotate-key -- [--env-file .env] [--var KEYSMITH_API_KEY] [--url http://localhost:3000] [--grace 1h] [--print]
//
// Rotates a Keysmith API key using the key itself (it needs the keys:rotate scope, and must be
// the key's current secret) and writes the new secret back into the .env file atomically (temp
// file + rename, mode 0600; a symlinked .env stays a symlink). The key is read from the
// environment variable or, failing that, from the .env file. Nothing secret is printed unless
// --print is given, or the new key could not be saved (then it goes to stderr, once).
// Exit codes: 0 rotated and saved; 1 failed, nothing changed; 2 usage; 3 rotated but NOT saved.
import nodeFs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { commitWrite, discardWrite, prepareWrite, readVar, setVar } from "./env-file.mjs";

const GRACES = ["none", "1h", "24h", "7d"];
const USAGE = "Usage: npm run rotate-key -- [--env-file .env] [--var KEYSMITH_API_KEY] [--url URL] [--grace none|1h|24h|7d] [--print]";

class Exit extends Error {
  constructor(code, message) {
    super(message);
    this.code = code;
  }
}

/** The whole script as a function (tests call it with their own fetch, fs and output streams); resolves to the exit code. */
export async function rotateKey({ argv, env = process.env, fetch = globalThis.fetch, fs = nodeFs, stdout = process.stdout, stderr = process.stderr }) {
  const say = (line) => stdout.write(`${line}\n`);
  let pending = null;
  try {
    const args = parseArgs(argv);
    if (args.help) {
      say(USAGE);
      return 0;
    }
    const varName = args.var ?? "KEYSMITH_API_KEY";
    const envFile = path.resolve(args["env-file"] ?? ".env");
    const grace = args.grace ?? "1h"; // DEFAULT_GRACE in lib/keys/grace.ts (lib/keys/grace.test.ts holds them equal)
    if (!GRACES.includes(grace)) throw new Exit(2, `--grace must be none, 1h, 24h or 7d (got "${grace}").`);

    const fileText = fs.existsSync(envFile) ? fs.readFileSync(envFile, "utf8") : null;
    const key = env[varName] || (fileText === null ? undefined : readVar(fileText, varName));
    if (!key) throw new Exit(2, `No key found: set ${varName} in the environment or in ${envFile}.`);
    if (fileText === null && !args.print) {
      throw new Exit(2, `${envFile} does not exist, so the new key could not be saved anywhere. Pass --env-file, or --print to print it.`);
    }
    const base = (args.url ?? env.KEYSMITH_URL ?? readVar(fileText ?? "", "KEYSMITH_URL") ?? "http://localhost:3000").replace(/\/$/, "");

    // Before the key changes, make sure the new one can be saved: once rotated, the old secret
    // stops working (at once, or after the grace period), and a key that was never written down
    // is lost. So the temporary file is created first; if that fails, nothing is rotated.
    if (fileText !== null) {
      try {
        pending = prepareWrite(envFile, fs);
      } catch (error) {
        throw new Exit(1, `Cannot write a new ${path.basename(envFile)} beside ${envFile} (${error.code ?? error.message}). Nothing was rotated.`);
      }
    }

    const call = api(fetch, base, key);
    const me = await call("GET", "/api/v1/me");
    const rotated = await call("POST", `/api/v1/keys/${me.key.id}/rotate`, { grace });
    const newKey = rotated.key;
    if (typeof newKey !== "string" || !/^ksk_[0-9A-Za-z]{36}$/.test(newKey)) throw new Exit(1, "The server's answer did not contain a new key.");

    if (pending) {
      try {
        commitWrite(pending, setVar(fileText, varName, newKey));
      } catch (error) {
        // The only time a secret is printed unasked: otherwise it would be lost for good.
        stderr.write(
          `rotate-key: the key was rotated, but ${pending.target} could not be written (${error.code ?? error.message}).\n` +
            `rotate-key: this is the new key. Save it now; it will not be shown again:\n${newKey}\n`,
        );
        return 3;
      }
      pending = null;
      say(`Rotated “${rotated.name}” (${rotated.hint}); the new key is saved in ${envFile}.`);
    } else {
      say(`Rotated “${rotated.name}” (${rotated.hint}).`);
    }
    say(grace === "none" ? "The previous secret has stopped working." : `The previous secret keeps working until ${rotated.previousSecretValidUntil}.`);
    if (args.print) say(newKey);
    return 0;
  } catch (error) {
    if (!(error instanceof Exit)) throw error;
    stderr.write(`rotate-key: ${error.message}\n`);
    return error.code;
  } finally {
    discardWrite(pending);
  }
}

function api(fetch, base, key) {
  return async (method, pathname, body) => {
    let response;
    try {
      response = await fetch(base + pathname, {
        method,
        headers: { Authorization: `Bearer ${key}`, ...(body ? { "Content-Type": "application/json" } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });
    } catch (error) {
      throw new Exit(1, `Could not reach ${base}: ${error.cause?.code ?? error.message}. Check --url.`);
    }
    const payload = await response.json().catch(() => ({}));
    if (!response.ok) {
      const hint = payload.error?.code === "insufficient_scope" ? " (the key needs the keys:rotate scope)" : "";
      throw new Exit(1, `${method} ${pathname} failed: ${response.status} ${payload.error?.message ?? ""}${hint}`);
    }
    return payload;
  };
}

function parseArgs(argv) {
  const out = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--print" || a === "--help" || a === "-h") out[a === "-h" ? "help" : a.slice(2)] = true;
    else if (a.startsWith("--")) {
      const [k, v] = a.includes("=") ? [a.slice(2, a.indexOf("=")), a.slice(a.indexOf("=") + 1)] : [a.slice(2), argv[++i]];
      if (v === undefined) throw new Exit(2, `${a} needs a value.`);
      out[k] = v;
    } else throw new Exit(2, `Unexpected argument "${a}". Try --help.`);
  }
  return out;
}

if (process.argv[1] && import.meta.url === pathToFileURL(nodeFs.realpathSync(process.argv[1])).href) {
  process.exitCode = await rotateKey({ argv: process.argv.slice(2) });
}
