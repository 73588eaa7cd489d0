import { execFileSync } from "node:child_process";
import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { isWellFormedKey } from "@/lib/keys/format";

// Rules checked over the source itself, so that a change breaking one fails the suite even where
// no behavioural test would notice (checklist items K-01, K-05, V-02, V-03, N-04, D-02).
const tracked = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { encoding: "utf8" })
  .split("\0")
  .filter((f) => f && fs.existsSync(f));
const appSource = tracked.filter((f) => /^(app|components|lib|db)\/.*\.(ts|tsx)$/.test(f) && !/\.test\.ts$/.test(f)).concat("proxy.ts");
const read = (f: string) => fs.readFileSync(f, "utf8");

describe("source rules", () => {
  it("never uses Math.random in application code (keys and ids come from the CSPRNG)", () => {
    expect(appSource.filter((f) => /Math\.random/.test(read(f)))).toEqual([]);
  });

  it("never compares digests in code: the key lookup goes through the unique index", () => {
    for (const f of ["lib/keys/verify.ts", "lib/keys/hash.ts"]) expect(read(f), f).not.toMatch(/[^=!<>]==?=(?!>)|!==?/);
    // The lookup (and the embedded database's cache, a Map keyed by digest like the index) compares
    // generations and dates, never a digest.
    expect(read("db/queries/key-lookup.ts")).not.toMatch(/(hash|digest)\w*\s*[!=]==?|[!=]==?\s*[\w.]*(hash|digest)/i);
  });

  it("builds SQL only with parameters (no sql.raw in application code)", () => {
    // The seeding tool (never served) uses constant SQL fragments; nothing else may.
    const tooling = new Set(["db/seed-keys.ts"]);
    expect(appSource.filter((f) => !tooling.has(f) && /sql\.raw\(/.test(read(f)))).toEqual([]);
  });

  it("never injects HTML (stored text always renders as text)", () => {
    expect(appSource.filter((f) => /dangerouslySetInnerHTML|\.innerHTML\s*=/.test(read(f)))).toEqual([]);
  });

  it("exposes no environment variable to the browser", () => {
    expect(appSource.filter((f) => /NEXT_PUBLIC_/.test(read(f)))).toEqual([]);
  });

  it("has one home for lengths of time (lib/time.ts), one for showing dates (lib/format.ts), and for time zones (lib/time-zone.ts, lib/calendar.ts)", () => {
    const local = /86_?400_?000|DAY_MS\s*=|24 \* 60 \* 60 \* 1000/;
    expect(appSource.filter((f) => f !== "lib/time.ts" && local.test(read(f)))).toEqual([]);
    const dateFormatting = /toLocale(Date|Time)String|Intl\.(DateTimeFormat|RelativeTimeFormat)|toISOString\(\)\.slice\(11/;
    expect(appSource.filter((f) => !["lib/format.ts", "lib/time-zone.ts", "lib/calendar.ts"].includes(f) && dateFormatting.test(read(f)))).toEqual([]);
  });

  it("commits no real-looking API key (a key-shaped string with a valid checksum)", () => {
    const offenders: string[] = [];
    for (const f of tracked) {
      if (/\.(png|ico|woff2?|lock)$|package-lock\.json$/.test(f)) continue;
      for (const match of read(f).match(/ksk_[0-9A-Za-z]{36}(?![0-9A-Za-z])/g) ?? []) if (isWellFormedKey(match)) offenders.push(`${f}: ${match.slice(0, 10)}…`);
    }
    expect(offenders).toEqual([]);
  });
});
