import { describe, expect, it } from "vitest";
import { SCOPE_CATALOGUE } from "./scope-catalogue";
import { ALL_SCOPES, READ_SCOPES, describeAccess, hasScope, isScope, missingScopes, normalizeScopes, permissionsOf, scopesFor } from "./scopes";

describe("scope catalogue", () => {
  it("has unique resource ids and read wherever there is write", () => {
    const ids = SCOPE_CATALOGUE.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const r of SCOPE_CATALOGUE) expect(r.levels).toContain("read");
  });

  it("expands full, read-only and restricted access", () => {
    expect(scopesFor("full")).toEqual([...ALL_SCOPES].sort());
    expect(scopesFor("full")).toContain("keys:verify");
    expect(scopesFor("read_only")).not.toContain("keys:verify");
    expect(scopesFor("read_only").every((s) => s.endsWith(":read"))).toBe(true);
    expect(scopesFor("read_only")).toContain("keys:read");
    expect(scopesFor("restricted", { keys: "write", usage: "read", profile: "none" })).toEqual([
      "keys:read",
      "keys:write",
      "usage:read",
    ]);
    expect(scopesFor("restricted", {})).toEqual([]);
  });

  it("adds special scopes only when restricted and only from the catalogue", () => {
    expect(scopesFor("restricted", { usage: "read" }, ["keys:verify", "keys:nuke"])).toEqual(["keys:verify", "usage:read"]);
    expect(scopesFor("restricted", {}, ["keys:verify"])).toEqual(["keys:verify"]);
    expect(describeAccess("restricted", ["keys:verify", "usage:read"])).toBe("Restricted (Usage: Read, Verify keys)");
  });

  it("normalises API scope lists and names their access", () => {
    expect(normalizeScopes([...ALL_SCOPES].reverse())).toEqual({ access: "full", scopes: ALL_SCOPES });
    expect(normalizeScopes(READ_SCOPES)).toEqual({ access: "read_only", scopes: READ_SCOPES });
    expect(normalizeScopes(["keys:write"])).toEqual({ access: "restricted", scopes: ["keys:read", "keys:write"] });
    expect(missingScopes(["keys:read"], ["keys:read", "keys:write"])).toEqual(["keys:write"]);
  });

  it("never grants a level the catalogue does not offer", () => {
    // usage has no write level: asking for it yields read only.
    expect(scopesFor("restricted", { usage: "write" })).toEqual(["usage:read"]);
  });

  it("round-trips restricted permissions and describes access", () => {
    const perms = { keys: "read", profile: "write", usage: "none" } as const;
    expect(permissionsOf(scopesFor("restricted", perms))).toEqual(perms);
    expect(describeAccess("restricted", scopesFor("restricted", perms))).toBe(
      "Restricted (API keys: Read, Profile: Write)",
    );
    expect(describeAccess("full", ALL_SCOPES)).toBe("Full access");
  });

  it("checks scopes with write implying read", () => {
    expect(hasScope(["keys:write"], "keys:read")).toBe(true);
    expect(hasScope(["keys:read"], "keys:write")).toBe(false);
    expect(hasScope([], "keys:read")).toBe(false);
    expect(isScope("keys:read")).toBe(true);
    expect(isScope("keys:admin")).toBe(false);
  });
});
