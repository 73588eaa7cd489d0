import { describe, expect, it } from "vitest";
import { toCsv } from "./csv";

describe("toCsv", () => {
  it("quotes every field, doubles quotes and neutralises formulas", () => {
    const csv = toCsv(["name", "n", "when", "scopes"], [
      ['He said "hi"', 3, new Date("2026-01-02T03:04:05Z"), ["a:read", "b:write"]],
      ["=HYPERLINK(\"http://evil\")", null, undefined, "-1+2"],
      ["line\nbreak", "@SUM(A1)", "+1", "plain"],
    ]);
    expect(csv.split("\r\n")).toEqual([
      '"name","n","when","scopes"',
      '"He said ""hi""","3","2026-01-02T03:04:05.000Z","a:read b:write"',
      '"\'=HYPERLINK(""http://evil"")","","","\'-1+2"',
      '"line\nbreak","\'@SUM(A1)","\'+1","plain"',
      "",
    ]);
  });
});
