import { describe, expect, it } from "vitest";
import { mayDisableSecondFactor, mfaRequired, mustSetUpSecondFactor, policyChangeRefusal } from "./policy";
import { RECOVERY_CODE_PATTERN, asRecoveryCode, newRecoveryCodes } from "./recovery-codes";

describe("second-factor policy", () => {
  it("says whom each policy covers", () => {
    expect(mfaRequired("optional", "admin")).toBe(false);
    expect(mfaRequired("admins", "admin")).toBe(true);
    expect(mfaRequired("admins", "member")).toBe(false);
    expect(mfaRequired("everyone", "member")).toBe(true);
  });

  it("sends only a covered user without a factor to set-up", () => {
    expect(mustSetUpSecondFactor("everyone", { role: "member", hasSecondFactor: false })).toBe(true);
    expect(mustSetUpSecondFactor("everyone", { role: "member", hasSecondFactor: true })).toBe(false);
    expect(mustSetUpSecondFactor("admins", { role: "member", hasSecondFactor: false })).toBe(false);
    expect(mustSetUpSecondFactor("optional", { role: "admin", hasSecondFactor: false })).toBe(false);
  });

  it("lets no admin without a factor require one, and no covered user give up their last one", () => {
    expect(policyChangeRefusal("everyone", { hasSecondFactor: false })).toBe("own_second_factor_missing");
    expect(policyChangeRefusal("admins", { hasSecondFactor: false })).toBe("own_second_factor_missing");
    expect(policyChangeRefusal("optional", { hasSecondFactor: false })).toBeNull();
    expect(policyChangeRefusal("everyone", { hasSecondFactor: true })).toBeNull();
    expect(mayDisableSecondFactor("admins", "admin", 0)).toBe(false);
    expect(mayDisableSecondFactor("admins", "admin", 1)).toBe(true);
    expect(mayDisableSecondFactor("admins", "member", 0)).toBe(true);
    expect(mayDisableSecondFactor("everyone", "member", 0)).toBe(false);
    expect(mayDisableSecondFactor("everyone", "member", 2)).toBe(true);
    expect(mayDisableSecondFactor("optional", "admin", 0)).toBe(true);
  });
});

describe("recovery codes", () => {
  it("are ten distinct codes of 50 random bits in one spelling", () => {
    const codes = newRecoveryCodes();
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const c of codes) expect(c).toMatch(RECOVERY_CODE_PATTERN);
  });

  it("are read forgivingly (case, spaces, a missing dash), and nothing else is one", () => {
    expect(asRecoveryCode(" abcde fgh23 ")).toBe("ABCDE-FGH23");
    expect(asRecoveryCode("abcdefgh23")).toBe("ABCDE-FGH23");
    expect(asRecoveryCode("ABCDE-FGH2")).toBeNull();
    expect(asRecoveryCode("ABCDE-FGH01")).toBeNull();
  });
});
