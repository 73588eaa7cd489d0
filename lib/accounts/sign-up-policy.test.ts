import { describe, expect, it } from "vitest";
import { emailDomain, isDomainName, parseDomainList, signUpNotice, signUpRefusal } from "./sign-up-policy";

describe("sign-up policy", () => {
  const domains = ["example.com", "corp.example.org"];
  const decide = (mode: Parameters<typeof signUpRefusal>[0]["mode"], email: string, firstAccount = false) => signUpRefusal({ mode, domains, email, firstAccount });

  it("refuses or allows by mode, and always allows the first account", () => {
    expect(decide("open", "a@anything.test")).toBeNull();
    expect(decide("invite_only", "a@example.com")).toBe("sign_up_invite_only");
    expect(decide("closed", "a@example.com")).toBe("sign_up_closed");
    for (const mode of ["open", "domains", "invite_only", "closed"] as const) expect(decide(mode, "first@nowhere.test", true)).toBeNull();
  });

  it("matches a domain exactly: no suffix, prefix or subdomain trick", () => {
    expect(decide("domains", "ann@example.com")).toBeNull();
    expect(decide("domains", "ann@EXAMPLE.com")).toBeNull();
    expect(decide("domains", "bob@corp.example.org")).toBeNull();
    for (const email of [
      "eve@evil-example.com",
      "eve@example.com.evil.test",
      "eve@sub.example.com",
      "eve@example.org",
      "eve@xexample.com",
      "example.com@evil.test",
      "eve@evil.test@example.co",
      "no-at-sign",
    ]) {
      expect(decide("domains", email), email).toBe("email_domain_not_allowed");
    }
    expect(emailDomain("a@b@Example.COM")).toBe("example.com");
  });

  it("parses the admin's list: one per line or comma-separated, @ dropped, duplicates merged, nonsense refused", () => {
    expect(parseDomainList("Example.com\n@corp.example.org, example.com ;xn--bcher-kva.example")).toEqual({ ok: true, domains: ["example.com", "corp.example.org", "xn--bcher-kva.example"] });
    expect(parseDomainList("   ")).toEqual({ ok: true, domains: [] });
    for (const bad of ["localhost", "*.example.com", "exa mple", "-bad.com", "bad-.com", "10.0.0.1", "ann@example.com", "bücher.example", `${"a".repeat(64)}.com`, "example..com"]) {
      const parsed = parseDomainList(bad);
      expect(parsed.ok, bad).toBe(false);
    }
    const many = Array.from({ length: 51 }, (_, i) => `d${i}.example`).join("\n");
    expect(parseDomainList(many)).toEqual({ ok: false, message: "List at most 50 domains." });
    expect(isDomainName("example.com")).toBe(true);
  });

  it("says what applies on the sign-up page", () => {
    expect(signUpNotice("open", [])).toBeNull();
    expect(signUpNotice("domains", domains)).toBe("Sign-up here is open to addresses at example.com and corp.example.org only. Anyone else needs an invitation from an administrator.");
    expect(signUpNotice("invite_only", [])).toBe("Sign-up here is by invitation only. Ask an administrator for an invitation.");
    expect(signUpNotice("closed", [])).toMatch(/closed/);
  });
});
