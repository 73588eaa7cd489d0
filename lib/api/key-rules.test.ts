import { describe, expect, it } from "vitest";
import type { VerifiedKey } from "../keys/verify";
import { ApiProblem } from "./http";
import { assertCurrentSecret } from "./key-rules";

const key = (viaPreviousSecret: boolean): VerifiedKey => ({
  id: "00000000-0000-4000-8000-000000000001",
  name: "ci",
  access: "full",
  scopes: ["keys:rotate"],
  expiresAt: null,
  owner: { id: "00000000-0000-4000-8000-000000000002", email: "a@example.test", name: "A", role: "member" },
  viaPreviousSecret,
});

describe("assertCurrentSecret", () => {
  it("lets the current secret through", () => {
    expect(() => assertCurrentSecret({ key: key(false), ip: null })).not.toThrow();
  });

  it("refuses a previous secret with 403 previous_secret and says what to do", async () => {
    const problem = (() => {
      try {
        assertCurrentSecret({ key: key(true), ip: null });
      } catch (e) {
        return e;
      }
    })();
    expect(problem).toBeInstanceOf(ApiProblem);
    const response = (problem as ApiProblem).response;
    expect(response.status).toBe(403);
    const body = await response.json();
    expect(body.error.code).toBe("previous_secret");
    expect(body.error.message).toMatch(/current secret/);
  });
});
