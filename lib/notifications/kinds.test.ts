import { describe, expect, it } from "vitest";
import { DAY_MS, HOUR_MS } from "../time";
import { expiryWarningDue, noticeSentence } from "./kinds";

const now = new Date("2026-12-07T12:00:00Z");
const key = (ageDays: number, leftMs: number) => ({ createdAt: new Date(now.getTime() - ageDays * DAY_MS), expiresAt: new Date(now.getTime() + leftMs) });

describe("expiryWarningDue", () => {
  it("is the 7-day warning from 7 days to a day before expiry, then the 1-day one until it expires", () => {
    expect(expiryWarningDue(key(30, 7 * DAY_MS + 1), now)).toBeNull();
    expect(expiryWarningDue(key(30, 7 * DAY_MS), now)).toBe("key.expiring_7d");
    expect(expiryWarningDue(key(30, DAY_MS + 1), now)).toBe("key.expiring_7d");
    expect(expiryWarningDue(key(30, DAY_MS), now)).toBe("key.expiring_1d");
    expect(expiryWarningDue(key(30, 1), now)).toBe("key.expiring_1d");
    expect(expiryWarningDue(key(30, 0), now)).toBeNull();
    expect(expiryWarningDue(key(30, -HOUR_MS), now)).toBeNull();
  });

  it("skips a warning whose window the key was made in", () => {
    expect(expiryWarningDue(key(0, 5 * DAY_MS), now)).toBeNull(); // made with 5 days to live: no 7-day warning
    expect(expiryWarningDue(key(4, 12 * HOUR_MS), now)).toBe("key.expiring_1d"); // but it gets the last-day one
    expect(expiryWarningDue(key(0, 12 * HOUR_MS), now)).toBeNull(); // made with 12 hours to live: nothing
  });
});

describe("noticeSentence", () => {
  it("names the key, and the team for a team key, in words", () => {
    expect(noticeSentence("key.expiring_7d", { keyName: "CI deploys" })).toBe("Your key “CI deploys” expires in 7 days");
    expect(noticeSentence("key.expiring_1d", { keyName: "CI deploys", teamName: "Payments" })).toBe("Key “CI deploys” of team Payments expires within a day");
  });
});
