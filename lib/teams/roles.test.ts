import { describe, expect, it } from "vitest";
import { atLeast, canAdministerTeam, canManageTeamKeys, canViewTeam, mayChangeMember, TEAM_ROLES, type TeamRole } from "./roles";

describe("team roles", () => {
  it("orders owner > admin > developer > viewer", () => {
    expect(atLeast("owner", "admin")).toBe(true);
    expect(atLeast("admin", "owner")).toBe(false);
    expect(atLeast("developer", "viewer")).toBe(true);
    expect(atLeast("viewer", "developer")).toBe(false);
  });

  it("gives each capability to the right roles", () => {
    const who = (p: (r: TeamRole) => boolean) => TEAM_ROLES.filter(p);
    expect(who(canViewTeam)).toEqual(["owner", "admin", "developer", "viewer"]);
    expect(who(canManageTeamKeys)).toEqual(["owner", "admin", "developer"]);
    expect(who(canAdministerTeam)).toEqual(["owner", "admin"]);
  });

  it("lets admins manage developers and viewers but never touch or make owners", () => {
    expect(mayChangeMember("admin", "developer", "admin")).toBe(true);
    expect(mayChangeMember("admin", "viewer", null)).toBe(true);
    expect(mayChangeMember("admin", "owner", "admin")).toBe(false);
    expect(mayChangeMember("admin", "developer", "owner")).toBe(false);
    expect(mayChangeMember("owner", "owner", "admin")).toBe(true);
    expect(mayChangeMember("developer", "viewer", null)).toBe(false);
    expect(mayChangeMember("viewer", "viewer", null)).toBe(false);
  });
});
