import { describe, expect, it } from "vitest";
import { createApiKeyFormValues, resolveCreateApiKey } from "./api-key.schema";
import { fieldErrorsOf } from "./common";

const now = new Date("2026-11-23T12:00:00Z");
const valid = { name: "CI", access: "full", expiration: "30" };

function errors(raw: unknown) {
  const result = resolveCreateApiKey(raw, now);
  if (result.success) throw new Error("expected a validation failure");
  return fieldErrorsOf(result.error);
}

describe("create API key input", () => {
  it("trims the name and defaults to 30 days", () => {
    const result = resolveCreateApiKey({ ...valid, name: "  CI deploys  " }, now);
    expect(result.success && result.data).toMatchObject({
      name: "CI deploys",
      description: null,
      access: "full",
      expiresAt: new Date("2026-12-23T12:00:00Z"),
    });
  });

  it.each([
    ["empty", "", /Give the key a name/],
    ["blank", "    ", /Give the key a name/],
    ["65 characters", "x".repeat(65), /at most 64/],
    ["a newline", "a\nb", /not allowed/],
    ["NUL", "a\u0000b", /not allowed/],
    ["an RTL override", "invoice\u202Egpj.exe", /not allowed/],
  ])("refuses a name with %s", (_label, name, message) => {
    expect(errors({ ...valid, name }).name).toMatch(message);
  });

  it("accepts 64 characters, unicode and HTML-looking text (rendered as text)", () => {
    expect(resolveCreateApiKey({ ...valid, name: "x".repeat(64) }, now).success).toBe(true);
    expect(resolveCreateApiKey({ ...valid, name: "Ключ für café ☕" }, now).success).toBe(true);
    expect(resolveCreateApiKey({ ...valid, name: "<img src=x onerror=alert(1)>" }, now).success).toBe(true);
  });

  it("limits the description to 280 characters", () => {
    expect(errors({ ...valid, description: "d".repeat(281) }).description).toMatch(/at most 280/);
    const ok = resolveCreateApiKey({ ...valid, description: "d".repeat(280) }, now);
    expect(ok.success && ok.data.description).toHaveLength(280);
  });

  it("expands access into scopes and needs at least one permission when restricted", () => {
    const ro = resolveCreateApiKey({ ...valid, access: "read_only" }, now);
    expect(ro.success && ro.data.scopes.every((s) => s.endsWith(":read"))).toBe(true);
    expect(errors({ ...valid, access: "restricted", permissions: { keys: "none" } }).permissions).toMatch(
      /at least one resource/,
    );
    expect(errors({ ...valid, access: "restricted", permissions: { nukes: "write" } }).permissions).toMatch(/Unknown resource/);
    expect(errors({ ...valid, access: "restricted", permissions: { keys: "admin" } })["permissions.keys"]).toBeTruthy();
    expect(errors({ ...valid, access: "root" }).access).toMatch(/Choose an access level/);
    expect(errors({ ...valid, access: "restricted", specials: ["keys:sudo"] }).specials).toMatch(/Unknown permission/);
    const verifier = resolveCreateApiKey({ ...valid, access: "restricted", specials: ["keys:verify"] }, now);
    expect(verifier.success && verifier.data.scopes).toEqual(["keys:verify"]);
  });

  it("handles every expiration choice", () => {
    const exp = (expiration: string, customDate?: string) => {
      const r = resolveCreateApiKey({ ...valid, expiration, customDate }, now);
      return r.success ? r.data.expiresAt : "invalid";
    };
    expect(exp("7")).toEqual(new Date("2026-11-30T12:00:00Z"));
    expect(exp("90")).toEqual(new Date("2027-02-21T12:00:00Z"));
    expect(exp("never")).toBeNull();
    // Through the end of the chosen day: its last second, in the chooser's zone (UTC if unknown).
    expect(exp("custom", "2026-12-01")).toEqual(new Date("2026-12-01T23:59:59Z"));
    const zoned = (timeZone: string, customDate: string) => {
      const r = resolveCreateApiKey({ ...valid, expiration: "custom", customDate, timeZone }, now);
      return r.success ? r.data.expiresAt : "invalid";
    };
    expect(zoned("Asia/Tokyo", "2026-12-09")).toEqual(new Date("2026-12-09T14:59:59Z"));
    expect(zoned("America/New_York", "2026-12-09")).toEqual(new Date("2026-12-10T04:59:59Z"));
    expect(zoned("Not/A_Zone", "2026-12-09")).toEqual(new Date("2026-12-09T23:59:59Z"));
    expect(exp("365")).toBe("invalid");
  });

  it("refuses past, malformed, impossible and too-distant custom dates", () => {
    expect(errors({ ...valid, expiration: "custom", customDate: "2026-11-01" }).customDate).toMatch(/in the future/);
    expect(errors({ ...valid, expiration: "custom", customDate: "" }).customDate).toMatch(/Pick an expiry date/);
    expect(errors({ ...valid, expiration: "custom", customDate: "2026-02-30" }).customDate).toMatch(/Pick an expiry date/);
    expect(errors({ ...valid, expiration: "custom", customDate: "12/01/2026" }).customDate).toMatch(/Pick an expiry date/);
    expect(errors({ ...valid, expiration: "custom", customDate: "2028-01-01" }).customDate).toMatch(/within 365 days/);
  });

  it("rejects unknown fields (no mass assignment) and wrong types", () => {
    expect(resolveCreateApiKey({ ...valid, userId: "someone-else" }, now).success).toBe(false);
    expect(resolveCreateApiKey({ ...valid, name: 42 }, now).success).toBe(false);
    expect(resolveCreateApiKey(null, now).success).toBe(false);
  });

  it("reads the dialog's FormData", () => {
    const form = new FormData();
    form.set("name", "n");
    form.set("access", "restricted");
    form.set("permissions.keys", "write");
    form.set("permissions.bogus", "write");
    form.set("expiration", "never");
    expect(createApiKeyFormValues(form)).toEqual({
      name: "n",
      description: "",
      access: "restricted",
      permissions: { keys: "write" },
      specials: [],
      expiration: "never",
      customDate: "",
    });
  });
});
