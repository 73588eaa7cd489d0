import { describe, expect, it } from "vitest";
import { needsStepUp, STEP_UP_MINUTES } from "./step-up";

describe("needsStepUp", () => {
  const now = new Date("2026-12-07T12:00:00Z");
  const ago = (ms: number) => new Date(now.getTime() - ms);
  it("is 15 minutes, as the product promises", () => {
    expect(STEP_UP_MINUTES).toBe(15);
  });
  it("accepts an authentication up to and including 15 minutes old, and asks after", () => {
    expect(needsStepUp({ authenticatedAt: ago(0) }, now)).toBe(false);
    expect(needsStepUp({ authenticatedAt: ago(15 * 60_000) }, now)).toBe(false);
    expect(needsStepUp({ authenticatedAt: ago(15 * 60_000 + 1) }, now)).toBe(true);
  });
  it("fails closed for a session that does not say when it authenticated", () => {
    expect(needsStepUp({}, now)).toBe(true);
  });
  it("never asks a key (it cannot type a password)", () => {
    expect(needsStepUp({ key: { id: "k" } }, now)).toBe(false);
    expect(needsStepUp({ key: { id: "k" }, authenticatedAt: ago(60 * 60_000) }, now)).toBe(false);
  });
});
