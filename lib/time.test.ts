import { describe, expect, it } from "vitest";
import { DAY_MS, HOUR_MS, MINUTE_MS, fillUtcDays, lastUtcDays, utcDay } from "./time";

describe("time", () => {
  it("has the units in milliseconds", () => {
    expect([MINUTE_MS, HOUR_MS, DAY_MS]).toEqual([60_000, 3_600_000, 86_400_000]);
  });

  it("names UTC days, whatever the hour", () => {
    expect(utcDay(new Date("2026-03-29T00:00:00Z"))).toBe("2026-03-29");
    expect(utcDay(new Date("2026-03-29T23:59:59.999Z"))).toBe("2026-03-29");
    expect(utcDay(Date.UTC(2026, 0, 1))).toBe("2026-01-01");
  });

  it("lists the last N UTC days oldest first, ending with today", () => {
    const late = new Date("2026-03-01T23:59:59.999Z");
    expect(lastUtcDays(3, late)).toEqual(["2026-02-27", "2026-02-28", "2026-03-01"]);
    expect(lastUtcDays(3, new Date("2026-03-01T00:00:00Z"))).toEqual(["2026-02-27", "2026-02-28", "2026-03-01"]);
    const month = lastUtcDays(30, late);
    expect(month).toHaveLength(30);
    expect(month[0]).toBe("2026-01-31");
    expect(new Set(month).size).toBe(30);
    expect(lastUtcDays(0, late)).toEqual([]);
  });

  it("fills the last N days with counts, zero where a day has no row, rows outside the window dropped", () => {
    const now = new Date("2026-03-01T12:00:00Z");
    const rows = [
      { day: "2026-03-01", success: 4, failure: 1 },
      { day: "2026-02-20", success: 9, failure: 9 },
      { day: "2026-02-28", success: 0, failure: 2 },
    ];
    expect(fillUtcDays(rows, 3, now)).toEqual([
      { day: "2026-02-27", success: 0, failure: 0 },
      { day: "2026-02-28", success: 0, failure: 2 },
      { day: "2026-03-01", success: 4, failure: 1 },
    ]);
  });
});
