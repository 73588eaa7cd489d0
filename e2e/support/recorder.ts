import fs from "node:fs";
import { randomUUID } from "node:crypto";
import type { APIRequestContext, APIResponse, Browser, BrowserContext, Response } from "@playwright/test";

/**
 * Secret hygiene, recorded as the suite runs: every HTTP response any test receives (browser
 * pages, RSC payloads, server-action answers, API calls) is scanned for API keys and account
 * tokens (reset links' ksr_, email-change links' kse_, invitations' ksi_, sign-up links' kss_), and so is the
 * browser's storage (cookies, localStorage, sessionStorage) when a context closes. Only what
 * matters is written to e2e/.artifacts/hygiene/: each response that carried a key, each storage
 * that held one, and how many responses were scanned. scripts/secret-hygiene.ts then proves each
 * key appeared in exactly one response, its creation or rotation, and nowhere else (logs and the
 * database included).
 */
export const HYGIENE_DIR = "e2e/.artifacts/hygiene";
const KEY_IN_TEXT = /ksk_[0-9A-Za-z]{36}(?![0-9A-Za-z])/g;
/**
 * Account tokens: password reset links (ksr_), email-change links (kse_), invitations (ksi_), sign-up links (kss_) and
 * passkey challenges (kspc_, in an httpOnly cookie only), second-factor sign-in challenges (ksc_),
 * 32 random bytes in base64url.
 */
const TOKEN_IN_TEXT = /ks(?:[reics]|pc)_[0-9A-Za-z_-]{43}(?![0-9A-Za-z_-])/g;
/** Second-factor secrets: a TOTP seed (160 bits in base32, as set-up shows it) and recovery codes (ABCDE-FGH23). */
const TOTP_SEED_IN_TEXT = /(?<![A-Z2-7])[A-Z2-7]{32}(?![A-Z2-7])/g;
const RECOVERY_CODE_IN_TEXT = /(?<![A-Za-z0-9-])[A-Z2-7]{5}-[A-Z2-7]{5}(?![A-Za-z0-9-])/g;
/** Webhook signing secrets (Standard Webhooks: whsec_ and 32 bytes in base64), shown once when made. */
const WEBHOOK_SECRET_IN_TEXT = /whsec_[A-Za-z0-9+/]{43}=/g;
/** The challenge's cookie: the one place its ksc_ token may be (lib/auth/challenge-cookie.ts). */
const CHALLENGE_COOKIE = "keysmith-2fa";
const file = `${HYGIENE_DIR}/${process.pid}-${randomUUID()}.jsonl`;

export type ResponseRecord = {
  kind: "response";
  method: string;
  url: string;
  status: number;
  cacheControl: string;
  action: string | null;
  keys: string[];
};
export type StorageRecord = { kind: "storage"; where: string; keys: string[] };
/** A challenge token seen where it belongs (its httpOnly cookie): checked against logs and the database. */
export type CookieTokenRecord = { kind: "cookie-token"; keys: string[] };
export type ScanCount = { kind: "scanned"; responses: number };

let scanned = 0;
function write(record: ResponseRecord | StorageRecord | ScanCount | CookieTokenRecord) {
  fs.mkdirSync(HYGIENE_DIR, { recursive: true });
  fs.appendFileSync(file, `${JSON.stringify(record)}\n`);
}

/** API keys, account tokens, second-factor secrets (seeds, recovery codes) and webhook secrets found in `text`. */
export function keysIn(text: string): string[] {
  return [
    ...new Set([
      ...(text.match(KEY_IN_TEXT) ?? []),
      ...(text.match(TOKEN_IN_TEXT) ?? []),
      ...(text.match(TOTP_SEED_IN_TEXT) ?? []),
      ...(text.match(RECOVERY_CODE_IN_TEXT) ?? []),
      ...(text.match(WEBHOOK_SECRET_IN_TEXT) ?? []),
    ]),
  ];
}

/** Whether a secret is an account token (a reset, email-change, invitation or sign-up link's) rather than an API key. */
export function isAccountToken(secret: string): boolean {
  return /^ks(?:[reis]|pc)_/.test(secret);
}

/** Whether a secret is a webhook endpoint's signing secret (shown in one response only). */
export function isWebhookSecret(secret: string): boolean {
  return secret.startsWith("whsec_");
}

/** Whether a secret is a second-factor challenge's token (it belongs in its cookie and no response). */
export function isChallengeToken(secret: string): boolean {
  return secret.startsWith("ksc_");
}

/** Whether a secret is a TOTP seed or a recovery code (each shown in one response only). */
export function isSecondFactorSecret(secret: string): boolean {
  return new RegExp(`^(?:${TOTP_SEED_IN_TEXT.source}|${RECOVERY_CODE_IN_TEXT.source})$`).test(secret);
}

function noteResponse(method: string, url: string, status: number, headers: Record<string, string>, action: string | null, body: string) {
  scanned++;
  const keys = keysIn(body);
  if (keys.length === 0) return;
  write({ kind: "response", method, url, status, cacheControl: headers["cache-control"] ?? "", action, keys });
}

function flushScanCount() {
  if (scanned > 0) write({ kind: "scanned", responses: scanned });
  scanned = 0;
}

// Static build assets cannot hold a runtime secret; reading every chunk would only slow the suite.
const SKIP = /\/_next\/static\/|\.(?:png|ico|woff2?|svg)(?:\?|$)/;

const watched = new WeakSet<object>();

/** What the running test has seen: body reads still in flight, contexts opened, CSP reports. */
const current = { pending: [] as Promise<void>[], contexts: new Set<BrowserContext>(), csp: [] as string[] };

export function startTest() {
  current.pending = [];
  current.contexts = new Set();
  current.csp = [];
}

/**
 * Ends a test's recording: waits for every body to be scanned, scans the storage of every context
 * the test opened, and returns the CSP violations Chromium reported (a test fails on any).
 */
export async function finishTest(): Promise<string[]> {
  await Promise.all(current.pending);
  for (const context of current.contexts) await scanStorage(context).catch(() => undefined);
  flushScanCount();
  return current.csp;
}

/** Scans every response of a browser context, and its storage when it closes. */
export function watchContext(context: BrowserContext) {
  current.contexts.add(context);
  if (watched.has(context)) return;
  watched.add(context);
  context.on("response", (response: Response) => {
    const url = response.url();
    if (SKIP.test(url)) return;
    const request = response.request();
    current.pending.push(
      response
        .text()
        .then((body) => noteResponse(request.method(), url, response.status(), response.headers(), request.headers()["next-action"] ?? null, body))
        .catch(() => undefined), // redirects and aborted loads have no body
    );
  });
  context.on("console", (message) => {
    if (message.type() === "error" && /Content Security Policy/i.test(message.text())) current.csp.push(message.text());
  });
  context.on("close", () => current.contexts.delete(context));
  watchRequestContext(context.request);
  const close = context.close.bind(context);
  context.close = async (options) => {
    await scanStorage(context).catch(() => undefined);
    return close(options);
  };
}

async function scanStorage(context: BrowserContext) {
  const state = await context.storageState();
  // The challenge's token lives in its httpOnly cookie by design (like the session cookie); it is
  // remembered, so its absence from logs, the database and every response is still checked.
  const challenge = state.cookies.filter((c) => c.name === CHALLENGE_COOKIE).flatMap((c) => keysIn(c.value));
  if (challenge.length > 0) write({ kind: "cookie-token", keys: challenge });
  const found = keysIn(JSON.stringify({ ...state, cookies: state.cookies.filter((c) => c.name !== CHALLENGE_COOKIE) }));
  for (const page of context.pages()) {
    found.push(...keysIn(await page.evaluate(() => JSON.stringify({ ...sessionStorage })).catch(() => "")));
  }
  if (found.length > 0) write({ kind: "storage", where: "browser storage (cookies, localStorage, sessionStorage)", keys: found });
}

/** Scans the responses of an API request context (Playwright's `request`, `page.request`). */
export function watchRequestContext(request: APIRequestContext): APIRequestContext {
  if (watched.has(request)) return request;
  watched.add(request);
  const fetch = request.fetch.bind(request);
  request.fetch = async (urlOrRequest, options) => {
    const response: APIResponse = await fetch(urlOrRequest, options);
    const method = options?.method ?? (typeof urlOrRequest === "string" ? "GET" : urlOrRequest.method());
    const headers = typeof urlOrRequest === "string" ? (options?.headers ?? {}) : urlOrRequest.headers();
    const body = await response.text().catch(() => "");
    noteResponse(method, response.url(), response.status(), response.headers(), headers["next-action"] ?? headers["Next-Action"] ?? null, body);
    return response;
  };
  return request; // get, post, patch, put, delete and head all call this.fetch

}

/** Makes every context a test opens with browser.newContext() watched too. */
export function watchBrowser(browser: Browser) {
  if (watched.has(browser)) return;
  watched.add(browser);
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (options) => {
    const context = await newContext(options);
    watchContext(context);
    return context;
  };
}
