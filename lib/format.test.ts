import { describe, expect, it } from "vitest";
import { DAY_MS } from "@/lib/time";
import { describeTimeZone, formatDate, formatDateTime, formatDay, formatExact, formatMonth, formatRelative, formatTimestamp } from "./format";

const now = new Date("2026-11-23T12:00:00Z");

describe("format", () => {
  it("names a month in the given zone (the monthly review)", () => {
    const newYearUtc = new Date("2027-01-01T02:00:00Z");
    expect(formatMonth(newYearUtc, "UTC")).toBe("January 2027");
    expect(formatMonth(newYearUtc, "America/New_York")).toBe("December 2026");
  });

  it("formats dates in UTC when no zone is given, and says so", () => {
    expect(formatDate(new Date("2026-11-23T23:30:00Z"))).toBe("Nov 23, 2026");
    expect(formatDateTime(new Date("2026-11-23T23:30:45Z"))).toBe("Nov 23, 2026 23:30 UTC");
    expect(formatTimestamp(new Date("2026-11-23T23:30:45.999Z"))).toBe("Nov 23, 2026 23:30:45");
    expect(formatDay("2026-12-06")).toBe("Dec 6, 2026");
  });
  it("formats dates in the viewer's zone: late evening UTC is the next day in Tokyo", () => {
    const late = new Date("2026-12-06T22:59:00Z");
    expect(formatDate(late, "Asia/Tokyo")).toBe("Dec 7, 2026");
    expect(formatDate(late, "America/New_York")).toBe("Dec 6, 2026");
    expect(formatDateTime(late, "Asia/Tokyo")).toBe("Dec 7, 2026 07:59 GMT+9");
  });
  it("gives the exact time for a hover in words, naming the zone", () => {
    expect(formatExact(new Date("2026-12-06T13:03:00Z"), "Europe/Berlin")).toBe("6 December 2026, 14:03 CET");
    expect(formatExact(new Date("2026-07-06T13:03:00Z"), "Europe/Berlin")).toBe("6 July 2026, 15:03 CEST");
    expect(formatExact(new Date("2026-12-06T13:03:00Z"), "UTC")).toBe("6 December 2026, 13:03 UTC");
    expect(describeTimeZone("Asia/Tokyo", now)).toBe("Asia/Tokyo (GMT+9)");
    expect(describeTimeZone("UTC", now)).toBe("UTC");
  });
  it("formats relative times", () => {
    expect(formatRelative(new Date(now.getTime() - 10_000), now)).toBe("just now");
    expect(formatRelative(new Date(now.getTime() - 3 * 60_000), now)).toBe("3 minutes ago");
    expect(formatRelative(new Date(now.getTime() + 2 * DAY_MS), now)).toBe("in 2 days");
    expect(formatRelative(new Date(now.getTime() - DAY_MS), now)).toBe("yesterday");
  });
});
