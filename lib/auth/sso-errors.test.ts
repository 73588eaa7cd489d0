import { describe, expect, it } from "vitest";
import { SSO_REFUSALS } from "../accounts/sso-policy";
import { messageOf } from "../errors";
import { ssoErrorMessage } from "./sso-errors";

describe("what the sign-in page says after a failed single sign-on", () => {
  it("has a sentence for every refusal and every Auth.js error an OIDC sign-in can end with, never the code", () => {
    for (const code of [...SSO_REFUSALS, "InvalidCheck", "OAuthCallbackError", "CallbackRouteError", "OAuthSignInError", "Configuration", "AccessDenied", "sso_unavailable"]) {
      const sentence = ssoErrorMessage(code);
      expect(sentence, code).toMatch(/^[A-Z].+\.$/);
      expect(sentence, code).not.toContain(code);
    }
  });

  it("says what a password sign-in says for a suspended account", () => {
    expect(ssoErrorMessage("sso_account_suspended")).toBe(messageOf("account_suspended"));
  });

  it("answers an unknown code with the general sentence (it may be typed into the URL by anyone), and nothing for none", () => {
    expect(ssoErrorMessage("<script>alert(1)</script>")).toBe("Single sign-on did not complete. Start the sign-in again from this page.");
    expect(ssoErrorMessage("")).toBeNull();
    expect(ssoErrorMessage(undefined)).toBeNull();
  });
});
