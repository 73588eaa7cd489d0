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
    expect(expiryPolicyError(null, undefined, now)).toBeNull();
    expect(expiryPolicyError(inDays(365), undefined, now)).toBeNull();
    expect(expiryPolicyError(inDays(365), { createdAt: inDays(-300), expiresAt: inDays(1) }, now)).toBeNull();
  });

  it("enforces a configured maximum on new keys, counted from now: no 'never', nothing past it", () => {
    process.env.KEY_MAX_LIFETIME_DAYS = "90";
    expect(latestAllowedExpiry(now)).toEqual(inDays(90));
    expect(expiryPolicyError(null, undefined, now)).toMatch(/Keys must expire/);
    expect(expiryPolicyError(inDays(91), undefined, now)).toMatch(/within 90 days/);
    expect(expiryPolicyError(inDays(90), undefined, now)).toBeNull();
    expect(expiryPolicyError(inDays(1), undefined, now)).toBeNull();
  });

  it("counts an edited key's maximum from its creation, so repeated extensions cannot outlive it", () => {
    process.env.KEY_MAX_LIFETIME_DAYS = "90";
    // Created 80 days ago, expiring in 5 days: the latest it may ever expire is in 10 days.
    const key = { createdAt: inDays(-80), expiresAt: inDays(5) };
    expect(expiryPolicyError(inDays(10), key, now)).toBeNull();
    expect(expiryPolicyError(inDays(30), key, now)).toMatch(/within 90 days of the key's creation \(no later than Dec 3, 2026\)/);
    expect(expiryPolicyError(null, key, now)).toMatch(/Keys must expire/);
    // Shortening is always fine.
    expect(expiryPolicyError(inDays(2), key, now)).toBeNull();
  });

  it("lets a key made before the maximum was set be shortened, never lengthened", () => {
    process.env.KEY_MAX_LIFETIME_DAYS = "90";
    const legacy = { createdAt: inDays(-200), expiresAt: inDays(100) };
    expect(expiryPolicyError(inDays(7), legacy, now)).toBeNull();
    expect(expiryPolicyError(inDays(101), legacy, now)).toMatch(/within 90 days/);
    expect(expiryPolicyError(inDays(30), { createdAt: inDays(-200), expiresAt: null }, now)).toBeNull();
  });

  it("treats 0 as off and rejects nonsense", () => {
    process.env.ROTATION_PERIOD_DAYS = "0";
    expect(policy.rotationPeriodDays).toBeNull();
    process.env.KEY_MAX_LIFETIME_DAYS = "ninety";
    expect(() => policy.maxLifetimeDays).toThrow(/whole number of days/);
  });
});
