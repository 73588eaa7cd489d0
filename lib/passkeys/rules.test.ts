import { describe, expect, it } from "vitest";
import { CHALLENGE_LIFETIME_MS, counterVerdict, relyingPartyFor } from "./rules";

describe("relyingPartyFor", () => {
  it("takes the RP ID and origin from APP_URL", () => {
    expect(relyingPartyFor({ appUrl: "https://keys.example.com/", isProduction: true })).toEqual({ rpID: "keys.example.com", origin: "https://keys.example.com" });
    expect(relyingPartyFor({ appUrl: "https://keys.example.com:8443", isProduction: true, requestOrigin: "http://localhost:3000" })).toEqual({
      rpID: "keys.example.com",
      origin: "https://keys.example.com:8443",
    });
  });

  it("uses the request's origin only outside production and only on localhost", () => {
    expect(relyingPartyFor({ isProduction: false, requestOrigin: "http://localhost:3000" })).toEqual({ rpID: "localhost", origin: "http://localhost:3000" });
    expect(relyingPartyFor({ isProduction: true, requestOrigin: "http://localhost:3000" })).toBeNull();
    expect(relyingPartyFor({ isProduction: false, requestOrigin: "https://evil.example" })).toBeNull();
    expect(relyingPartyFor({ isProduction: false, requestOrigin: "http://127.0.0.1:3000" })).toBeNull();
    expect(relyingPartyFor({ isProduction: false })).toBeNull();
  });

  it("refuses what WebAuthn refuses: IP addresses and plain http off localhost", () => {
    expect(relyingPartyFor({ appUrl: "http://127.0.0.1:3000", isProduction: true })).toBeNull();
    expect(relyingPartyFor({ appUrl: "http://[::1]:3000", isProduction: true })).toBeNull();
    expect(relyingPartyFor({ appUrl: "http://keys.example.com", isProduction: true })).toBeNull();
    expect(relyingPartyFor({ appUrl: "not a url", isProduction: true })).toBeNull();
    expect(relyingPartyFor({ appUrl: "http://localhost:3778", isProduction: true })).toEqual({ rpID: "localhost", origin: "http://localhost:3778" });
  });
});

describe("counterVerdict", () => {
  it("accepts authenticators that keep no counter", () => {
    expect(counterVerdict(0, 0)).toBe("ok");
  });
  it("accepts a counter that grew, from any start", () => {
    expect(counterVerdict(0, 1)).toBe("ok");
    expect(counterVerdict(41, 42)).toBe("ok");
    expect(counterVerdict(5, 900)).toBe("ok");
  });
  it("refuses a counter that stayed or went back (a cloned authenticator)", () => {
    expect(counterVerdict(42, 42)).toBe("regressed");
    expect(counterVerdict(42, 41)).toBe("regressed");
    expect(counterVerdict(42, 0)).toBe("regressed");
  });
});

it("a challenge lives five minutes", () => {
  expect(CHALLENGE_LIFETIME_MS).toBe(300_000);
});
