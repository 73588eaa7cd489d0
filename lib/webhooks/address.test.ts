import { describe, expect, it } from "vitest";
import { parseAllowlist } from "../keys/cidr";
import { BLOCKED_RANGES, addressBlocked, endpointUrlProblem, parseAllowedHosts } from "./address";

describe("the SSRF guard's rules", () => {
  it("writes every blocked range in a form the CIDR parser accepts", () => {
    expect(parseAllowlist([...BLOCKED_RANGES])).toEqual({ ok: true, entries: [...BLOCKED_RANGES] });
  });

  it.each([
    "127.0.0.1",
    "127.255.255.254",
    "10.1.2.3",
    "172.16.0.1",
    "172.31.255.255",
    "192.168.1.1",
    "169.254.169.254",
    "100.64.0.1",
    "0.0.0.0",
    "224.0.0.1",
    "255.255.255.255",
    "::1",
    "::",
    "::ffff:127.0.0.1",
    "::ffff:10.0.0.1",
    "fd00:ec2::254",
    "fe80::1",
    "64:ff9b::a00:1",
    "2002:a00:1::",
    "not an address",
  ])("blocks %s", (ip) => {
    expect(addressBlocked(ip)).toBe(true);
  });

  it.each(["93.184.216.34", "1.1.1.1", "172.32.0.1", "2606:4700:4700::1111", "::ffff:8.8.8.8"])("lets %s through", (ip) => {
    expect(addressBlocked(ip)).toBe(false);
  });

  it("refuses plain http, credentials, literal private addresses and localhost, but for the operator's host:port entries", () => {
    const none = new Set<string>();
    expect(endpointUrlProblem("https://hooks.example.com/keysmith", none)).toBeNull();
    expect(endpointUrlProblem("http://hooks.example.com/keysmith", none)).toBe("not_https");
    expect(endpointUrlProblem("ftp://hooks.example.com/", none)).toBe("malformed");
    expect(endpointUrlProblem("hooks.example.com/keysmith", none)).toBe("malformed");
    expect(endpointUrlProblem("https://user:pw@hooks.example.com/", none)).toBe("credentials");
    expect(endpointUrlProblem("https://10.0.0.5/hook", none)).toBe("blocked_address");
    expect(endpointUrlProblem("https://[::1]/hook", none)).toBe("blocked_address");
    expect(endpointUrlProblem("https://[::ffff:169.254.169.254]/", none)).toBe("blocked_address");
    expect(endpointUrlProblem("https://localhost/hook", none)).toBe("blocked_address");
    expect(endpointUrlProblem("https://api.localhost/hook", none)).toBe("blocked_address");
    const allowed = parseAllowedHosts(" 127.0.0.1:4000 ,Hooks.Internal:8443,[::1]:9000, junk, also:bad:1");
    expect([...allowed]).toEqual(["127.0.0.1:4000", "hooks.internal:8443", "[::1]:9000"]);
    expect(endpointUrlProblem("http://127.0.0.1:4000/hook", allowed)).toBeNull();
    expect(endpointUrlProblem("https://hooks.internal:8443/x", allowed)).toBeNull();
    expect(endpointUrlProblem("http://[::1]:9000/x", allowed)).toBeNull();
    // Another port of an allowed host is not allowed.
    expect(endpointUrlProblem("http://127.0.0.1:4001/hook", allowed)).toBe("not_https");
    expect(endpointUrlProblem("https://127.0.0.1/hook", allowed)).toBe("blocked_address");
  });
});
