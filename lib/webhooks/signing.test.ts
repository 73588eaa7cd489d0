import { describe, expect, it } from "vitest";
import { newWebhookSecret, signWebhook, verifyWebhook, webhookHeaders } from "./signing";

describe("Standard Webhooks signatures", () => {
  it("reproduces the specification's published test vector", () => {
    expect(signWebhook("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, '{"test": 2432232314}')).toBe(
      "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
    );
  });

  it("makes whsec_ secrets of 32 random bytes, never the same twice", () => {
    const a = newWebhookSecret();
    expect(a).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(a.slice(6), "base64")).toHaveLength(32);
    expect(newWebhookSecret()).not.toBe(a);
  });

  it("verifies its own headers, and refuses a changed body, another secret, an old timestamp or missing headers", () => {
    const secret = newWebhookSecret();
    const now = 1_800_000_000;
    const body = JSON.stringify({ type: "key.created", data: { key: { id: "k" } } });
    const h = webhookHeaders(secret, "msg_1", now, body);
    const headers = { id: h["webhook-id"], timestamp: h["webhook-timestamp"], signature: h["webhook-signature"] };
    expect(verifyWebhook(secret, headers, body, { nowSeconds: now + 10 })).toEqual({ ok: true });
    // Several signatures (a secret being replaced): any one that matches will do.
    expect(verifyWebhook(secret, { ...headers, signature: `v1,bm9wZQ== ${headers.signature}` }, body, { nowSeconds: now })).toEqual({ ok: true });
    expect(verifyWebhook(secret, headers, body + " ", { nowSeconds: now })).toEqual({ ok: false, reason: "bad_signature" });
    expect(verifyWebhook(newWebhookSecret(), headers, body, { nowSeconds: now })).toEqual({ ok: false, reason: "bad_signature" });
    expect(verifyWebhook(secret, { ...headers, id: "msg_2" }, body, { nowSeconds: now })).toEqual({ ok: false, reason: "bad_signature" });
    expect(verifyWebhook(secret, headers, body, { nowSeconds: now + 301 })).toEqual({ ok: false, reason: "stale_timestamp" });
    expect(verifyWebhook(secret, { ...headers, signature: null }, body, { nowSeconds: now })).toEqual({ ok: false, reason: "missing_headers" });
  });
});
