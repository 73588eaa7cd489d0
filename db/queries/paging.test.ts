import { describe, expect, it } from "vitest";
import { COUNT_WINDOW, containsPattern, countLimit, toPaged } from "./paging";

describe("paging", () => {
  it("reports an exact total below the count window, and a lower bound ('10,000+') past it", () => {
    const fetched = Array.from({ length: 51 }, (_, i) => i);
    expect(toPaged(fetched, 120, 0, 50)).toEqual({ rows: fetched.slice(0, 50), total: 120, totalIsExact: true, hasNext: true });
    expect(toPaged(fetched, countLimit(0), 0, 50)).toMatchObject({ total: COUNT_WINDOW, totalIsExact: false, hasNext: true });
    // Deep pages count past their own offset, so the last page of 100,000 rows is exact.
    const offset = 99_950;
    expect(toPaged(fetched.slice(0, 50), 100_000, offset, 50)).toMatchObject({ total: 100_000, totalIsExact: true, hasNext: false });
    expect(countLimit(offset)).toBe(offset + COUNT_WINDOW + 1);
  });

  it("takes LIKE wildcards literally", () => {
    expect(containsPattern("50%_off\\")).toBe("%50\\%\\_off\\\\%");
  });
});
