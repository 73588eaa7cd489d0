// After an e2e pass (run by scripts/test.mjs once the servers have stopped): proves that the
// plaintext of every API key the suite saw appeared in exactly one HTTP response, the one that
// created or rotated it, sent with Cache-Control: no-store, and nowhere else: not in any other
// response, not in browser storage, not in any server's output, not in any database row. Account
// tokens (password reset links, ksr_; email-change links, kse_; invitations, ksi_; sign-up links, kss_, always mailed;
// passkey challenges, kspc_, which
// live in an httpOnly cookie and are remembered by e2e/passkeys.spec.ts) likewise: never in a database row, a
// server log, a response body or (once the ceremony is over) browser storage, and in at most one response, the admin's action that showed it
// (createResetLinkAction, createInvitationAction); a mailed token (the specs remember the ones
// they read from mail, e2e/support/secrets.ts) is in no response at all. Webhook signing secrets
// (whsec_) too: in one response, the action that made it, and in no row, log or storage.
//
//   npx tsx scripts/secret-hygiene.ts [--data-dir DIR]... [--database-url URL]...
import fs from "node:fs";
import path from "node:path";
import { sql } from "drizzle-orm";
import { openDatabase } from "../db/client";
import { serverEnv } from "../e2e/support/server-env";
import {
  HYGIENE_DIR,
  isAccountToken,
  isChallengeToken,
  isSecondFactorSecret,
  isWebhookSecret,
  keysIn,
  type CookieTokenRecord,
  type ResponseRecord,
  type ScanCount,
  type StorageRecord,
} from "../e2e/support/recorder";

const ARTIFACTS = "e2e/.artifacts";
const args = process.argv.slice(2);
const values = (flag: string) => args.flatMap((a, i) => (a === flag && args[i + 1] ? [args[i + 1]!] : []));

type HygieneRecord = ResponseRecord | StorageRecord | ScanCount | CookieTokenRecord;
const problems: string[] = [];
const short = (key: string) => `${key.slice(0, 8)}…${key.slice(-4)}`;

function readRecords(): HygieneRecord[] {
  if (!fs.existsSync(HYGIENE_DIR)) return [];
  return fs
    .readdirSync(HYGIENE_DIR)
    .flatMap((f) => fs.readFileSync(path.join(HYGIENE_DIR, f), "utf8").split("\n").filter(Boolean))
    .map((line) => JSON.parse(line) as HygieneRecord);
}

/** Server-action ids of the actions whose answer carries a new secret (by their names), from the build. */
function secretActionIds(names: string[]): Set<string> {
  const manifest = JSON.parse(fs.readFileSync(".next/server/server-reference-manifest.json", "utf8")) as {
    node: { [id: string]: { exportedName?: string } };
  };
  return new Set(
    Object.entries(manifest.node)
      .filter(([, v]) => names.includes(v.exportedName ?? ""))
      .map(([id]) => id),
  );
}

function isCreationResponse(r: ResponseRecord, actions: Set<string>): boolean {
  if (r.method !== "POST") return false;
  if (r.action) return actions.has(r.action);
  const { pathname } = new URL(r.url);
  return (pathname === "/api/v1/keys" && r.status === 201) || (/^\/api\/v1\/keys\/[0-9a-f-]{36}\/rotate$/.test(pathname) && r.status === 200);
}

async function databaseText(options: { pgliteDir?: string; url?: string }): Promise<string> {
  const handle = await openDatabase({ url: options.url, pgliteDir: options.pgliteDir ?? "" });
  try {
    const tables = (await handle.db.execute(
      sql`select table_schema as s, table_name as t from information_schema.tables where table_schema in ('public', 'drizzle') and table_type = 'BASE TABLE'`,
    )) as unknown as { rows: { s: string; t: string }[] };
    const parts: string[] = [];
    for (const { s, t } of tables.rows) {
      const rows = (await handle.db.execute(sql.raw(`select x::text as row from "${s}"."${t}" x`))) as unknown as { rows: { row: string }[] };
      parts.push(...rows.rows.map((r) => r.row));
    }
    return parts.join("\n");
  } finally {
    await handle.close();
  }
}

/** The key itself, or any 16 characters of its random body, found in `text`. */
function leaks(text: string, key: string): boolean {
  if (text.includes(key)) return true;
  const body = key.slice(4);
  for (let i = 0; i + 16 <= body.length; i++) if (text.includes(body.slice(i, i + 16))) return true;
  return false;
}

const records = readRecords();
const responses = records.filter((r): r is ResponseRecord => r.kind === "response");
const scanned = records.filter((r): r is ScanCount => r.kind === "scanned").reduce((n, r) => n + r.responses, 0);
const remembered = fs.existsSync(`${ARTIFACTS}/secrets`)
  ? fs.readdirSync(`${ARTIFACTS}/secrets`).flatMap((f) => keysIn(fs.readFileSync(`${ARTIFACTS}/secrets/${f}`, "utf8")))
  : [];
// Secrets of no Keysmith format (an OIDC client secret, authorization codes): only logs and rows are checked.
const opaque = fs.existsSync(`${ARTIFACTS}/opaque-secrets`)
  ? fs.readdirSync(`${ARTIFACTS}/opaque-secrets`).map((f) => fs.readFileSync(`${ARTIFACTS}/opaque-secrets/${f}`, "utf8").trim()).filter((s) => s.length >= 20)
  : [];
const inCookies = records.filter((r): r is CookieTokenRecord => r.kind === "cookie-token").flatMap((r) => r.keys);
const secrets = [...new Set([...responses.flatMap((r) => r.keys), ...remembered, ...inCookies])];
const challengeTokens = secrets.filter(isChallengeToken);
const factorSecrets = secrets.filter(isSecondFactorSecret);
const webhookSecrets = secrets.filter(isWebhookSecret);
const keys = secrets.filter((s) => !isAccountToken(s) && !isChallengeToken(s) && !isSecondFactorSecret(s) && !isWebhookSecret(s));
const tokens = secrets.filter(isAccountToken);
// The personal and the team key actions that hand out a secret (create, rotate, and the key issued
// from an approved request: the requester's one creation response).
const actions = secretActionIds(["createApiKeyAction", "rotateApiKeyAction", "createTeamApiKeyAction", "rotateTeamApiKeyAction", "issueRequestedKeyAction"]);
const tokenActions = secretActionIds(["createResetLinkAction", "createInvitationAction"]);
const factorActions = secretActionIds(["startTotpSetupAction", "confirmTotpSetupAction", "regenerateRecoveryCodesAction"]);
const webhookActions = secretActionIds(["createWebhookAction", "rotateWebhookSecretAction", "createTeamWebhookAction", "rotateTeamWebhookSecretAction"]);

// 1. Each key in exactly one response, its creation or rotation, never cached.
let created = 0;
for (const key of keys) {
  const carrying = responses.filter((r) => r.keys.includes(key));
  const [first, ...others] = carrying;
  if (others.length > 0) {
    problems.push(`${short(key)} appeared in ${carrying.length} responses: ${carrying.map((r) => `${r.method} ${new URL(r.url).pathname} (${r.status})`).join(", ")}`);
  }
  if (!first) continue; // made outside the browser and API client (e.g. by the rotate-key script)
  if (!isCreationResponse(first, actions)) problems.push(`${short(key)} appeared in ${first.method} ${first.url} (${first.status}), which neither created nor rotated it`);
  else created++;
  if (!/no-store/.test(first.cacheControl)) problems.push(`${first.method} ${first.url} carried a key without Cache-Control: no-store (${first.cacheControl || "none"})`);
}

// 1b. Each account token in at most one response: the admin's action that made it and showed it
// once. A mailed token is in none (the specs remember it when they read the mail).
let shownTokens = 0;
for (const token of tokens) {
  const carrying = responses.filter((r) => r.keys.includes(token));
  if (carrying.length > 1) {
    problems.push(`${short(token)} appeared in ${carrying.length} responses: ${carrying.map((r) => `${r.method} ${new URL(r.url).pathname} (${r.status})`).join(", ")}`);
  }
  const [first] = carrying;
  if (!first) continue;
  if (first.method !== "POST" || !first.action || !tokenActions.has(first.action)) problems.push(`${short(token)} appeared in ${first.method} ${first.url} (${first.status}), which did not make it`);
  else shownTokens++;
}

// 1c. A TOTP seed or recovery code in at most one response, the set-up (seed) or the confirmation
// or renewal (codes) that made it, never cached. A challenge token (ksc_) in no response at all:
// it lives only in its httpOnly cookie.
let shownFactorSecrets = 0;
for (const secret of factorSecrets) {
  const carrying = responses.filter((r) => r.keys.includes(secret));
  if (carrying.length > 1) {
    problems.push(`a second-factor secret ${short(secret)} appeared in ${carrying.length} responses: ${carrying.map((r) => `${r.method} ${new URL(r.url).pathname} (${r.status})`).join(", ")}`);
  }
  const [first] = carrying;
  if (!first) continue;
  if (first.method !== "POST" || !first.action || !factorActions.has(first.action)) problems.push(`a second-factor secret ${short(secret)} appeared in ${first.method} ${first.url} (${first.status}), which did not make it`);
  else shownFactorSecrets++;
}
for (const token of challengeTokens) {
  for (const r of responses.filter((r) => r.keys.includes(token))) problems.push(`a challenge token ${short(token)} appeared in the body of ${r.method} ${new URL(r.url).pathname} (${r.status})`);
}

// 1d. A webhook signing secret in at most one response: the action that made it (adding the
// endpoint, or a new secret), never cached.
let shownWebhookSecrets = 0;
for (const secret of webhookSecrets) {
  const carrying = responses.filter((r) => r.keys.includes(secret));
  if (carrying.length > 1) {
    problems.push(`a webhook secret ${short(secret)} appeared in ${carrying.length} responses: ${carrying.map((r) => `${r.method} ${new URL(r.url).pathname} (${r.status})`).join(", ")}`);
  }
  const [first] = carrying;
  if (!first) continue;
  if (first.method !== "POST" || !first.action || !webhookActions.has(first.action)) problems.push(`a webhook secret ${short(secret)} appeared in ${first.method} ${first.url} (${first.status}), which did not make it`);
  else shownWebhookSecrets++;
  if (!/no-store/.test(first.cacheControl)) problems.push(`${first.method} ${first.url} carried a webhook secret without Cache-Control: no-store (${first.cacheControl || "none"})`);
}

// 2. Never in browser storage.
for (const r of records.filter((r): r is StorageRecord => r.kind === "storage")) {
  problems.push(`${r.keys.length} key(s) found in ${r.where}: ${r.keys.map(short).join(", ")}`);
}

// 3. Never in any server's output.
const logs = fs
  .readdirSync(ARTIFACTS)
  .filter((f) => /^server-\d+\.log$/.test(f))
  .map((f) => fs.readFileSync(`${ARTIFACTS}/${f}`, "utf8"))
  .join("\n");
for (const key of [...secrets, ...opaque]) if (leaks(logs, key)) problems.push(`${short(key)} (or 16 characters of it) appeared in a server log`);

// 3b. No API operation answered an error code it does not declare (lib/api/operations.ts, from
// which the OpenAPI document lists each operation's codes): the handler logs each such answer.
const undocumented = [...new Set(logs.split("\n").filter((line) => line.includes('"api.undocumented_error"')))];
for (const line of undocumented.slice(0, 10)) problems.push(`an API operation answered a code its OpenAPI entry does not list: ${line}`);

// 4. Never in the database: every row of every table, as text.
const databases: { pgliteDir?: string; url?: string }[] = [
  ...values("--data-dir").map((d) => ({ pgliteDir: path.join(d, "pglite") })),
  ...values("--database-url").map((url) => ({ url })),
];
let rows = 0;
for (const db of databases) {
  if (db.pgliteDir && !fs.existsSync(db.pgliteDir)) continue;
  const text = await databaseText(db);
  rows += text.split("\n").length;
  for (const key of [...secrets, ...opaque]) if (leaks(text, key)) problems.push(`${short(key)} (or 16 characters of it) is stored in ${db.url ? "the Postgres database" : db.pgliteDir}`);
}

// 5. The server's own secrets never reach the browser bundle (checklist N-04).
const serverSecrets = [
  ...values("--data-dir").flatMap((d) => {
    const file = path.join(d, "secrets.json");
    return fs.existsSync(file) ? Object.values(JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, string>) : [];
  }),
  ...values("--database-url"),
  ...(values("--database-url").length > 0 ? [serverEnv("").AUTH_SECRET, serverEnv("").KEY_PEPPER, serverEnv("").ENCRYPTION_KEY].filter((v): v is string => !!v) : []),
];
const bundle = fs
  .readdirSync(".next/static", { recursive: true, withFileTypes: true })
  .filter((e) => e.isFile())
  .map((e) => fs.readFileSync(path.join(e.parentPath, e.name), "utf8"))
  .join("\n");
for (const secret of serverSecrets) if (bundle.includes(secret)) problems.push(`a server secret (${secret.slice(0, 4)}…) is in the browser bundle (.next/static)`);
if (serverSecrets.length === 0) problems.push("no server secrets were found to look for in the browser bundle");

// The check must have had something to check.
if (scanned < 100) problems.push(`only ${scanned} responses were recorded: is the recorder (e2e/support/base.ts) in use?`);
if (created < 10) problems.push(`only ${created} keys were seen in their creation response: the check would prove nothing`);
if (rows === 0) problems.push("no database rows were checked");

if (problems.length > 0) {
  console.error(`secret hygiene: ${problems.length} problem(s)`);
  for (const p of problems) console.error(`  - ${p}`);
  process.exit(1);
}
console.log(
  `secret hygiene: ${keys.length} keys, ${tokens.length} account tokens and ${opaque.length} other secrets (OIDC) (${shownTokens} shown once to an admin, ${tokens.length - shownTokens} mailed or held in a cookie); ` +
    `${factorSecrets.length} second-factor secrets (${shownFactorSecrets} shown once), ${webhookSecrets.length} webhook secrets (${shownWebhookSecrets} shown once) and ${challengeTokens.length} sign-in challenge tokens (cookie only); ` +
    `${scanned} responses scanned, each key only in its creation or rotation response (no-store); ` +
    `none in browser storage, ${Math.round(logs.length / 1024)} KB of server logs or ${rows} database rows; ` +
    `no server secret in ${Math.round(bundle.length / 1024)} KB of browser bundle`,
);
