import { describe, expect, it } from "vitest";
import { AppError } from "../errors";
import { assertMayGrant, assertMayGrantAllowlist, assertMayChangeAllowlist, assertMayRotate, assertMayRotateAllowlist, assertMayWiden, outlivesCaller, type CallerKey } from "./rules";

const at = new Date("2027-01-10T00:00:00Z");
const caller = (expiresAt: Date | null): CallerKey => ({ id: "caller", scopes: ["keys:read", "keys:write", "keys:rotate"], expiresAt, viaPreviousSecret: false });
const codeOf = (fn: () => void) => {
  try {
    fn();
    return null;
  } catch (e) {
    return (e as AppError).code;
  }
};

describe("a key's lifetime bounds what it may hand out", () => {
  it("outlives: strictly later, or never expiring; a caller that never expires is outlived by none", () => {
    expect(outlivesCaller(caller(at), new Date(at.getTime() + 1))).toBe(true);
    expect(outlivesCaller(caller(at), null)).toBe(true);
    expect(outlivesCaller(caller(at), at)).toBe(false);
    expect(outlivesCaller(caller(at), new Date(at.getTime() - 1))).toBe(false);
    expect(outlivesCaller(caller(null), null)).toBe(false);
  });

  it("rotation: refused for a key that outlives the caller, allowed for itself, for a shorter-lived key and for a session", () => {
    expect(codeOf(() => assertMayRotate(caller(at), { id: "other", expiresAt: null }))).toBe("expiry_beyond_caller");
    expect(codeOf(() => assertMayRotate(caller(at), { id: "other", expiresAt: new Date(at.getTime() + 1) }))).toBe("expiry_beyond_caller");
    expect(codeOf(() => assertMayRotate(caller(at), { id: "caller", expiresAt: at }))).toBeNull();
    expect(codeOf(() => assertMayRotate(caller(at), { id: "other", expiresAt: at }))).toBeNull();
    expect(codeOf(() => assertMayRotate(undefined, { id: "other", expiresAt: null }))).toBeNull();
  });

  it("widening: adding a scope to a key that outlives the caller is refused; keeping or narrowing is not", () => {
    const target = { id: "other", scopes: ["keys:read"], expiresAt: null };
    expect(codeOf(() => assertMayWiden(caller(at), target, ["keys:read", "keys:write"]))).toBe("expiry_beyond_caller");
    expect(codeOf(() => assertMayWiden(caller(at), target, ["keys:read"]))).toBeNull();
    expect(codeOf(() => assertMayWiden(caller(at), { ...target, expiresAt: at }, ["keys:read", "keys:write"]))).toBeNull();
    expect(codeOf(() => assertMayWiden(caller(null), target, ["keys:read", "keys:write"]))).toBeNull();
  });

  it("granting: scopes within the caller's, an expiry no later than the caller's", () => {
    expect(codeOf(() => assertMayGrant(caller(at), { scopes: ["keys:verify"] }))).toBe("insufficient_scope");
    expect(codeOf(() => assertMayGrant(caller(at), { expiresAt: null }))).toBe("expiry_beyond_caller");
    expect(codeOf(() => assertMayGrant(caller(at), { scopes: ["keys:read"], expiresAt: at }))).toBeNull();
  });
});

describe("a key's allowed IPs bound what it may hand out", () => {
  const limited: CallerKey = { ...caller(null), allowedIps: ["10.0.0.0/8"] };
  it("create: within the caller's list; a caller without one (or a session) creates anything", () => {
    expect(codeOf(() => assertMayGrantAllowlist(limited, null))).toBe("allowed_ips_beyond_caller");
    expect(codeOf(() => assertMayGrantAllowlist(limited, ["11.0.0.1"]))).toBe("allowed_ips_beyond_caller");
    expect(codeOf(() => assertMayGrantAllowlist(limited, ["10.1.0.0/16"]))).toBeNull();
    expect(codeOf(() => assertMayGrantAllowlist(caller(null), null))).toBeNull();
    expect(codeOf(() => assertMayGrantAllowlist(undefined, null))).toBeNull();
  });
  it("edit: a caller with a list narrows, or sets within its own; a caller without one (or a session) sets anything", () => {
    expect(codeOf(() => assertMayChangeAllowlist(limited, { allowedIps: ["11.0.0.0/8"] }, ["11.1.0.0/16"]))).toBeNull();
    expect(codeOf(() => assertMayChangeAllowlist(limited, { allowedIps: ["11.0.0.0/8"] }, ["10.1.0.0/16", "11.0.0.1"]))).toBe("allowed_ips_beyond_caller");
    expect(codeOf(() => assertMayChangeAllowlist(limited, { allowedIps: ["11.0.0.0/8"] }, ["10.1.0.0/16"]))).toBeNull();
    expect(codeOf(() => assertMayChangeAllowlist(limited, { allowedIps: null }, ["10.0.0.0/8"]))).toBeNull();
    // Any list on a key usable anywhere is a narrowing.
    expect(codeOf(() => assertMayChangeAllowlist(limited, { allowedIps: null }, ["11.0.0.0/8"]))).toBeNull();
    expect(codeOf(() => assertMayChangeAllowlist(limited, { allowedIps: ["10.0.0.0/8"] }, ["10.0.0.0/7"]))).toBe("allowed_ips_beyond_caller");
    expect(codeOf(() => assertMayChangeAllowlist(limited, { allowedIps: ["10.0.0.0/8"] }, null))).toBe("allowed_ips_beyond_caller");
    expect(codeOf(() => assertMayChangeAllowlist(limited, { allowedIps: ["10.0.0.0/8"] }, undefined))).toBeNull();
    expect(codeOf(() => assertMayChangeAllowlist(caller(null), { allowedIps: ["10.0.0.0/8"] }, null))).toBeNull();
    expect(codeOf(() => assertMayChangeAllowlist(undefined, { allowedIps: ["10.0.0.0/8"] }, null))).toBeNull();
  });
  it("rotate: itself, or targets within the caller's list", () => {
    expect(codeOf(() => assertMayRotateAllowlist(limited, { id: "other", allowedIps: null }))).toBe("allowed_ips_beyond_caller");
    expect(codeOf(() => assertMayRotateAllowlist(limited, { id: "other", allowedIps: ["10.2.3.4"] }))).toBeNull();
    expect(codeOf(() => assertMayRotateAllowlist(limited, { id: "caller", allowedIps: ["10.0.0.0/8"] }))).toBeNull();
    expect(codeOf(() => assertMayRotateAllowlist(caller(null), { id: "other", allowedIps: null }))).toBeNull();
  });
});
