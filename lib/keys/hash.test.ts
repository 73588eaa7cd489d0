import { describe, expect, it } from "vitest";
import { hashKey } from "./hash";

describe("hashKey", () => {
  it("is HMAC-SHA-256 (RFC 4231, test case 2)", () => {
    expect(hashKey("what do ya want for nothing?", "Jefe")).toBe("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  });

  it("depends on the pepper, so a stolen table alone cannot test guesses", () => {
    const key = "ksk_example";
    expect(hashKey(key, "pepper-one")).not.toBe(hashKey(key, "pepper-two"));
    expect(hashKey(key, "pepper-one")).toMatch(/^[0-9a-f]{64}$/);
  });
});
