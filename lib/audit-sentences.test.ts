import { describe, expect, it } from "vitest";
import { AUDIT_ACTIONS } from "./audit-events";
import { describeEvent, sentenceText, shortUserAgent } from "./audit-sentences";

const at = new Date("2026-12-06T14:00:00Z");
const event = (action: string, metadata: Record<string, unknown>, actor: string | null = "You") => ({ action, actor, targetId: "k1", metadata, createdAt: at });
const say = (action: string, metadata: Record<string, unknown>, actor?: string | null) => sentenceText(describeEvent(event(action, metadata, actor), "Europe/Paris", at));

describe("audit events as sentences", () => {
  it("says what happened to a key, by name, with dates in the viewer's zone", () => {
    expect(say("api_key.created", { name: "CI deploys", access: "read_only", expiresAt: "2027-01-05T10:00:00Z" })).toBe(
      "You created CI deploys with read-only access, expiring Jan 5, 2027 11:00 CET",
    );
    expect(say("api_key.created", { name: "CI deploys", access: "full", expiresAt: null, via: "api_key" })).toBe("You created CI deploys with full access, never expiring using an API key");
    expect(say("api_key.rotated", { name: "Production backend", graceUntil: "2026-12-06T15:00:00Z" })).toBe(
      "You rotated Production backend; the old secret works until Dec 6, 2026 16:00 CET",
    );
    expect(say("api_key.rotated", { name: "Production backend", graceUntil: at.toISOString() })).toBe("You rotated Production backend; the old secret stopped at once");
    expect(say("api_key.admin_revoked", { name: "old", reason: "Leaked in a gist" }, "An administrator")).toBe("An administrator revoked old: “Leaked in a gist”");
    expect(say("api_key.renamed", { from: "a", to: "b" })).toBe("You renamed “a” to b");
    expect(say("api_key.rescoped", { name: "k", to: ["keys:read", "usage:read"] })).toBe("You changed the scopes of k to keys:read, usage:read");
    expect(say("api_key.allowed_ips_changed", { name: "k", from: null, to: ["10.0.0.0/8", "::1"] })).toBe("You limited k to requests from 10.0.0.0/8, ::1");
    expect(say("api_key.allowed_ips_changed", { name: "k", from: ["::1"], to: null })).toBe("You let k be used from any address again");
    expect(say("api_key.allowed_ips_changed", { name: "k", to: ["1.1.1.1", "1.1.1.2", "1.1.1.3", "1.1.1.4", "1.1.1.5", "1.1.1.6", "1.1.1.7"] })).toBe(
      "You limited k to requests from 1.1.1.1, 1.1.1.2, 1.1.1.3, 1.1.1.4, 1.1.1.5 and 2 more",
    );
    expect(say("api_key.reported_leaked", { hint: "ksk_…abcd", source: "scanner", secret: "current" })).toBe("the key ksk_…abcd was revoked after a secret scanner found its secret");
  });

  it("says how someone confirmed who they are before a sensitive change, and how a confirmation failed", () => {
    expect(say("user.reauthenticated", { method: "password" })).toBe("You confirmed their password to continue with a sensitive change");
    expect(say("user.reauthenticated", {})).toBe("You confirmed their password to continue with a sensitive change");
    expect(say("user.reauthenticated", { method: "passkey", passkey: "Work laptop" })).toBe("You confirmed it's them with the passkey “Work laptop” to continue with a sensitive change");
    expect(say("user.reauthenticated", { method: "totp" })).toBe("You confirmed it's them with a code from their authenticator app to continue with a sensitive change");
    expect(say("user.reauthentication_failed", { method: "totp" }, null)).toBe("A code confirmation was refused: the authenticator code was wrong or already used");
    expect(say("user.reauthentication_failed", { method: "passkey", reason: "invalid" }, null)).toBe("A passkey confirmation was refused: the passkey did not check out");
    expect(say("user.reauthentication_failed", {}, null)).toBe("A password confirmation was refused: the password was wrong");
  });

  it("links the key: its name is a part of its own with the key's id", () => {
    const parts = describeEvent(event("api_key.revoked", { name: "CI deploys" }), "UTC");
    expect(parts).toContainEqual({ key: { id: "k1", name: "CI deploys" } });
    expect(parts).toContainEqual({ actor: "You" });
  });

  it("has words for every action the app writes, never the raw code", () => {
    for (const action of AUDIT_ACTIONS) {
      const text = say(action, { name: "k", email: "a@b.test", role: "member", to: "admin" });
      expect(text, action).not.toContain(action);
      expect(text, action).not.toMatch(/api_key|user\./);
    }
    expect(say("widget.created", {})).toBe("You: widget created");
  });

  it("says what happened to a webhook endpoint, by its URL", () => {
    expect(say("webhook.created", { url: "https://hooks.example.com/in", events: ["key.created", "key.revoked"] })).toBe(
      "You added the webhook endpoint https://hooks.example.com/in for key.created, key.revoked",
    );
    expect(say("webhook.updated", { url: "https://hooks.example.com/in", enabled: false })).toBe("You changed the webhook endpoint https://hooks.example.com/in: disabled it");
    expect(say("webhook.disabled", { url: "https://hooks.example.com/in" })).toBe("The webhook endpoint https://hooks.example.com/in was disabled after its deliveries failed for 3 days");
  });

  it("says what happened in a team, by the team's name, with roles in words", () => {
    expect(say("team.created", { team: "Platform", slug: "platform" })).toBe("You created the team “Platform” at /t/platform");
    expect(say("team.member_added", { team: "Platform", email: "ada@example.test", role: "viewer" })).toBe("You added ada@example.test to the team “Platform” as a viewer");
    expect(say("team.member_role_changed", { team: "Platform", email: "ada@example.test", from: "viewer", to: "admin" })).toBe(
      "You made ada@example.test an admin of the team “Platform” (was a viewer)",
    );
    expect(say("team.ownership_transferred", { team: "Platform", email: "ada@example.test", steppedDown: true })).toBe(
      "You made ada@example.test an owner of the team “Platform” and stepped down to admin",
    );
    expect(say("team.member_left", { slug: "platform", role: "owner" })).toBe("You left the team “platform”, where they were an owner");
    expect(say("team.deleted", {})).toBe("You deleted the team “a team”");
    expect(say("team.deleted", { team: "Platform", keysRevoked: 3 })).toBe("You deleted the team “Platform” and revoked its 3 keys");
  });
});

describe("a user agent in a few words", () => {
  it.each([
    ["Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36", "Chrome on macOS"],
    ["Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0", "Firefox on Windows"],
    ["Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1", "Safari on iOS"],
    ["Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0", "Edge on Windows"],
    ["Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36", "Chrome on Linux"],
    ["curl/8.5.0", "curl"],
    ["node", "Node.js"],
    ["python-requests/2.32.3", "Python"],
    ["SomeInternalTool/1.0 (+https://example.test/a/very/long/path)", "SomeInternalTool/1.0 (+h…"],
  ])("%s", (ua, expected) => {
    expect(shortUserAgent(ua)).toBe(expected);
  });

  it("is nothing for nothing", () => {
    expect(shortUserAgent(null)).toBeNull();
  });
});
