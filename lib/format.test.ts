import { describe, expect, it } from "vitest";
import { DAY_MS } from "@/lib/time";
import { formatDate, formatDateTime, formatRelative, formatTimestamp } from "./format";

const now = new Date("2026-11-23T12:00:00Z");

describe("format", () => {
  it("formats dates in UTC", () => {
    expect(formatDate(new Date("2026-11-23T23:30:00Z"))).toBe("Nov 23, 2026");
    expect(formatDateTime(new Date("2026-11-23T23:30:45Z"))).toBe("Nov 23, 2026 23:30 UTC");
    expect(formatTimestamp(new Date("2026-11-23T23:30:45.999Z"))).toBe("Nov 23, 2026 23:30:45");
  });
  it("formats relative times", () => {
    expect(formatRelative(new Date(now.getTime() - 10_000), now)).toBe("just now");
    expect(formatRelative(new Date(now.getTime() - 3 * 60_000), now)).toBe("3 minutes ago");
    expect(formatRelative(new Date(now.getTime() + 2 * DAY_MS), now)).toBe("in 2 days");
    expect(formatRelative(new Date(now.getTime() - DAY_MS), now)).toBe("yesterday");
  });
});
