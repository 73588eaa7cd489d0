import { describe, expect, it } from "vitest";
import { dummyPasswordHash, hashPassword, verifyPassword } from "./password";

describe("passwords", () => {
  it("are hashed with argon2id at OWASP's minimum cost, salted, and verify", async () => {
    const password = "correct horse battery staple";
    const a = await hashPassword(password);
    const b = await hashPassword(password);
    expect(a).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(a).not.toBe(b); // a fresh salt each time
    expect(await verifyPassword(a, password)).toBe(true);
    expect(await verifyPassword(a, "wrong password")).toBe(false);
    expect(await verifyPassword("not a hash", password)).toBe(false);
  });

  it("has a dummy hash of the same cost for unknown emails", async () => {
    expect(await dummyPasswordHash()).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  });
});
