import { describe, expect, it } from "vitest";
import { AppError, isDatabaseUnavailable, isUniqueViolation } from "./errors";
import { clientIp } from "./request-context";

describe("errors", () => {
  it("maps codes to statuses and user sentences", () => {
    const e = new AppError("key_not_found");
    expect(e.status).toBe(404);
    expect(e.message).toMatch(/not found/);
    expect(new AppError("key_name_taken").status).toBe(409);
  });
  it("recognises unique violations and unavailable databases through wrappers", () => {
    const pgError = Object.assign(new Error("dup"), { code: "23505", constraint: "api_keys_user_name_key" });
    const wrapped = new Error("Failed query", { cause: pgError });
    expect(isUniqueViolation(wrapped, "api_keys_user_name_key")).toBe(true);
    expect(isUniqueViolation(wrapped, "users_email_key")).toBe(false);
    expect(isDatabaseUnavailable(new Error("x", { cause: Object.assign(new Error("refused"), { code: "ECONNREFUSED" }) }))).toBe(true);
    expect(isDatabaseUnavailable(Object.assign(new Error("shutdown"), { code: "57P01" }))).toBe(true);
    expect(isDatabaseUnavailable(Object.assign(new Error("deadlock detected"), { code: "40P01" }))).toBe(true);
    expect(isDatabaseUnavailable(new Error("Failed query", { cause: Object.assign(new Error("could not serialize"), { code: "40001" }) }))).toBe(true);
    expect(isDatabaseUnavailable(Object.assign(new Error("duplicate key"), { code: "23505" }))).toBe(false);
    expect(isDatabaseUnavailable(new Error("syntax error"))).toBe(false);
  });
  it("treats a connection lost under a query, a timeout or a cancelled statement as unavailable, not as a bug", () => {
    const failedQuery = (cause: Error) => new Error("Failed query: select 1\nparams: ", { cause });
    expect(isDatabaseUnavailable(failedQuery(new Error("Connection terminated unexpectedly")))).toBe(true);
    expect(isDatabaseUnavailable(failedQuery(new Error("Query read timeout")))).toBe(true);
    expect(isDatabaseUnavailable(failedQuery(Object.assign(new Error("canceling statement due to statement timeout"), { code: "57014" })))).toBe(true);
    expect(isDatabaseUnavailable(failedQuery(Object.assign(new Error("too many clients"), { code: "53300" })))).toBe(true);
    expect(isDatabaseUnavailable(failedQuery(Object.assign(new Error("null value"), { code: "23502" })))).toBe(false);
    expect(isDatabaseUnavailable(failedQuery(new Error("column \"x\" does not exist")))).toBe(false);
  });
});

describe("clientIp", () => {
  it("takes the address the nearest trusted hop saw, ignoring what the client prepended", () => {
    const h = new Headers({ "x-forwarded-for": "6.6.6.6, 198.51.100.4, 10.0.0.2" });
    expect(clientIp(h)).toBe("10.0.0.2");
    process.env.TRUSTED_PROXY_HOPS = "1";
    expect(clientIp(h)).toBe("10.0.0.2");
    process.env.TRUSTED_PROXY_HOPS = "2";
    expect(clientIp(h)).toBe("198.51.100.4");
    process.env.TRUSTED_PROXY_HOPS = "9";
    expect(clientIp(h)).toBe("6.6.6.6");
    delete process.env.TRUSTED_PROXY_HOPS;
    expect(clientIp(new Headers({ "x-forwarded-for": "::ffff:127.0.0.1" }))).toBe("127.0.0.1");
    expect(clientIp(new Headers())).toBeNull();
  });
});
