import { SCOPE_CATALOGUE, SPECIAL_SCOPES } from "./scope-catalogue";

export type ResourceId = (typeof SCOPE_CATALOGUE)[number]["id"];
export type Level = "none" | "read" | "write";
export type Access = "full" | "read_only" | "restricted";
export type SpecialScopeId = (typeof SPECIAL_SCOPES)[number]["scope"];
export type Scope = `${ResourceId}:${"read" | "write"}` | SpecialScopeId;
export type Permissions = Partial<Record<ResourceId, Level>>;

export const RESOURCES = SCOPE_CATALOGUE;
export const SPECIALS = SPECIAL_SCOPES;
export const RESOURCE_IDS = SCOPE_CATALOGUE.map((r) => r.id) as ResourceId[];
export const SPECIAL_SCOPE_IDS = SPECIAL_SCOPES.map((s) => s.scope) as SpecialScopeId[];

const GRID_SCOPES = SCOPE_CATALOGUE.flatMap((r) => r.levels.map((level) => `${r.id}:${level}` as Scope));
export const ALL_SCOPES: Scope[] = [...GRID_SCOPES, ...SPECIAL_SCOPE_IDS].sort();
export const READ_SCOPES: Scope[] = GRID_SCOPES.filter((s) => s.endsWith(":read")).sort();

export function isScope(value: string): value is Scope {
  return (ALL_SCOPES as string[]).includes(value);
}

/** Expands an access choice into the sorted list of scopes stored on the key. */
export function scopesFor(access: Access, permissions: Permissions = {}, specials: readonly string[] = []): Scope[] {
  if (access === "full") return [...ALL_SCOPES];
  if (access === "read_only") return [...READ_SCOPES];
  const scopes = new Set<Scope>();
  for (const resource of SCOPE_CATALOGUE) {
    const level = permissions[resource.id] ?? "none";
    if (level === "none") continue;
    scopes.add(`${resource.id}:read` as Scope);
    if (level === "write" && (resource.levels as readonly string[]).includes("write")) {
      scopes.add(`${resource.id}:write` as Scope);
    }
  }
  for (const s of specials) if ((SPECIAL_SCOPE_IDS as string[]).includes(s)) scopes.add(s as Scope);
  return [...scopes].sort();
}

/** Normalises a list of scopes (write implies read) and names the access it amounts to. */
export function normalizeScopes(scopes: readonly Scope[]): { access: Access; scopes: Scope[] } {
  const set = new Set<Scope>(scopes);
  for (const s of scopes) if (s.endsWith(":write")) set.add(s.replace(/:write$/, ":read") as Scope);
  const sorted = [...set].filter(isScope).sort();
  const same = (other: Scope[]) => other.length === sorted.length && other.every((s, i) => s === sorted[i]);
  return { access: same(ALL_SCOPES) ? "full" : same(READ_SCOPES) ? "read_only" : "restricted", scopes: sorted };
}

/** The per-resource level a list of scopes grants (inverse of scopesFor for restricted keys). */
export function permissionsOf(scopes: readonly string[]): Record<ResourceId, Level> {
  const out = {} as Record<ResourceId, Level>;
  for (const id of RESOURCE_IDS) {
    out[id] = scopes.includes(`${id}:write`) ? "write" : scopes.includes(`${id}:read`) ? "read" : "none";
  }
  return out;
}

export function hasScope(granted: readonly string[], needed: Scope): boolean {
  if (granted.includes(needed)) return true;
  // write implies read on the same resource.
  return needed.endsWith(":read") && granted.includes(needed.replace(/:read$/, ":write"));
}

export function missingScopes(granted: readonly string[], wanted: readonly Scope[]): Scope[] {
  return wanted.filter((s) => !hasScope(granted, s));
}

export function describeAccess(access: Access, scopes: readonly string[]): string {
  if (access === "full") return "Full access";
  if (access === "read_only") return "Read only";
  const perms = permissionsOf(scopes);
  const parts = [
    ...SCOPE_CATALOGUE.flatMap((r) =>
      perms[r.id] === "none" ? [] : [`${r.label}: ${perms[r.id] === "write" ? "Write" : "Read"}`],
    ),
    ...SPECIAL_SCOPES.filter((s) => scopes.includes(s.scope)).map((s) => s.label),
  ];
  return parts.length ? `Restricted (${parts.join(", ")})` : "Restricted (no access)";
}
