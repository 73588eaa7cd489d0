import { afterEach, describe, expect, it } from "vitest";
import { expiryPolicyError, latestAllowedExpiry, policy } from "./policy";

const now = new Date("2026-11-23T12:00:00Z");
const inDays = (n: number) => new Date(now.getTime() + n * 86_400_000);

afterEach(() => {
  delete process.env.KEY_MAX_LIFETIME_DAYS;
  delete process.env.ROTATION_PERIOD_DAYS;
});

describe("key policy", () => {
  it("has no maximum lifetime and a 90-day rotation period by default", () => {
    expect(policy.maxLifetimeDays).toBeNull();
    expect(policy.rotationPeriodDays).toBe(90);
    expect(expiryPolicyError(null, now)).toBeNull();
    expect(expiryPolicyError(inDays(365), now)).toBeNull();
  });

  it("enforces a configured maximum: no 'never', nothing past it, shortening always fine", () => {
    process.env.KEY_MAX_LIFETIME_DAYS = "90";
    expect(latestAllowedExpiry(now)).toEqual(inDays(90));
    expect(expiryPolicyError(null, now)).toMatch(/Keys must expire/);
    expect(expiryPolicyError(inDays(91), now)).toMatch(/within 90 days/);
    expect(expiryPolicyError(inDays(90), now)).toBeNull();
    expect(expiryPolicyError(inDays(1), now)).toBeNull();
  });

  it("treats 0 as off and rejects nonsense", () => {
    process.env.ROTATION_PERIOD_DAYS = "0";
    expect(policy.rotationPeriodDays).toBeNull();
    process.env.KEY_MAX_LIFETIME_DAYS = "ninety";
    expect(() => policy.maxLifetimeDays).toThrow(/whole number of days/);
  });
});
