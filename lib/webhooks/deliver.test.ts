import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { startReceiver } from "@/test/http-receiver";
import { guardedLookup, postWebhook } from "./deliver";

// One attempt against a real HTTP server on loopback (allowed by the operator's list, as the tests'
// WEBHOOK_ALLOWED_HOSTS does), and the guard's refusals when it is not allowed.

const receivers: Awaited<ReturnType<typeof startReceiver>>[] = [];
afterEach(async () => {
  while (receivers.length > 0) await receivers.pop()!.stop();
});
async function receiver(...args: Parameters<typeof startReceiver>) {
  const r = await startReceiver(...args);
  receivers.push(r);
  return r;
}

describe("one webhook attempt", () => {
  it("POSTs the body with its headers and reads a 2xx answer", async () => {
    const r = await receiver(() => ({ status: 200, body: "thanks" }));
    const outcome = await postWebhook({ url: r.url, body: '{"a":1}', headers: { "webhook-id": "msg_1" }, allowedHosts: new Set([r.hostPort]) });
    expect(outcome).toMatchObject({ ok: true, status: 200, excerpt: "thanks", error: null });
    expect(r.received).toHaveLength(1);
    expect(r.received[0]!.body).toBe('{"a":1}');
    expect(r.received[0]!.headers).toMatchObject({ "webhook-id": "msg_1", "content-type": "application/json", "user-agent": "Keysmith-Webhooks/1" });
  });

  it("fails a 500 and a redirect (not followed) with words, keeping the response's excerpt", async () => {
    const r = await receiver((n) => (n === 1 ? { status: 500, body: "boom" } : { status: 302, headers: { Location: "http://169.254.169.254/" } }));
    const allowedHosts = new Set([r.hostPort]);
    expect(await postWebhook({ url: r.url, body: "{}", headers: {}, allowedHosts })).toMatchObject({ ok: false, status: 500, excerpt: "boom", error: expect.stringContaining("2xx") });
    expect(await postWebhook({ url: r.url, body: "{}", headers: {}, allowedHosts })).toMatchObject({ ok: false, status: 302, error: expect.stringContaining("redirects are not followed") });
    expect(r.received).toHaveLength(2);
  });

  it("ends an oversized answer and a silent endpoint with a clear error, never hanging", async () => {
    const big = await receiver(() => ({ status: 200, body: "x".repeat(200_000) }));
    const oversized = await postWebhook({ url: big.url, body: "{}", headers: {}, allowedHosts: new Set([big.hostPort]) });
    expect(oversized).toMatchObject({ ok: false, status: 200, error: expect.stringContaining("larger than 64 KB") });
    expect(oversized.excerpt!.length).toBeLessThanOrEqual(1_000);
    const silent = await receiver(() => "hang");
    const started = Date.now();
    const timedOut = await postWebhook({ url: silent.url, body: "{}", headers: {}, allowedHosts: new Set([silent.hostPort]), timeoutMs: 500 });
    expect(timedOut).toMatchObject({ ok: false, status: null, error: "No answer within 0.5 s." });
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("stops reading an endpoint that streams 100 MB at the cap, at once", async () => {
    let written = 0;
    const server = http.createServer((_req, res) => {
      res.writeHead(200, { "Content-Type": "application/octet-stream" });
      const chunk = Buffer.alloc(1024 * 1024, 120);
      const pump = () => {
        while (written < 100 * 1024 * 1024) {
          written += chunk.length;
          if (!res.write(chunk)) return void res.once("drain", pump);
        }
        res.end();
      };
      pump();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const hostPort = `127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const started = Date.now();
      const outcome = await postWebhook({ url: `http://${hostPort}/stream`, body: "{}", headers: {}, allowedHosts: new Set([hostPort]) });
      expect(outcome).toMatchObject({ ok: false, status: 200, error: expect.stringContaining("larger than 64 KB") });
      expect(Date.now() - started).toBeLessThan(5_000);
      // The connection was dropped: the server stopped long before 100 MB.
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(written).toBeLessThan(100 * 1024 * 1024);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it("says so when nothing listens", async () => {
    const r = await receiver();
    const { url, hostPort } = r;
    await receivers.pop()!.stop();
    expect(await postWebhook({ url, body: "{}", headers: {}, allowedHosts: new Set([hostPort]) })).toMatchObject({ ok: false, error: expect.stringContaining("Connection refused") });
  });

  it("refuses loopback without the operator's entry: a literal address before connecting, a name after DNS", async () => {
    const r = await receiver();
    const none = new Set<string>();
    expect(await postWebhook({ url: r.url, body: "{}", headers: {}, allowedHosts: none })).toMatchObject({ ok: false, error: expect.stringContaining("https://") });
    expect(await postWebhook({ url: `https://127.0.0.1:${r.port}/hook`, body: "{}", headers: {}, allowedHosts: none })).toMatchObject({ ok: false, error: expect.stringContaining("private") });
    // A name passes the URL's rules; the connection's own lookup (real DNS) refuses its loopback address.
    const lookup = (allowed: boolean) =>
      new Promise<{ error: (Error & { code?: string }) | null; address: unknown }>((resolve) =>
        guardedLookup(allowed)("localhost", { family: 4 }, (error, address) => resolve({ error, address })),
      );
    expect(await lookup(false)).toMatchObject({ error: { code: "EWEBHOOKGUARD", message: expect.stringContaining("resolves to a private, loopback or link-local address") } });
    expect(await lookup(true)).toEqual({ error: null, address: "127.0.0.1" });
    expect(r.received).toHaveLength(0);
  });
});
