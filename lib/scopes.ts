import { SCOPE_CATALOGUE } from "./scope-catalogue";

export type ResourceId = (typeof SCOPE_CATALOGUE)[number]["id"];
export type Level = "none" | "read" | "write";
export type Access = "full" | "read_only" | "restricted";
export type Scope = `${ResourceId}:${"read" | "write"}`;
export type Permissions = Partial<Record<ResourceId, Level>>;

export const RESOURCES = SCOPE_CATALOGUE;
export const RESOURCE_IDS = SCOPE_CATALOGUE.map((r) => r.id) as ResourceId[];

export const ALL_SCOPES: Scope[] = SCOPE_CATALOGUE.flatMap((r) =>
  r.levels.map((level) => `${r.id}:${level}` as Scope),
);
const READ_SCOPES: Scope[] = ALL_SCOPES.filter((s) => s.endsWith(":read"));

export function isScope(value: string): value is Scope {
  return (ALL_SCOPES as string[]).includes(value);
}

export function levelsOf(resource: ResourceId): readonly ("read" | "write")[] {
  return SCOPE_CATALOGUE.find((r) => r.id === resource)?.levels ?? [];
}

/** Expands an access choice into the sorted list of scopes stored on the key. */
export function scopesFor(access: Access, permissions: Permissions = {}): Scope[] {
  if (access === "full") return [...ALL_SCOPES].sort();
  if (access === "read_only") return [...READ_SCOPES].sort();
  const scopes = new Set<Scope>();
  for (const id of RESOURCE_IDS) {
    const level = permissions[id] ?? "none";
    if (level === "none") continue;
    scopes.add(`${id}:read` as Scope);
    if (level === "write") scopes.add(`${id}:write` as Scope);
  }
  return [...scopes].filter(isScope).sort();
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

export function describeAccess(access: Access, scopes: readonly string[]): string {
  if (access === "full") return "Full access";
  if (access === "read_only") return "Read only";
  const parts = SCOPE_CATALOGUE.flatMap((r) => {
    const level = permissionsOf(scopes)[r.id];
    return level === "none" ? [] : [`${r.label}: ${level === "write" ? "Write" : "Read"}`];
  });
  return parts.length ? `Restricted (${parts.join(", ")})` : "Restricted (no access)";
}
