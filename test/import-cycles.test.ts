import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

// No module of the app may import itself back through others: a cycle makes the order modules
// load in matter (a value read before its module has run is undefined) and tangles features that
// should stand apart. Type-only imports count too (they were how components/api-keys once looped
// through keys-table.tsx); `import()` of a lazily loaded dialog counts as well.
const ROOT = path.resolve(import.meta.dirname, "..");
const FOLDERS = ["app", "components", "lib", "db"];
const EXTENSIONS = [".ts", ".tsx", ".mts", ".mjs", ".js"];

function walk(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

function resolve(from: string, spec: string): string | null {
  const base = spec.startsWith("@/") ? path.join(ROOT, spec.slice(2)) : spec.startsWith(".") ? path.resolve(path.dirname(from), spec) : null;
  if (!base) return null;
  const candidates = [base, ...EXTENSIONS.map((e) => base + e), ...EXTENSIONS.map((e) => path.join(base, `index${e}`))];
  return candidates.find((c) => fs.existsSync(c) && fs.statSync(c).isFile()) ?? null;
}

function importGraph(): Map<string, string[]> {
  const files = FOLDERS.flatMap((f) => walk(path.join(ROOT, f))).filter((f) => EXTENSIONS.some((e) => f.endsWith(e)) && !f.endsWith(".d.mts"));
  const known = new Set(files);
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const source = fs.readFileSync(file, "utf8");
    const specs = [
      ...[...source.matchAll(/^\s*(?:import|export)\b[^;]*?\bfrom\s*["']([^"']+)["']/gms)].map((m) => m[1] ?? ""),
      ...[...source.matchAll(/import\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1] ?? ""),
    ];
    graph.set(file, [...new Set(specs.map((s) => resolve(file, s)).filter((r): r is string => !!r && known.has(r)))]);
  }
  return graph;
}

function cycles(graph: Map<string, string[]>): string[] {
  const found: string[] = [];
  const state = new Map<string, "open" | "done">();
  const stack: string[] = [];
  const visit = (node: string) => {
    state.set(node, "open");
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === "open") found.push([...stack.slice(stack.indexOf(next)), next].map((f) => path.relative(ROOT, f)).join(" -> "));
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(node, "done");
  };
  for (const node of graph.keys()) if (!state.has(node)) visit(node);
  return found;
}

describe("imports", () => {
  it("form no cycles in app/, components/, lib/ or db/", () => {
    const graph = importGraph();
    expect(graph.size).toBeGreaterThan(100);
    expect(cycles(graph)).toEqual([]);
  });

  it("see a cycle when there is one", () => {
    const a = path.join(ROOT, "a.ts");
    const b = path.join(ROOT, "b.ts");
    expect(cycles(new Map([[a, [b]], [b, [a]]]))).toEqual(["a.ts -> b.ts -> a.ts"]);
  });
});
