import { describe, expect, it } from "vitest";
import { AppError, type ErrorCode } from "../errors";
import { ALL_SCOPES, READ_SCOPES } from "../scopes";
import { teamPolicySchema } from "../validation/team-policy.schema";
import {
  NO_TEAM_POLICY,
  assertIpsForFull,
  assertMayRotateUnderPolicy,
  assertNoApprovalNeeded,
  assertTeamScopes,
  effectivePolicy,
  ipsRequiredError,
  needsApproval,
  scopesBeyondPolicy,
  teamExpiryError,
  type TeamPolicy,
} from "./policy";

const now = new Date("2026-12-07T12:00:00Z");
const inDays = (n: number) => new Date(now.getTime() + n * 86_400_000);
const team = (p: Partial<TeamPolicy>): TeamPolicy => ({ ...NO_TEAM_POLICY, ...p });

function codeOf(run: () => void): ErrorCode | null {
  try {
    run();
    return null;
  } catch (e) {
    if (e instanceof AppError) return e.code;
    throw e;
  }
}

describe("effective policy: the deployment's, only tightened by the team's", () => {
  it("takes the shorter maximum lifetime, whichever sets it", () => {
    expect(effectivePolicy(team({ maxLifetimeDays: 30 }), 90)).toMatchObject({ maxLifetimeDays: 30, lifetimeFrom: "team" });
    expect(effectivePolicy(team({ maxLifetimeDays: 365 }), 90)).toMatchObject({ maxLifetimeDays: 90, lifetimeFrom: "deployment" });
    expect(effectivePolicy(team({ maxLifetimeDays: 90 }), 90)).toMatchObject({ maxLifetimeDays: 90 });
    expect(effectivePolicy(team({ maxLifetimeDays: null }), 90)).toMatchObject({ maxLifetimeDays: 90, lifetimeFrom: "deployment" });
    expect(effectivePolicy(team({ maxLifetimeDays: 7 }), null)).toMatchObject({ maxLifetimeDays: 7, lifetimeFrom: "team" });
    expect(effectivePolicy(team({}), null)).toMatchObject({ maxLifetimeDays: null, lifetimeFrom: null });
  });

  it("requires an expiry if either asks for one", () => {
    expect(effectivePolicy(team({ requireExpiry: false }), null).requireExpiry).toBe(false);
    expect(effectivePolicy(team({ requireExpiry: true }), null).requireExpiry).toBe(true);
    expect(effectivePolicy(team({ requireExpiry: false }), 30).requireExpiry).toBe(true);
  });

  it("refuses a team lifetime above the deployment's, and the limits 1..3650", () => {
    const parse = (maxLifetimeDays: unknown, deployment: number | null) =>
      teamPolicySchema(deployment).safeParse({ maxLifetimeDays, requireExpiry: false, developerScopes: null, approvalFrom: null, ipsRequiredForFull: false });
    expect(parse(91, 90).success).toBe(false);
    expect(parse(91, 90).error?.issues[0]?.message).toMatch(/deployment allows at most 90 days/);
    expect(parse(90, 90).success).toBe(true);
    expect(parse(3650, null).success).toBe(true);
    expect(parse(3651, null).success).toBe(false);
    expect(parse(0, null).success).toBe(false);
    expect(parse(1, null).success).toBe(true);
    expect(parse(1.5, null).success).toBe(false);
    expect(parse(-1, null).success).toBe(false);
    expect(parse(null, 90).success).toBe(true);
    expect(parse("30", null).success).toBe(false);
  });

  it("validates developer scopes: real ones, at least one, stored with write implying read", () => {
    const parse = (developerScopes: unknown) =>
      teamPolicySchema(null).safeParse({ maxLifetimeDays: null, requireExpiry: false, developerScopes, approvalFrom: "full", ipsRequiredForFull: true });
    expect(parse(["keys:write"]).data?.developerScopes).toEqual(["keys:read", "keys:write"]);
    expect(parse(null).data?.developerScopes).toBeNull();
    expect(parse([]).success).toBe(false);
    expect(parse(["admin:everything"]).success).toBe(false);
    expect(parse(["x".repeat(65)]).success).toBe(false);
  });
});

describe("team expiry", () => {
  it("requires an expiry when asked or when there is a maximum", () => {
    expect(teamExpiryError(null, team({}), undefined, now)).toBeNull();
    expect(teamExpiryError(null, team({ requireExpiry: true }), undefined, now)).toMatch(/must expire/);
    expect(teamExpiryError(null, team({ maxLifetimeDays: 30 }), undefined, now)).toMatch(/at most 30 days/);
  });

  it("allows exactly the maximum (within a minute), not a day more", () => {
    const p = team({ maxLifetimeDays: 30 });
    expect(teamExpiryError(inDays(30), p, undefined, now)).toBeNull();
    expect(teamExpiryError(new Date(inDays(30).getTime() + 59_000), p, undefined, now)).toBeNull();
    expect(teamExpiryError(inDays(31), p, undefined, now)).toMatch(/within 30 days/);
    expect(teamExpiryError(inDays(1), team({ maxLifetimeDays: 1 }), undefined, now)).toBeNull();
  });

  it("counts an edit from the key's creation; shortening always allowed", () => {
    const p = team({ maxLifetimeDays: 30 });
    const key = { createdAt: inDays(-25), expiresAt: inDays(2) };
    expect(teamExpiryError(inDays(5), p, key, now)).toBeNull();
    expect(teamExpiryError(inDays(6), p, key, now)).toMatch(/of the key's creation/);
    expect(teamExpiryError(inDays(1), p, key, now)).toBeNull();
    expect(teamExpiryError(null, p, key, now)).toMatch(/must expire/);
    // A key made before the policy (expiring in 100 days): any shortening is fine, extending is not.
    const old = { createdAt: inDays(-10), expiresAt: inDays(100) };
    expect(teamExpiryError(inDays(50), p, old, now)).toBeNull();
    expect(teamExpiryError(inDays(101), p, old, now)).toMatch(/of the key's creation/);
  });
});

describe("developer scopes", () => {
  const p = team({ developerScopes: ["keys:read", "usage:read"] });
  it("bind developers and team keys, not admins or owners", () => {
    expect(scopesBeyondPolicy("developer", p, ["keys:read"])).toEqual([]);
    expect(scopesBeyondPolicy("developer", p, ["keys:write"])).toEqual(["keys:write"]);
    expect(scopesBeyondPolicy(null, p, ["profile:read"])).toEqual(["profile:read"]);
    expect(scopesBeyondPolicy("admin", p, ALL_SCOPES)).toEqual([]);
    expect(scopesBeyondPolicy("owner", p, ALL_SCOPES)).toEqual([]);
    expect(scopesBeyondPolicy("developer", team({ developerScopes: null }), ALL_SCOPES)).toEqual([]);
    expect(codeOf(() => assertTeamScopes("developer", p, ["keys:verify"]))).toBe("scopes_not_allowed_by_team");
    expect(codeOf(() => assertTeamScopes("developer", p, undefined))).toBeNull();
  });
  it("a write scope in the set allows its read", () => {
    expect(scopesBeyondPolicy("developer", team({ developerScopes: ["keys:read", "keys:write"] }), ["keys:read"])).toEqual([]);
  });
});

describe("approval", () => {
  it("only developers (and team keys) need it, at or above the threshold", () => {
    const full = team({ approvalFrom: "full" });
    expect(needsApproval("full", "developer", full)).toBe(true);
    expect(needsApproval("restricted", "developer", full)).toBe(false);
    expect(needsApproval("full", "admin", full)).toBe(false);
    expect(needsApproval("full", "owner", full)).toBe(false);
    expect(needsApproval("full", null, full)).toBe(true);
    expect(needsApproval("full", "developer", team({ approvalFrom: null }))).toBe(false);
    const restricted = team({ approvalFrom: "restricted" });
    expect(needsApproval("read_only", "developer", restricted)).toBe(false);
    expect(needsApproval("restricted", "developer", restricted)).toBe(true);
    expect(needsApproval("full", "developer", restricted)).toBe(true);
    expect(needsApproval("read_only", "developer", team({ approvalFrom: "read_only" }))).toBe(true);
  });

  it("judges the scopes, not the form's access choice; an edit only when it raises the access", () => {
    const full = team({ approvalFrom: "full" });
    expect(codeOf(() => assertNoApprovalNeeded("developer", full, ALL_SCOPES))).toBe("approval_required");
    expect(codeOf(() => assertNoApprovalNeeded("developer", full, READ_SCOPES))).toBeNull();
    expect(codeOf(() => assertNoApprovalNeeded("developer", full, ALL_SCOPES, "full"))).toBeNull();
    expect(codeOf(() => assertNoApprovalNeeded("developer", full, ALL_SCOPES, "restricted"))).toBe("approval_required");
    expect(codeOf(() => assertNoApprovalNeeded("admin", full, ALL_SCOPES, "restricted"))).toBeNull();
    let message = "";
    try {
      assertNoApprovalNeeded(null, full, ALL_SCOPES);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/Request it in the dashboard/);
  });

  it("rotation: a bound role rotates only what it could have created", () => {
    const p = team({ approvalFrom: "full", developerScopes: ["keys:read", "keys:write"] });
    expect(codeOf(() => assertMayRotateUnderPolicy("developer", p, ALL_SCOPES))).toBe("team_policy_rotation");
    expect(codeOf(() => assertMayRotateUnderPolicy("developer", p, ["profile:read"]))).toBe("team_policy_rotation");
    expect(codeOf(() => assertMayRotateUnderPolicy("developer", p, ["keys:read"]))).toBeNull();
    expect(codeOf(() => assertMayRotateUnderPolicy("admin", p, ALL_SCOPES))).toBeNull();
  });
});

describe("IP allowlist for Full access (the rule, given the key's allowed IPs)", () => {
  const on = team({ ipsRequiredForFull: true });
  it("needs at least one address on a Full key when on", () => {
    expect(ipsRequiredError(on, ALL_SCOPES, null)).toMatch(/IP addresses/);
    expect(ipsRequiredError(on, ALL_SCOPES, [])).toMatch(/IP addresses/);
    expect(ipsRequiredError(on, ALL_SCOPES, ["203.0.113.0/24"])).toBeNull();
    expect(ipsRequiredError(on, READ_SCOPES, null)).toBeNull();
    expect(ipsRequiredError(team({}), ALL_SCOPES, null)).toBeNull();
    expect(codeOf(() => assertIpsForFull(on, ALL_SCOPES, undefined))).toBe("validation_failed");
  });
});
