import { describe, expect, it } from "vitest";
import { isBreakGlassAdmin, mayHavePassword, passwordAllowed, ssoClaims, ssoDecision, ssoOnlyInEffect, type SsoDecisionInput } from "./sso-policy";

const claims = (over: Partial<ReturnType<typeof ssoClaims> & object> = {}) => ({
  issuer: "https://idp.example.test",
  subject: "sub-1",
  email: "ann@example.test",
  emailVerified: true,
  name: "Ann",
  ...over,
});
const active = { id: "u1", suspendedAt: null, deletedAt: null };
const input = (over: Partial<SsoDecisionInput> = {}): SsoDecisionInput => ({
  claims: claims(),
  linked: null,
  byEmail: null,
  settings: { mode: "open", domains: [] },
  firstAccount: false,
  invited: false,
  ...over,
});

describe("the claims Keysmith reads from an ID token", () => {
  it("keeps issuer and subject, lower-cases the email, and counts only a literal true as verified", () => {
    expect(ssoClaims({ iss: "https://i", sub: "s", email: " Ann@Example.TEST ", email_verified: true, name: "Ann" })).toEqual({
      issuer: "https://i",
      subject: "s",
      email: "ann@example.test",
      emailVerified: true,
      name: "Ann",
    });
    expect(ssoClaims({ iss: "https://i", sub: "s", email: "a@b.test", email_verified: "true" })?.emailVerified).toBe(true);
    for (const verified of [false, "false", undefined, 1, "yes", null]) {
      expect(ssoClaims({ iss: "https://i", sub: "s", email: "a@b.test", email_verified: verified })?.emailVerified, String(verified)).toBe(false);
    }
    // No address, or not one: nothing to verify.
    expect(ssoClaims({ iss: "https://i", sub: "s", email_verified: true })).toMatchObject({ email: null, emailVerified: false });
    expect(ssoClaims({ iss: "https://i", sub: "s", email: "not an address", email_verified: true })).toMatchObject({ email: null, emailVerified: false });
  });

  it("is nothing without a usable issuer or subject", () => {
    expect(ssoClaims(null)).toBeNull();
    expect(ssoClaims({ sub: "s" })).toBeNull();
    expect(ssoClaims({ iss: "https://i" })).toBeNull();
    expect(ssoClaims({ iss: "https://i", sub: "" })).toBeNull();
    expect(ssoClaims({ iss: "https://i", sub: "x".repeat(256) })).toBeNull();
    expect(ssoClaims({ iss: "https://i", sub: 42 })).toBeNull();
  });

  it("drops control characters from the name and caps it", () => {
    expect(ssoClaims({ iss: "i", sub: "s", name: "A\u0000nn\u202e" })?.name).toBe("Ann");
    expect(ssoClaims({ iss: "i", sub: "s", name: "x".repeat(200) })?.name).toHaveLength(80);
    expect(ssoClaims({ iss: "i", sub: "s", name: "   " })?.name).toBeNull();
  });
});

describe("who a single sign-on identity is here", () => {
  it("a linked identity signs in its account, whatever the email now says (even unverified)", () => {
    expect(ssoDecision(input({ linked: active, claims: claims({ email: "other@example.test", emailVerified: false }) }))).toEqual({ kind: "sign_in", userId: "u1" });
  });

  it("a subject linked to one account wins over an email that names another", () => {
    const byEmail = { id: "u2", suspendedAt: null, deletedAt: null, linkedToIssuer: false };
    expect(ssoDecision(input({ linked: active, byEmail }))).toEqual({ kind: "sign_in", userId: "u1" });
  });

  it("refuses a linked account that is suspended or deleted", () => {
    expect(ssoDecision(input({ linked: { ...active, suspendedAt: new Date() } }))).toEqual({ kind: "refuse", reason: "sso_account_suspended" });
    expect(ssoDecision(input({ linked: { ...active, deletedAt: new Date() } }))).toEqual({ kind: "refuse", reason: "sso_account_deleted" });
  });

  it("an unlinked identity without a verified email does nothing: no link to the account with that address, no account", () => {
    const byEmail = { ...active, linkedToIssuer: false };
    expect(ssoDecision(input({ byEmail, claims: claims({ emailVerified: false }) }))).toEqual({ kind: "refuse", reason: "sso_email_unverified" });
    expect(ssoDecision(input({ claims: claims({ email: null, emailVerified: false }) }))).toEqual({ kind: "refuse", reason: "sso_email_unverified" });
    expect(ssoDecision(input({ firstAccount: true, claims: claims({ emailVerified: false }) }))).toEqual({ kind: "refuse", reason: "sso_email_unverified" });
  });

  it("a verified email links the account that has it, unless that account is suspended or already has an identity from this issuer", () => {
    expect(ssoDecision(input({ byEmail: { ...active, linkedToIssuer: false } }))).toEqual({ kind: "link", userId: "u1" });
    expect(ssoDecision(input({ byEmail: { ...active, linkedToIssuer: true } }))).toEqual({ kind: "refuse", reason: "sso_identity_conflict" });
    expect(ssoDecision(input({ byEmail: { ...active, suspendedAt: new Date(), linkedToIssuer: false } }))).toEqual({ kind: "refuse", reason: "sso_account_suspended" });
  });

  it("creates an account just in time where sign-up would allow it", () => {
    expect(ssoDecision(input())).toEqual({ kind: "create", viaInvitation: false });
    expect(ssoDecision(input({ settings: { mode: "domains", domains: ["example.test"] } }))).toEqual({ kind: "create", viaInvitation: false });
    expect(ssoDecision(input({ settings: { mode: "closed", domains: [] }, firstAccount: true }))).toEqual({ kind: "create", viaInvitation: false });
  });

  it("invite-only and listed domains: an invited address joins and spends its invitation; closed: nobody new, invited or not", () => {
    expect(ssoDecision(input({ settings: { mode: "invite_only", domains: [] } }))).toEqual({ kind: "refuse", reason: "sso_sign_up_invite_only" });
    expect(ssoDecision(input({ settings: { mode: "invite_only", domains: [] }, invited: true }))).toEqual({ kind: "create", viaInvitation: true });
    expect(ssoDecision(input({ settings: { mode: "domains", domains: ["other.test"] } }))).toEqual({ kind: "refuse", reason: "sso_email_domain_not_allowed" });
    expect(ssoDecision(input({ settings: { mode: "domains", domains: ["other.test"] }, invited: true }))).toEqual({ kind: "create", viaInvitation: true });
    expect(ssoDecision(input({ settings: { mode: "closed", domains: [] } }))).toEqual({ kind: "refuse", reason: "sso_sign_up_closed" });
    expect(ssoDecision(input({ settings: { mode: "closed", domains: [] }, invited: true }))).toEqual({ kind: "refuse", reason: "sso_sign_up_closed" });
  });

  it("open sign-up: an invited address spends its invitation (and gets its role), anyone else joins as a member", () => {
    expect(ssoDecision(input({ settings: { mode: "open", domains: [] }, invited: true }))).toEqual({ kind: "create", viaInvitation: true });
    expect(ssoDecision(input({ settings: { mode: "open", domains: [] } }))).toEqual({ kind: "create", viaInvitation: false });
  });
});

describe("passwords while single sign-on is the only way in", () => {
  it("applies only while OIDC is configured", () => {
    expect(ssoOnlyInEffect(true, true)).toBe(true);
    expect(ssoOnlyInEffect(true, false)).toBe(false);
    expect(ssoOnlyInEffect(false, true)).toBe(false);
  });

  it("lets a password be tried only for a break-glass address, and lets in only an admin's", () => {
    const breakGlassEmails = ["root@example.test"];
    expect(passwordAllowed({ ssoOnly: false, email: "bob@example.test", breakGlassEmails })).toBe(true);
    expect(passwordAllowed({ ssoOnly: true, email: "bob@example.test", breakGlassEmails })).toBe(false);
    expect(passwordAllowed({ ssoOnly: true, email: " Root@Example.test", breakGlassEmails })).toBe(true);
    expect(isBreakGlassAdmin({ email: "root@example.test", role: "admin", breakGlassEmails })).toBe(true);
    expect(isBreakGlassAdmin({ email: "root@example.test", role: "member", breakGlassEmails })).toBe(false);
    expect(isBreakGlassAdmin({ email: "ann@example.test", role: "admin", breakGlassEmails })).toBe(false);
  });

  it("gives an account a password (reset, invitation) only where one counts: always without SSO only, else a break-glass admin's", () => {
    const breakGlassEmails = ["root@example.test"];
    expect(mayHavePassword({ ssoOnly: false, email: "bob@example.test", role: "member", breakGlassEmails })).toBe(true);
    expect(mayHavePassword({ ssoOnly: true, email: "bob@example.test", role: "admin", breakGlassEmails })).toBe(false);
    expect(mayHavePassword({ ssoOnly: true, email: "root@example.test", role: "member", breakGlassEmails })).toBe(false);
    expect(mayHavePassword({ ssoOnly: true, email: "Root@Example.test ", role: "admin", breakGlassEmails })).toBe(true);
  });
});
