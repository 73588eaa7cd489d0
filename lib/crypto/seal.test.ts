import { describe, expect, it } from "vitest";
import { keyedDigest, seal, sealedWith, unseal } from "./seal";

const KEY = "seal-test-key-0123456789abcdefghijklmnopqrstuv";
const OLD = "seal-test-old-key-zyxwvutsrqponmlkjihgfedcba98";

describe("sealed secrets (AES-256-GCM, versioned)", () => {
  it("round-trips and keeps nothing of the plaintext in the clear", () => {
    const secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
    const sealed = seal(secret, "totp:user-1", KEY);
    expect(sealed).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(sealed).not.toContain(secret.slice(0, 8));
    expect(unseal(sealed, "totp:user-1", [KEY])).toBe(secret);
    // A fresh IV each time: the same seed never seals to the same text.
    expect(seal(secret, "totp:user-1", KEY)).not.toBe(sealed);
  });

  it("opens only for its own context, with its own key, unaltered", () => {
    const sealed = seal("seed", "totp:user-1", KEY);
    expect(() => unseal(sealed, "totp:user-2", [KEY])).toThrow();
    expect(() => unseal(sealed, "totp:user-1", [OLD])).toThrow(/not configured/);
    const parts = sealed.split(".");
    parts[3] = Buffer.from("tampered").toString("base64url");
    expect(() => unseal(parts.join("."), "totp:user-1", [KEY])).toThrow();
    expect(() => unseal(`v0.${parts.slice(1).join(".")}`, "totp:user-1", [KEY])).toThrow(/version/);
  });

  it("rotates: a seal made with the previous key still opens while it is listed", () => {
    const old = seal("seed", "ctx", OLD);
    expect(unseal(old, "ctx", [KEY, OLD])).toBe("seed");
    expect(sealedWith(old, KEY)).toBe(false);
    expect(sealedWith(seal("seed", "ctx", KEY), KEY)).toBe(true);
  });

  it("keyed digests depend on the key and the purpose", () => {
    const d = keyedDigest("ABCDE-FGH23", "recovery-code", KEY);
    expect(d).toMatch(/^[0-9a-f]{64}$/);
    expect(keyedDigest("ABCDE-FGH23", "recovery-code", OLD)).not.toBe(d);
    expect(keyedDigest("ABCDE-FGH23", "other", KEY)).not.toBe(d);
  });
});
