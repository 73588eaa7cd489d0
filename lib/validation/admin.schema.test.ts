import { describe, expect, it } from "vitest";
import { adminKeyFilters, auditFilters, revokeKeysInput, revokeMatchingFilters, revokeMatchingInput, roleInput } from "./admin.schema";

describe("admin URL filters", () => {
  it("fall back to defaults on bad values, but refuse unknown parameters", () => {
    expect(adminKeyFilters.parse({ status: "bogus", sort: "nope", dir: "up", page: "-3" })).toEqual({ sort: "created", dir: "desc", page: 1 });
    expect(adminKeyFilters.safeParse({ stauts: "revoked" }).success).toBe(false);
    expect(auditFilters.safeParse({ page: "2", utm_source: "x" }).success).toBe(false);
  });

  it("name owners and actors exactly, lower-cased; keep a search of any length", () => {
    expect(adminKeyFilters.parse({ owner: "  Alice@Corp.TEST " }).owner).toBe("alice@corp.test");
    expect(auditFilters.parse({ actor: "Bob@X.test" }).actor).toBe("bob@x.test");
    expect(adminKeyFilters.parse({ q: " ab " }).q).toBe("ab");
    expect(adminKeyFilters.parse({ q: "   " }).q).toBeUndefined();
    expect(adminKeyFilters.parse({ q: " abc " }).q).toBe("abc");
  });

  it("name a team by its exact slug, lower-cased; anything that cannot be a slug is no filter", () => {
    expect(adminKeyFilters.parse({ team: " Platform-Team " }).team).toBe("platform-team");
    for (const bad of ["", "-lead", "trail-", "a_b", "x".repeat(41), "' or 1=1 --", "платформа", "a\u0000b", "%"]) {
      expect(adminKeyFilters.parse({ team: bad }).team, bad).toBeUndefined();
    }
    // A team filter narrows the list: "revoke all matching" may follow it.
    expect(revokeMatchingFilters({ team: "platform" })).toMatchObject({ team: "platform" });
  });
});

describe("revoke all matching", () => {
  it("takes the list's filters, refuses unknown ones and an unfiltered list", () => {
    expect(revokeMatchingFilters({ owner: "Alice@Corp.test", status: "active", sort: "name" })).toMatchObject({ owner: "alice@corp.test", status: "active" });
    expect(() => revokeMatchingFilters({ sort: "name", dir: "asc" })).toThrow(/Filter the list first/);
    expect(() => revokeMatchingFilters({ owner: "a@b.test", everything: "1" })).toThrow(/not the list's/);
    expect(revokeMatchingInput.safeParse({ filters: { q: "ci" }, reason: "leaked", expected: 0 }).success).toBe(false);
    expect(revokeMatchingInput.safeParse({ filters: { q: "ci" }, reason: "leaked", expected: 3 }).success).toBe(true);
  });
});

describe("admin action inputs", () => {
  it("are strict: an extra field is refused", () => {
    const id = "00000000-0000-4000-8000-000000000000";
    expect(roleInput.safeParse({ userId: id, role: "admin" }).success).toBe(true);
    expect(roleInput.safeParse({ userId: id, role: "admin", adminId: id }).success).toBe(false);
    expect(revokeKeysInput.safeParse({ ids: [id], reason: "leaked", extra: 1 }).success).toBe(false);
  });
});
