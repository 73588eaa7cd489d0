import { describe, expect, it } from "vitest";
import { dayIn, startOfDayIn } from "./calendar";
import { validTimeZone } from "./time-zone";

describe("time zones", () => {
  it("accepts only time zones the runtime knows", () => {
    expect(validTimeZone("Asia/Tokyo")).toBe("Asia/Tokyo");
    expect(validTimeZone("UTC")).toBe("UTC");
    for (const bad of ["", "Mars/Olympus", "../../etc", "x".repeat(65), 42, undefined]) expect(validTimeZone(bad)).toBeNull();
  });
  it("finds calendar days in a zone, and where they begin, across DST changes", () => {
    expect(dayIn(new Date("2026-12-06T22:59:00Z"), "Asia/Tokyo")).toBe("2026-12-07");
    expect(dayIn(new Date("2026-12-06T22:59:00Z"), "UTC")).toBe("2026-12-06");
    expect(startOfDayIn("2026-12-09", "Asia/Tokyo")).toEqual(new Date("2026-12-08T15:00:00Z"));
    expect(startOfDayIn("2026-12-09", "UTC")).toEqual(new Date("2026-12-09T00:00:00Z"));
    // New York leaves daylight saving time on 1 November 2026: that day begins at UTC-4, the next at UTC-5.
    expect(startOfDayIn("2026-11-01", "America/New_York")).toEqual(new Date("2026-11-01T04:00:00Z"));
    expect(startOfDayIn("2026-11-02", "America/New_York")).toEqual(new Date("2026-11-02T05:00:00Z"));
    expect(startOfDayIn("2026-02-30", "UTC")).toBeNull();
    expect(startOfDayIn("12/09/2026", "UTC")).toBeNull();
  });
});
