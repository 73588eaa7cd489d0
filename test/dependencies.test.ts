import fs from "node:fs";
import { describe, expect, it } from "vitest";

// Floors below which a known advisory applies (Next.js and React Server Components 2025-2026,
// Auth.js). Raising a pin is fine; falling under a floor fails here before it ships. The pinned
// versions in package.json are what `npm ci` installs.
const FLOORS: Record<string, string> = {
  next: "16.4.5",
  react: "19.2.1",
  "react-dom": "19.2.1",
  "next-auth": "5.0.0-beta.32",
  "drizzle-orm": "0.45.0",
};

function parse(version: string): [number[], string] {
  const [core, pre = ""] = version.split("-", 2) as [string, string?];
  return [core.split(".").map(Number), pre];
}

/** Semver order for x.y.z[-pre.n]; enough for the versions pinned here. */
export function compare(a: string, b: string): number {
  const [ac, ap] = parse(a);
  const [bc, bp] = parse(b);
  for (let i = 0; i < 3; i++) if (ac[i] !== bc[i]) return (ac[i] ?? 0) - (bc[i] ?? 0);
  if (ap === bp) return 0;
  if (!ap) return 1;
  if (!bp) return -1;
  const an = Number(ap.split(".").pop());
  const bn = Number(bp.split(".").pop());
  return an - bn;
}

describe("dependency floors", () => {
  it("compares versions", () => {
    expect(compare("16.4.5", "16.4.5")).toBe(0);
    expect(compare("16.10.0", "16.4.5")).toBeGreaterThan(0);
    expect(compare("5.0.0-beta.31", "5.0.0-beta.32")).toBeLessThan(0);
    expect(compare("5.0.0", "5.0.0-beta.32")).toBeGreaterThan(0);
  });

  for (const [name, floor] of Object.entries(FLOORS)) {
    it(`${name} is at least ${floor}, pinned exactly`, () => {
      const installed = JSON.parse(fs.readFileSync(`node_modules/${name}/package.json`, "utf8")).version as string;
      const pinned = JSON.parse(fs.readFileSync("package.json", "utf8")).dependencies[name] as string;
      expect(pinned).toMatch(/^\d/); // an exact version, no range
      expect(compare(installed, floor)).toBeGreaterThanOrEqual(0);
    });
  }
});
