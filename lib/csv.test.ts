import { describe, expect, it } from "vitest";
import { csvLine, csvResponse } from "./csv";

describe("csvLine", () => {
  it("quotes every field, doubles quotes and neutralises formulas", () => {
    const csv = [
      ["name", "n", "when", "scopes"],
      ['He said "hi"', 3, new Date("2026-01-02T03:04:05Z"), ["a:read", "b:write"]],
      ["=HYPERLINK(\"http://evil\")", null, undefined, "-1+2"],
      ["line\nbreak", "@SUM(A1)", "+1", "plain"],
    ]
      .map(csvLine)
      .join("");
    expect(csv.split("\r\n")).toEqual([
      '"name","n","when","scopes"',
      '"He said ""hi""","3","2026-01-02T03:04:05.000Z","a:read b:write"',
      '"\'=HYPERLINK(""http://evil"")","","","\'-1+2"',
      '"line\nbreak","\'@SUM(A1)","\'+1","plain"',
      "",
    ]);
  });
});

async function* batches<T>(items: T[][], failAfter?: number) {
  let n = 0;
  for (const batch of items) {
    if (failAfter !== undefined && n++ >= failAfter) throw new Error("database went away");
    yield batch;
  }
}

describe("csvResponse", () => {
  it("streams the header and every batch, reading a batch only when the client asks", async () => {
    let read = 0;
    async function* counted() {
      for (const batch of [[1, 2], [3], [4, 5]]) {
        read++;
        yield batch;
      }
    }
    const response = await csvResponse({ filename: "x.csv", header: ["n"], batches: counted(), toRow: (n) => [n], onError: () => {} });
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("content-disposition")).toBe('attachment; filename="x.csv"');
    expect(read).toBe(1); // only the first batch, before answering
    expect(await response.text()).toBe('"n"\r\n"1"\r\n"2"\r\n"3"\r\n"4"\r\n"5"\r\n');
    expect(read).toBe(3);
  });

  it("answers an empty export with the header alone", async () => {
    const response = await csvResponse({ filename: "x.csv", header: ["a", "b"], batches: batches<number>([]), toRow: (n) => [n], onError: () => {} });
    expect(await response.text()).toBe('"a","b"\r\n');
  });

  it("fails before answering when the first batch fails, and aborts the download when a later one does", async () => {
    await expect(csvResponse({ filename: "x.csv", header: ["n"], batches: batches([[1]], 0), toRow: (n) => [n], onError: () => {} })).rejects.toThrow(
      "database went away",
    );
    const errors: unknown[] = [];
    const response = await csvResponse({ filename: "x.csv", header: ["n"], batches: batches([[1], [2]], 1), toRow: (n) => [n], onError: (e) => errors.push(e) });
    await expect(response.text()).rejects.toThrow();
    expect(errors).toHaveLength(1);
  });
});
