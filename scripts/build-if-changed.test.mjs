import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { isBuildCurrent, sourceFingerprint } from "./build-if-changed.mjs";

// npm start builds only when the sources changed since its last build (issue 14).
describe("npm start's build check", () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "keysmith-build-"));
  const write = (rel, text) => {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  };
  write("app/page.tsx", "export default function Page() { return null; }");
  write("lib/rule.ts", "export const x = 1;");
  write("lib/rule.test.ts", "test");
  write("package-lock.json", "{}");

  it("changes with a source's content, not with a test's or a file outside the build", () => {
    const first = sourceFingerprint(root);
    expect(sourceFingerprint(root)).toBe(first);
    write("lib/rule.test.ts", "another test");
    write("README.md", "words");
    expect(sourceFingerprint(root)).toBe(first);
    write("lib/rule.ts", "export const x = 2;");
    expect(sourceFingerprint(root)).not.toBe(first);
    write("lib/rule.ts", "export const x = 1;");
    expect(sourceFingerprint(root)).toBe(first);
    write("components/new.tsx", "export {};");
    expect(sourceFingerprint(root)).not.toBe(first);
  });

  it("calls a build current only with its stamp, and no longer once a source changes", () => {
    expect(isBuildCurrent(root)).toBe(false);
    write(".next/BUILD_ID", "abc");
    expect(isBuildCurrent(root)).toBe(false);
    write(".next/keysmith-sources", sourceFingerprint(root));
    expect(isBuildCurrent(root)).toBe(true);
    write("app/page.tsx", "export default function Page() { return 1; }");
    expect(isBuildCurrent(root)).toBe(false);
  });
});
