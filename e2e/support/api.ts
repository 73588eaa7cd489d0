import { randomInt } from "node:crypto";
import { type APIRequestContext } from "@playwright/test";
import { test as base, expect } from "./base";
import { ApiKeysPage } from "./api-keys-page";
import { newUser, signUp, type TestUser } from "./fixtures";

export type ApiResult = { status: number; headers: Record<string, string>; body: any; text: string }; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Calls /api/v1 as one client (its own X-Forwarded-For address) with a given key. */
export class ApiClient {
  constructor(
    readonly request: APIRequestContext,
    readonly ip: string,
  ) {}

  async call(
    method: "GET" | "POST" | "PATCH" | "DELETE" | "PUT",
    path: string,
    options: { key?: string | null; body?: unknown; raw?: string | Buffer; headers?: Record<string, string> } = {},
  ): Promise<ApiResult> {
    const headers: Record<string, string> = { "X-Forwarded-For": this.ip, ...options.headers };
    if (options.key) headers.Authorization = `Bearer ${options.key}`;
    if (options.body !== undefined) headers["Content-Type"] ??= "application/json";
    const response = await this.request.fetch(`/api/v1${path}`, {
      method,
      headers,
      // Buffers go out byte for byte (a string would be re-encoded as JSON).
      data: options.raw !== undefined ? Buffer.from(options.raw) : options.body !== undefined ? Buffer.from(JSON.stringify(options.body)) : undefined,
      failOnStatusCode: false,
      maxRedirects: 0,
    });
    const text = await response.text();
    let body: unknown = null;
    try {
      body = JSON.parse(text);
    } catch {
      body = null;
    }
    return { status: response.status(), headers: response.headers(), body, text };
  }

  /** Creates a key through the API with `parentKey` and returns its secret and id. */
  async createKey(parentKey: string, input: { name?: string; scopes: string[]; expiresAt?: string | null }) {
    const res = await this.call("POST", "/keys", {
      key: parentKey,
      body: { name: input.name ?? `key ${randomInt(1e9)}`, scopes: input.scopes, ...(input.expiresAt !== undefined ? { expiresAt: input.expiresAt } : {}) },
    });
    expect(res.status, res.text).toBe(201);
    return { secret: res.body.key as string, id: res.body.id as string, body: res.body };
  }
}

type Account = { user: TestUser; rootKey: string };

/** Per worker: one account with a full-access key made through the dashboard. Per test: a client with its own IP. */
export const apiTest = base.extend<{ api: ApiClient; rootKey: string; account: Account }, { workerAccount: Account }>({
  workerAccount: [
    async ({ browser }, provide) => {
      const context = await browser.newContext();
      await context.grantPermissions(["clipboard-read", "clipboard-write"]);
      const page = await context.newPage();
      const user = newUser("api");
      await signUp(page, user);
      const keys = new ApiKeysPage(page);
      const rootKey = await keys.create({ name: "root", expiration: "never" });
      await keys.copyAndClose();
      await provide({ user, rootKey });
      await context.close();
    },
    { scope: "worker" },
  ],
  account: async ({ workerAccount }, provide) => provide(workerAccount),
  rootKey: async ({ workerAccount }, provide) => provide(workerAccount.rootKey),
  api: async ({ request }, provide) => {
    // 198.18.0.0/15 is reserved for benchmarking: a fresh address per test keeps the
    // failed-authentication limit of one test from blocking another.
    await provide(new ApiClient(request, `198.18.${randomInt(0, 256)}.${randomInt(1, 255)}`));
  },
});

export { expect };

/** Limits count per fixed minute; a check that must stay within one window waits out the last 15 s. */
export async function withinOneMinuteWindow(): Promise<void> {
  const intoMinute = Date.now() % 60_000;
  if (intoMinute > 45_000) await new Promise((r) => setTimeout(r, 60_500 - intoMinute));
}
