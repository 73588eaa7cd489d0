import net from "node:net";
import { randomInt } from "node:crypto";
import { ALL_SCOPES } from "../../lib/scopes";
import { HOSTILE_NUMBERS, WRONG_TYPES, hostileStrings } from "../../test/hostile-values";
import { baseURL } from "../../playwright.config";
import { expect, type ApiClient, type ApiResult } from "../support/api";

// Shared by the hostile-*.spec.ts files: hostile input against every /api/v1 endpoint, the custom
// server (server.mjs), the server actions behind the real forms, and the pages' query parameters.
// Whatever arrives, the answer is a 4xx with a message (a JSON problem on the API, a field error
// in a form), never a 5xx or an error page. Cells are batched in loops: one test per surface, not
// one per value.

export const PORT = new URL(baseURL).port;
export const randomIp = () => `198.19.${randomInt(0, 256)}.${randomInt(1, 255)}`;

/** A 4xx JSON problem: `{ error: { code, message } }` with a sentence. */
export function expectProblem(res: ApiResult, what: string, statuses: number[] = []) {
  expect(res.status, `${what}: ${res.text.slice(0, 200)}`).toBeGreaterThanOrEqual(400);
  expect(res.status, `${what}: ${res.text.slice(0, 200)}`).toBeLessThan(500);
  if (statuses.length) expect(statuses, `${what}: got ${res.status} ${res.text.slice(0, 200)}`).toContain(res.status);
  expect(res.headers["content-type"], what).toMatch(/^application\/json/);
  expect(typeof res.body?.error?.code, `${what}: ${res.text.slice(0, 200)}`).toBe("string");
  expect(String(res.body?.error?.message).length, what).toBeGreaterThan(5);
}

/** A 422 that names the field (or an item of it) in details.fields. */
export function expectFieldError(res: ApiResult, field: string, what: string) {
  expectProblem(res, what, [422]);
  const fields = Object.keys(res.body.error.details?.fields ?? {});
  expect(fields.some((f) => f === field || f.startsWith(`${field}.`)) || fields.includes("form"), `${what}: ${res.text.slice(0, 300)}`).toBe(true);
}

/**
 * Keys to spread many requests over (each key may make RATE_LIMIT_PER_MINUTE requests a
 * minute), so every cell reaches validation instead of the rate limiter.
 */
export async function keyPool(api: ApiClient, rootKey: string, size: number) {
  const secrets: string[] = [];
  for (let i = 0; i < size; i++) secrets.push((await api.createKey(rootKey, { scopes: ALL_SCOPES, expiresAt: null })).secret);
  let next = 0;
  return () => secrets[next++ % secrets.length]!;
}

export const strings = (max: number) => hostileStrings(max);
export const P_DESC = "<b>bold</b> & 'quoted'";
export const wrong = WRONG_TYPES.map((w) => w.value);

/** One raw HTTP/1.1 exchange with the server under test: status, head and body as text. */
export function rawRequest(data: string | Buffer, options: { halfClose?: boolean } = {}): Promise<{ status: number; head: string; body: string }> {
  return new Promise((resolve) => {
    const socket = net.connect(Number(PORT), "127.0.0.1");
    const chunks: Buffer[] = [];
    const done = () => {
      const text = Buffer.concat(chunks).toString("utf8");
      const [head = "", ...rest] = text.split("\r\n\r\n");
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1] ?? 0);
      let body = rest.join("\r\n\r\n");
      // Undo chunked encoding, enough for a short JSON answer.
      if (/transfer-encoding: chunked/i.test(head)) body = body.replace(/^[0-9a-f]+\r\n/i, "").replace(/\r\n0\r\n\r\n$/, "").replace(/\r\n[0-9a-f]+\r\n/gi, "");
      resolve({ status, head: head.slice(0, 300), body });
    };
    socket.setTimeout(30_000, () => socket.destroy());
    socket.on("data", (c) => chunks.push(c));
    socket.on("close", done);
    socket.on("error", () => undefined);
    socket.write(data, () => {
      if (options.halfClose) socket.end();
    });
  });
}

/** Query parameters that listing pages and exports must answer without an error page (filters fall back to their defaults). */
export const HOSTILE_QUERY_PARAMS = [
  "q=%00",
  "q=%E2%80%AEabc",
  "q=%25%25%25",
  "q=___",
  "q=%5C%5C%5C",
  "q=' or 1=1 --",
  `q=${"x".repeat(5000)}`,
  "owner=%00",
  "owner=' or 1=1 --",
  "owner=00000000-0000-0000-0000-000000000000",
  "status=<script>",
  "scope[]=keys:read",
  "sort=name&sort=created",
  "dir=sideways",
  "usage=%00",
  "action=%00",
  "actor=%00",
  "actor=a%40b%00",
  "target=not-a-uuid",
  "from=0000-01-01",
  "to=9999-12-31",
  "from=+275760-09-13",
  "from=2026-02-30&to=2026-13-01",
  "role=root",
  ...HOSTILE_NUMBERS.map((n) => `page=${encodeURIComponent(n)}`),
  "page=1&page=2",
  "utm_source=<script>",
];
