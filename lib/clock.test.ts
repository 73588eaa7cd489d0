import { afterEach, describe, expect, it } from "vitest";
import { appNow, clockOffsetMs } from "./clock";
import { DAY_MS } from "./time";

const withOffset = (value: string) => new Headers({ "X-Test-Clock-Offset": value });

afterEach(() => {
  delete process.env.KEYSMITH_TEST_CLOCK;
});

describe("test clock", () => {
  it("is always 0 unless KEYSMITH_TEST_CLOCK=1", () => {
    expect(clockOffsetMs(withOffset("3600000"))).toBe(0);
    process.env.KEYSMITH_TEST_CLOCK = "true";
    expect(clockOffsetMs(withOffset("3600000"))).toBe(0);
  });

  it("shifts forward by whole milliseconds, at most 400 days", () => {
    process.env.KEYSMITH_TEST_CLOCK = "1";
    expect(clockOffsetMs(withOffset("3600000.7"))).toBe(3_600_000);
    expect(clockOffsetMs(withOffset(String(1000 * DAY_MS)))).toBe(400 * DAY_MS);
    expect(clockOffsetMs(withOffset("soon"))).toBe(0);
    expect(clockOffsetMs(new Headers())).toBe(0);
    expect(clockOffsetMs()).toBe(0);
  });

  it("never goes back in time, so a revoked or expired key cannot verify again", () => {
    process.env.KEYSMITH_TEST_CLOCK = "1";
    expect(clockOffsetMs(withOffset("-1"))).toBe(0);
    expect(clockOffsetMs(withOffset(String(-30 * DAY_MS)))).toBe(0);
    expect(clockOffsetMs(withOffset("-Infinity"))).toBe(0);
  });

  it("appNow adds the offset to the real time", () => {
    const before = Date.now();
    const shifted = appNow(DAY_MS).getTime();
    expect(shifted).toBeGreaterThanOrEqual(before + DAY_MS);
    expect(shifted).toBeLessThan(Date.now() + DAY_MS + 1000);
  });
});
