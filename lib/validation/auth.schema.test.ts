import { describe, expect, it } from "vitest";
import { signInSchema, signUpSchema } from "./auth.schema";

describe("auth schemas", () => {
  it("normalises the email and requires a 12+ character password", () => {
    const ok = signUpSchema.safeParse({ name: " Ada ", email: " Ada@Example.COM ", password: "x".repeat(12) });
    expect(ok.success && ok.data).toMatchObject({ name: "Ada", email: "ada@example.com" });
    const short = signUpSchema.safeParse({ name: "Ada", email: "ada@example.com", password: "x".repeat(11) });
    expect(short.success).toBe(false);
  });
  it("rejects bad emails, empty names and over-long passwords", () => {
    expect(signUpSchema.safeParse({ name: "", email: "a@b.co", password: "x".repeat(12) }).success).toBe(false);
    expect(signUpSchema.safeParse({ name: "A", email: "nope", password: "x".repeat(12) }).success).toBe(false);
    expect(signUpSchema.safeParse({ name: "A", email: "a@b.co", password: "x".repeat(257) }).success).toBe(false);
    expect(signInSchema.safeParse({ email: "a@b.co", password: "" }).success).toBe(false);
  });
});
