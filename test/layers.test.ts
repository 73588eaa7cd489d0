import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

// Imports run one way (ARCHITECTURE.md): app -> components -> lib services (commands, API
// plumbing, auth, verification, usage, limits) -> db -> pure rules in lib. A module may import
// its own layer or any layer to its right, never one to its left. Client components reach the
// server only through server actions (app/**/actions.ts) and may name a data-layer type; the key
// adapters (server actions and /api/v1/keys routes) reach keys only through lib/commands.
const ROOT = path.resolve(import.meta.dirname, "..");

/** lib modules that do I/O or hold server state; every other lib module is a pure rule. */
const SERVICES = [/^lib\/commands\//, /^lib\/jobs\/(runner|app-jobs)\.ts$/, /^lib\/api\//, /^lib\/auth\//, /^lib\/keys\/verify\.ts$/, /^lib\/(usage|rate-limit|action|session|metrics)\.ts$/];

type Layer = "app" | "components" | "services" | "db" | "rules";
const ORDER: Layer[] = ["app", "components", "services", "db", "rules"];

function layerOf(file: string): Layer | null {
  if (file.startsWith("app/")) return "app";
  if (file.startsWith("components/")) return "components";
  if (file.startsWith("db/")) return "db";
  if (file.startsWith("lib/")) return SERVICES.some((re) => re.test(file)) ? "services" : "rules";
  return null;
}

function walk(dir: string): string[] {
  return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = `${dir}/${e.name}`;
    return e.isDirectory() ? walk(rel) : [rel];
  });
}

function resolve(from: string, spec: string): string | null {
  const base = spec.startsWith("@/") ? spec.slice(2) : spec.startsWith(".") ? path.posix.normalize(path.posix.join(path.posix.dirname(from), spec)) : null;
  if (!base) return null;
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, `${base}.mjs`, `${base}/index.ts`]) {
    if (fs.existsSync(path.join(ROOT, candidate)) && fs.statSync(path.join(ROOT, candidate)).isFile()) return candidate;
  }
  return null;
}

type Edge = { from: string; to: string; typeOnly: boolean };
const edges: Edge[] = ["app", "components", "lib", "db"]
  .flatMap(walk)
  .filter((f) => /\.(ts|tsx)$/.test(f) && !/\.test\.ts$/.test(f))
  .flatMap((from) => {
    const source = fs.readFileSync(path.join(ROOT, from), "utf8");
    return [...source.matchAll(/^\s*(import|export)(\s+type)?\b[^;]*?\bfrom\s*["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/gms)].flatMap((m) => {
      const to = resolve(from, m[3] ?? m[4] ?? "");
      return to ? [{ from, to, typeOnly: !!m[2] }] : [];
    });
  });

describe("layers", () => {
  it("found the source", () => {
    expect(edges.length).toBeGreaterThan(200);
  });

  it("no module imports a layer to its left", () => {
    const wrong = edges.filter((e) => {
      const [a, b] = [layerOf(e.from), layerOf(e.to)];
      if (!a || !b || ORDER.indexOf(b) >= ORDER.indexOf(a)) return false;
      // A client component calls the server through its server actions.
      if (a === "components" && b === "app" && /\/actions\.ts$/.test(e.to)) return false;
      return true;
    });
    expect(wrong.map((e) => `${e.from} -> ${e.to}`)).toEqual([]);
  });

  it("components take data-layer and service types only, never their code", () => {
    const wrong = edges.filter((e) => layerOf(e.from) === "components" && ["services", "db"].includes(layerOf(e.to) ?? "") && !e.typeOnly);
    expect(wrong.map((e) => `${e.from} -> ${e.to}`)).toEqual([]);
  });

  it("the key adapters go through lib/commands, never straight to the key queries", () => {
    const adapters = edges.filter((e) => e.from === "app/(dashboard)/settings/api-keys/actions.ts" || e.from === "lib/api/endpoints.ts");
    expect(adapters.length).toBeGreaterThan(3);
    const keyQueries = /^db\/queries\/(api-keys|rotations|key-revocation|key-lookup)\.ts$/;
    expect(adapters.filter((e) => keyQueries.test(e.to) && !e.typeOnly).map((e) => `${e.from} -> ${e.to}`)).toEqual([]);
  });
});
