import { execFileSync } from "node:child_process";
import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { ACTIONS, AVOID, PLACES } from "@/lib/glossary";

// One name per thing (lib/glossary.ts): the interface's text says each thing one way.
const files = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard", "app", "components"], { encoding: "utf8" })
  .split("\0")
  .filter((f) => /\.tsx?$/.test(f) && !/\.test\.tsx?$/.test(f) && fs.existsSync(f));

/** The file without its comments: what a user can read, plus code (whose identifiers the patterns do not match). */
function withoutComments(source: string): string {
  return source
    .replace(/\{?\/\*[\s\S]*?\*\/\}?/g, "")
    .split("\n")
    .filter((line) => !/^\s*\/\//.test(line))
    .join("\n");
}

describe("glossary", () => {
  it("finds the interface's files", () => {
    expect(files.length).toBeGreaterThan(40);
  });

  it("never says a thing the way the glossary avoids", () => {
    const offenders: string[] = [];
    for (const f of files) {
      const lines = withoutComments(fs.readFileSync(f, "utf8")).split("\n");
      lines.forEach((line) => {
        for (const { pattern, use } of AVOID) if (pattern.test(line)) offenders.push(`${f}: “${line.trim().slice(0, 80)}” (say ${use})`);
      });
    }
    expect(offenders).toEqual([]);
  });

  it("catches what it is meant to catch", () => {
    const caught = (text: string) => AVOID.some(({ pattern }) => pattern.test(text));
    for (const bad of ["Create API key", "New API token", "Regenerate key", "Revoked: by an administrator", "All keys", "Your secret key"]) expect(caught(bad), bad).toBe(true);
    for (const good of [ACTIONS.createKey, PLACES.apiKeys, PLACES.allApiKeys, "Revoked by an administrator: leaked", "/settings/api-keys"]) expect(caught(good), good).toBe(false);
  });

  it("names each place and action in one file only: the glossary", () => {
    // A label written out again elsewhere would drift from the glossary the tests find it by.
    const literal = (label: string) => new RegExp(`(["'>\`]\\s*)${label.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(\\s*["'<\`])`);
    const offenders: string[] = [];
    for (const label of [ACTIONS.createKey, PLACES.apiAccess, PLACES.allApiKeys, PLACES.apiKeys]) {
      for (const f of files) if (literal(label).test(withoutComments(fs.readFileSync(f, "utf8")))) offenders.push(`${f}: ${label}`);
    }
    expect(offenders).toEqual([]);
  });
});
