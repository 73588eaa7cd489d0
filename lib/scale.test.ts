import { describe, expect, it } from "vitest";
import { countScale } from "./scale";

describe("countScale", () => {
  it("gives round whole-number ticks from 0 to a top at or above the maximum", () => {
    expect(countScale(0)).toEqual({ top: 1, ticks: [0, 1] });
    expect(countScale(1)).toEqual({ top: 1, ticks: [0, 1] });
    expect(countScale(3)).toEqual({ top: 3, ticks: [0, 1, 2, 3] });
    expect(countScale(7)).toEqual({ top: 8, ticks: [0, 2, 4, 6, 8] });
    expect(countScale(40)).toEqual({ top: 40, ticks: [0, 10, 20, 30, 40] });
    expect(countScale(1234)).toEqual({ top: 1500, ticks: [0, 500, 1000, 1500] });
  });
  it("never has more than five ticks, and the top always covers the maximum", () => {
    for (const max of [2, 5, 9, 11, 19, 99, 101, 999, 12_345, 987_654]) {
      const { top, ticks } = countScale(max);
      expect(top, String(max)).toBeGreaterThanOrEqual(max);
      expect(ticks.length, String(max)).toBeLessThanOrEqual(5);
      expect(ticks.every(Number.isInteger), String(max)).toBe(true);
      expect(ticks.at(-1)).toBe(top);
    }
  });
});
