import { describe, expect, it } from "vitest";
import { isTeamSlug, suggestSlug } from "./slug";

describe("team slugs", () => {
  it("suggests one from a name", () => {
    expect(suggestSlug("Platform Team ✨")).toBe("platform-team");
    expect(suggestSlug("  Équipe Données — Paris  ")).toBe("equipe-donnees-paris");
    expect(suggestSlug("---")).toBe("");
    const long = suggestSlug(`${"a".repeat(39)} b`);
    expect(long).toBe("a".repeat(39));
    expect(isTeamSlug(long)).toBe(true);
    expect(isTeamSlug(suggestSlug("x".repeat(100)))).toBe(true);
  });

  it("accepts the table's shape only", () => {
    for (const ok of ["ab", "a-b", "a1", "0-0", "a".repeat(40)]) expect(isTeamSlug(ok), ok).toBe(true);
    for (const bad of ["a", "-a", "a-", "A1", "a_b", "a".repeat(41), "a b", "é1", "", null, 12]) expect(isTeamSlug(bad), String(bad)).toBe(false);
  });
});
