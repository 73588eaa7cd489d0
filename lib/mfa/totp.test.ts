import { generate } from "otplib";
import { describe, expect, it } from "vitest";
import { TOTP_PERIOD_SECONDS, asTotpCode, newTotpSecret, timeStepAt, totpUri, verifyTotp } from "./totp";

// RFC 6238 as authenticator apps use it, through otplib: the window is one step either side,
// and a step at or before the last accepted one is refused (each code works once).

const codeAt = (secret: string, ms: number) => generate({ secret, epoch: Math.floor(ms / 1000) });
const now = Date.UTC(2026, 11, 7, 12, 0, 10);
const STEP_MS = TOTP_PERIOD_SECONDS * 1000;

describe("TOTP", () => {
  it("makes 160-bit base32 seeds and an otpauth URI naming Keysmith and the account", () => {
    const secret = newTotpSecret();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(newTotpSecret()).not.toBe(secret);
    const uri = totpUri(secret, "ann@example.test");
    expect(uri).toMatch(/^otpauth:\/\/totp\/Keysmith:ann%40example\.test\?/);
    expect(uri).toContain(`secret=${secret}`);
  });

  it("accepts the current step and one either side, and nothing further", async () => {
    const secret = newTotpSecret();
    const step = timeStepAt(now);
    expect(await verifyTotp(secret, await codeAt(secret, now), now, null)).toBe(step);
    expect(await verifyTotp(secret, await codeAt(secret, now - STEP_MS), now, null)).toBe(step - 1);
    expect(await verifyTotp(secret, await codeAt(secret, now + STEP_MS), now, null)).toBe(step + 1);
    expect(await verifyTotp(secret, await codeAt(secret, now - 2 * STEP_MS), now, null)).toBeNull();
    expect(await verifyTotp(secret, await codeAt(secret, now + 2 * STEP_MS), now, null)).toBeNull();
  });

  it("refuses a code from the last accepted step or before (replay)", async () => {
    const secret = newTotpSecret();
    const code = await codeAt(secret, now);
    const step = await verifyTotp(secret, code, now, null);
    expect(step).not.toBeNull();
    expect(await verifyTotp(secret, code, now, step)).toBeNull();
    expect(await verifyTotp(secret, await codeAt(secret, now - STEP_MS), now, step)).toBeNull();
    // The next step's code still works.
    expect(await verifyTotp(secret, await codeAt(secret, now + STEP_MS), now + STEP_MS, step)).toBe(step! + 1);
  });

  it("refuses another seed's code and reads codes as apps show them", async () => {
    expect(await verifyTotp(newTotpSecret(), await codeAt(newTotpSecret(), now), now, null)).toBeNull();
    expect(asTotpCode("123 456")).toBe("123456");
    expect(asTotpCode("12345")).toBeNull();
    expect(asTotpCode("12345a")).toBeNull();
  });
});
