import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { AUTHZ_MATRIX, COLUMNS, TEAM_COLUMNS, entryName, isTeamRow, type Column, type Row } from "../e2e/security/authz-matrix";
import { apiEntryPoints } from "../lib/api/app";

// Every entry point in the source must have a row in the authorization matrix, and every row must
// name an entry point that exists: a new page, route method or server action without a row fails
// here, before the e2e walker (e2e/security/authz-walker.ts, run by authz-matrix.spec.ts) would
// silently skip it.

const HTTP_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;
const SOURCE_DIRS = ["app", "components", "lib", "db"];
const API_CATCH_ALL = "app/api/v1/[[...path]]/route.ts";

function walk(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return (fs.readdirSync(dir, { recursive: true }) as string[]).map((f) => path.join(dir, f).split(path.sep).join("/")).filter((f) => fs.statSync(f).isFile());
}

/** app/(dashboard)/settings/api-keys/[id]/page.tsx -> /settings/api-keys/[id] (route groups vanish). */
function urlPathOf(file: string): string {
  const segments = path.dirname(file).split("/").slice(1).filter((s) => !/^\(.*\)$/.test(s));
  return `/${segments.join("/")}`;
}

/** The HTTP methods a route module exports, in any of the forms Next accepts. */
function exportedMethods(source: string): string[] {
  const found = new Set<string>();
  for (const m of source.matchAll(/export\s+(?:async\s+)?function\s+([A-Z]+)\s*\(/g)) found.add(m[1]!);
  for (const m of source.matchAll(/export\s+(?:const|let|var)\s+([A-Z]+)\s*[=:]/g)) found.add(m[1]!);
  for (const m of source.matchAll(/export\s+(?:const|let|var)\s*\{([^}]*)\}\s*=/g)) {
    for (const name of m[1]!.split(",")) found.add(name.split(":").pop()!.trim());
  }
  for (const m of source.matchAll(/export\s*\{([^}]*)\}/g)) {
    for (const name of m[1]!.split(",")) found.add(name.split(/\s+as\s+/).pop()!.trim());
  }
  return [...found].filter((name) => (HTTP_METHODS as readonly string[]).includes(name) && !refusedMethods(source).includes(name)).sort();
}

/**
 * Methods bound to lib/api/http.ts's methodNotAllowed(): a JSON 405 that runs no code of ours, so
 * they are not entry points (e2e/security/hostile-urls.spec.ts checks they answer 405).
 */
function refusedMethods(source: string): string[] {
  const refusers = new Set([...source.matchAll(/(?:const|let|var)\s+(\w+)\s*=\s*methodNotAllowed\(/g)].map((m) => m[1]!));
  return [...source.matchAll(/export\s+const\s+([A-Z]+)\s*=\s*(\w+)\s*(\(|;|\n)/g)]
    .filter((m) => (m[2] === "methodNotAllowed" && m[3] === "(") || (refusers.has(m[2]!) && m[3] !== "("))
    .map((m) => m[1]!);
}

/** A module-level "use server" directive: the first statement, after comments. */
function isServerModule(source: string): boolean {
  const code = source.replace(/^(?:\s+|\/\/[^\n]*\n|\/\*[\s\S]*?\*\/)*/, "");
  return /^["']use server["']/.test(code);
}

/** Every export of a "use server" module is a server action (Next allows only async functions there). */
function exportedFunctions(source: string): string[] {
  const names = new Set<string>();
  for (const m of source.matchAll(/export\s+(?:async\s+)?function\s*\*?\s*([A-Za-z_$][\w$]*)/g)) names.add(m[1]!);
  for (const m of source.matchAll(/export\s+(?:const|let|var)\s+([A-Za-z_$][\w$]*)/g)) names.add(m[1]!);
  for (const m of source.matchAll(/export\s*\{([^}]*)\}/g)) {
    for (const name of m[1]!.split(",")) if (name.trim()) names.add(name.split(/\s+as\s+/).pop()!.trim());
  }
  if (/export\s+default/.test(source)) names.add("default");
  return [...names].sort();
}

/** Entry points found in the source, by the name entryName() gives their row, with their file. */
function inventory(): Map<string, string> {
  const entries = new Map<string, string>();
  for (const file of walk("app")) {
    if (/\/page\.(tsx|ts|jsx|js)$/.test(file)) entries.set(`page ${urlPathOf(file)}`, file);
    // The /api/v1 catch-all hands every request to the router (lib/api/app.ts): its entry points are the router's.
    if (file === API_CATCH_ALL) continue;
    if (/\/route\.(ts|js)$/.test(file)) {
      for (const method of exportedMethods(fs.readFileSync(file, "utf8"))) entries.set(`${method} ${urlPathOf(file)}`, file);
    }
  }
  for (const { method, path: url, file } of apiEntryPoints()) entries.set(`${method} ${url}`, file);
  // Any other path under /api/v1 is the router's not-found answer, for every method.
  if (fs.readFileSync("lib/api/app.ts", "utf8").includes("app.notFound(")) {
    for (const method of ["GET", "POST", "PUT", "PATCH", "DELETE"]) entries.set(`${method} /api/v1/[...path]`, "lib/api/app.ts");
  }
  for (const file of SOURCE_DIRS.flatMap(walk).filter((f) => /\.(ts|tsx|js|jsx)$/.test(f) && !/\.test\.ts$/.test(f))) {
    const source = fs.readFileSync(file, "utf8");
    if (!/["']use server["']/.test(source)) continue;
    if (isServerModule(source)) {
      for (const name of exportedFunctions(source)) entries.set(`action ${file}#${name}`, file);
    } else {
      // An inline action inside a component or page has no stable name to give a row: move it to an
      // actions file (where it is a public endpoint everyone can see) and add its row.
      entries.set(`inline server action in ${file}`, file);
    }
  }
  return entries;
}

describe("authorization matrix inventory", () => {
  const found = inventory();
  const rows = new Map<string, Row>(AUTHZ_MATRIX.map((row) => [entryName(row), row]));

  it("finds the entry points it should (the scanner itself works)", () => {
    expect(found.get("page /settings/api-keys/[id]")).toBe("app/(dashboard)/settings/api-keys/[id]/page.tsx");
    expect(found.get("DELETE /api/v1/keys/[id]")).toBe("lib/api/endpoints.ts");
    expect(found.get("GET /api/v1/openapi.json")).toBe("lib/api/app.ts");
    expect(found.get("POST /api/v1/keys/verify")).toBe("lib/api/endpoints.ts");
    expect(found.get("POST /api/auth/[...nextauth]")).toBe("app/api/auth/[...nextauth]/route.ts");
    expect(found.get("action app/(dashboard)/admin/actions.ts#setUserRoleAction")).toBeDefined();
    expect(exportedMethods('const no = methodNotAllowed("GET");\nexport const GET = h;\nexport const PUT = no;\nexport const PATCH = methodNotAllowed("GET");')).toEqual(["GET"]);
    expect(exportedMethods("export async function GET() {}\nexport const POST = h;\nexport const { PUT, x: PATCH } = y;\nexport { DELETE }")).toEqual([
      "DELETE",
      "GET",
      "PATCH",
      "POST",
      "PUT",
    ]);
    expect(isServerModule('// why\n/* more */\n"use server";\nexport async function a() {}')).toBe(true);
    expect(isServerModule('import x from "y";\nasync function a() { "use server"; }')).toBe(false);
    expect(exportedFunctions("export async function a() {}\nexport const b = async () => {};\nexport { c as d };")).toEqual(["a", "b", "d"]);
  });

  it("has a row for every page, route handler method and server action", () => {
    const missing = [...found.keys()].filter((name) => !rows.has(name)).sort();
    expect(missing, "entry points with no row in e2e/security/authz-matrix.ts").toEqual([]);
  });

  it("has no row for an entry point that no longer exists, and names each row's file rightly", () => {
    const stale = [...rows.keys()].filter((name) => !found.has(name)).sort();
    expect(stale, "rows in e2e/security/authz-matrix.ts with no entry point in the source").toEqual([]);
    for (const [name, row] of rows) expect(row.file, name).toBe(found.get(name));
    expect(rows.size, "duplicate rows").toBe(AUTHZ_MATRIX.length);
  });

  it("fills every column that applies to each kind of entry point", () => {
    const problems: string[] = [];
    for (const row of AUTHZ_MATRIX) {
      const name = entryName(row);
      const scope = row.kind === "route" ? row.scope : undefined;
      const apiKeyRow = scope !== undefined;
      // Public: anyone may call it (and "refused" is what the input decides, for every caller alike).
      const publicRow = ["ok", "own", "refused"].includes(row.cells.anonymous);
      for (const column of COLUMNS) {
        const value = row.cells[column];
        const required =
          ["anonymous", "other", "owner", "admin"].includes(column) ||
          ((TEAM_COLUMNS as readonly Column[]).includes(column) && isTeamRow(row)) ||
          (column === "keyWithScope" && (apiKeyRow || row.kind === "page" || !publicRow)) ||
          (column === "keyWithoutScope" && apiKeyRow && scope !== null) ||
          ((column === "otherKey" || column === "adminKey" || column === "shortLivedKey") && apiKeyRow && row.cells.anonymous === "unauthorized");
        const never = (column !== "keyWithScope" && !apiKeyRow && !required) || (column === "keyWithoutScope" && scope === null);
        if (required && value === "n/a") problems.push(`${name}: ${column} must say what happens`);
        if (never && value !== "n/a") problems.push(`${name}: ${column} does not apply (n/a)`);
      }
      // A key is never a session, and a session never a key.
      if (!apiKeyRow && !publicRow && ["ok", "own"].includes(row.cells.keyWithScope)) problems.push(`${name}: a key must not authenticate it`);
      if (apiKeyRow && row.cells.anonymous === "unauthorized") {
        for (const c of ["other", "owner", "admin"] as const) if (row.cells[c] !== "unauthorized") problems.push(`${name}: a session cookie must not authenticate it`);
      }
      if (row.adminOnly && (["ok", "own"].includes(row.cells.owner) || ["ok", "own"].includes(row.cells.other))) problems.push(`${name}: members may not use it`);
      if (row.kind !== "page" && row.mutates && !["unauthorized", "not_found", "refused"].includes(row.cells.anonymous)) {
        problems.push(`${name}: changes the owner's things, so a visitor must be refused`);
      }
    }
    expect(problems).toEqual([]);
  });
});
