import { describe, expect, it } from "vitest";
import { ALLOWED_IPS_MAX, allowlistWithin, ipAllowed, parseAddress, parseAllowedIp, parseAllowlist, splitAllowlistText } from "./cidr";

const entry = (raw: string) => {
  const r = parseAllowedIp(raw);
  return r.ok ? r.entry : `ERR ${r.error}`;
};

describe("parseAllowedIp: canonical entries", () => {
  it.each([
    ["203.0.113.7", "203.0.113.7"],
    ["203.0.113.7/32", "203.0.113.7"],
    ["  203.0.113.0/24\t", "203.0.113.0/24"],
    ["10.0.0.0/8", "10.0.0.0/8"],
    ["0.0.0.0/0", "0.0.0.0/0"],
    ["255.255.255.255", "255.255.255.255"],
    ["2001:DB8::/32", "2001:db8::/32"],
    ["2001:0db8:0000:0000:0000:0000:0000:0001", "2001:db8::1"],
    ["2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"], // the first of two equal zero runs
    ["2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"], // a single zero group is not compressed
    ["::1", "::1"],
    ["::1/128", "::1"],
    ["::/0", "::/0"],
    ["::", "::"],
    ["fe80::/10", "fe80::/10"],
    ["64:ff9b::192.0.2.33", "64:ff9b::c000:221"],
    ["::ffff:10.0.0.1", "10.0.0.1"], // IPv4-mapped: written as IPv4
    ["::ffff:10.0.0.0/104", "10.0.0.0/8"],
    ["::ffff:0:0/96", "0.0.0.0/0"],
  ])("%s -> %s", (raw, want) => {
    expect(entry(raw)).toBe(want);
  });
});

describe("parseAllowedIp: refusals say what is wrong", () => {
  it.each([
    ["", /empty/],
    ["   ", /empty/],
    ["example.com", /not an IP address/],
    ["localhost", /not an IP address/],
    ["10.0.0", /not an IP address/],
    ["10.0.0.256", /not an IP address/],
    ["010.0.0.1", /not an IP address/], // leading zeros: octal to some tools
    ["10.0.0.1.", /not an IP address/],
    ["1.2.3.4::", /not an IP address/],
    ["1:2:3:4:5:6:7:8:9", /not an IP address/],
    ["1::2::3", /not an IP address/],
    ["1:2:3:4:5:6:7::8", /not an IP address/],
    ["12345::", /not an IP address/],
    ["gggg::", /not an IP address/],
    ["10.0.0.0/33", /prefix length.*\/0 to \/32/],
    ["2001:db8::/129", /prefix length.*\/0 to \/128/],
    ["10.0.0.0/", /prefix length/],
    ["10.0.0.0/08", /prefix length/],
    ["10.0.0.0/-1", /range/],
    ["10.0.0.1-10.0.0.9", /range/],
    ["fe80::1%eth0", /zone/],
    ["fe80::1%25eth0", /zone/],
    ["10.0.0.1/8", /Did you mean 10\.0\.0\.0\/8\?/],
    ["2001:db8::1/32", /Did you mean 2001:db8::\/32\?/],
    ["192.168.1.1/0", /Did you mean 0\.0\.0\.0\/0\?/],
    ["１０.0.0.1", /characters an IP address never has/], // full-width digits
    ["10.0.0.1\u200b", /characters an IP address never has/],
    ["10.0.0.1 /8", /characters/],
    ["x".repeat(65), /longer than 64/],
  ])("%j is refused", (raw, message) => {
    const r = parseAllowedIp(raw);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(message);
  });
});

describe("parseAllowlist", () => {
  it("canonicalizes, drops duplicates (after canonicalizing) and keeps the order", () => {
    expect(parseAllowlist(["10.0.0.0/8", "2001:DB8::/32", "10.0.0.0/8", "2001:db8:0::/32", "1.2.3.4/32", "1.2.3.4"])).toEqual({
      ok: true,
      entries: ["10.0.0.0/8", "2001:db8::/32", "1.2.3.4"],
    });
  });
  it("an empty list is valid (no restriction)", () => {
    expect(parseAllowlist([])).toEqual({ ok: true, entries: [] });
  });
  it("names every bad entry, up to ten", () => {
    const r = parseAllowlist(["10.0.0.1/8", "nope", "1.2.3.4", ...Array.from({ length: 20 }, (_, i) => `bad${i}`)]);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.errors).toHaveLength(10);
      expect(r.errors[0]).toMatch(/10\.0\.0\.0\/8/);
      expect(r.errors[1]).toMatch(/“nope”/);
    }
  });
  it(`refuses more than ${ALLOWED_IPS_MAX} distinct entries, but not duplicates that collapse`, () => {
    const many = Array.from({ length: ALLOWED_IPS_MAX + 1 }, (_, i) => `10.0.${i}.0/24`);
    const r = parseAllowlist(many);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]).toMatch(/At most 100/);
    expect(parseAllowlist([...many.slice(0, 100), "10.0.0.0/24"]).ok).toBe(true);
  });
});

describe("splitAllowlistText", () => {
  it("reads one entry per line or comma separated, blank lines and spaces ignored", () => {
    expect(splitAllowlistText(" 10.0.0.0/8\r\n\n2001:db8::/32, 1.2.3.4 ,,\n")).toEqual(["10.0.0.0/8", "2001:db8::/32", "1.2.3.4"]);
    expect(splitAllowlistText("  \n ")).toEqual([]);
  });
});

describe("ipAllowed", () => {
  it("no list allows anything, even an unknown address", () => {
    expect(ipAllowed(null, "1.2.3.4")).toBe(true);
    expect(ipAllowed(undefined, null)).toBe(true);
  });
  it("a list refuses an unknown or unparsable client address", () => {
    expect(ipAllowed(["0.0.0.0/0", "::/0"], null)).toBe(false);
    expect(ipAllowed(["0.0.0.0/0", "::/0"], "")).toBe(false);
    expect(ipAllowed(["0.0.0.0/0", "::/0"], "unknown")).toBe(false);
    expect(ipAllowed(["0.0.0.0/0"], "10.0.0.1/8")).toBe(false);
  });
  it("IPv4 blocks at the edges", () => {
    const list = ["10.0.0.0/8", "192.0.2.7"];
    expect(ipAllowed(list, "10.0.0.0")).toBe(true);
    expect(ipAllowed(list, "10.255.255.255")).toBe(true);
    expect(ipAllowed(list, "11.0.0.0")).toBe(false);
    expect(ipAllowed(list, "9.255.255.255")).toBe(false);
    expect(ipAllowed(list, "192.0.2.7")).toBe(true);
    expect(ipAllowed(list, "192.0.2.8")).toBe(false);
    expect(ipAllowed(["0.0.0.0/0"], "255.255.255.255")).toBe(true);
    expect(ipAllowed(["128.0.0.0/1"], "127.255.255.255")).toBe(false);
    expect(ipAllowed(["128.0.0.0/1"], "128.0.0.0")).toBe(true);
    expect(ipAllowed(["255.255.255.255"], "255.255.255.255")).toBe(true);
  });
  it("IPv6 blocks at the edges, in any spelling of the client address", () => {
    const list = ["2001:db8::/32", "::1"];
    expect(ipAllowed(list, "2001:db8::")).toBe(true);
    expect(ipAllowed(list, "2001:DB8:ffff:ffff:ffff:ffff:ffff:ffff")).toBe(true);
    expect(ipAllowed(list, "2001:db9::")).toBe(false);
    expect(ipAllowed(list, "2001:db7:ffff::")).toBe(false);
    expect(ipAllowed(list, "0:0:0:0:0:0:0:1")).toBe(true);
    expect(ipAllowed(list, "::2")).toBe(false);
    expect(ipAllowed(["::/0"], "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")).toBe(true);
    expect(ipAllowed(["2001:db8::1:0/127"], "2001:db8::1:1")).toBe(true);
    expect(ipAllowed(["2001:db8::1:0/127"], "2001:db8::1:2")).toBe(false);
    // A prefix that ends inside the third word.
    expect(ipAllowed(["2001:db8:aa00::/72"], "2001:db8:aa00:0:00ff::")).toBe(true);
    expect(ipAllowed(["2001:db8:aa00::/72"], "2001:db8:aa00:0:100::")).toBe(false);
  });
  it("an IPv4-mapped client address matches IPv4 blocks (and not IPv6 ::/0)", () => {
    expect(ipAllowed(["10.0.0.0/8"], "::ffff:10.0.0.1")).toBe(true);
    expect(ipAllowed(["10.0.0.0/8"], "::FFFF:0a00:0001")).toBe(true);
    expect(ipAllowed(["10.0.0.0/8"], "::ffff:11.0.0.1")).toBe(false);
    expect(ipAllowed(["::/0"], "::ffff:10.0.0.1")).toBe(false);
  });
  it("IPv4 never matches IPv6 blocks and back", () => {
    expect(ipAllowed(["::/0"], "10.0.0.1")).toBe(false);
    expect(ipAllowed(["0.0.0.0/0"], "::1")).toBe(false);
  });
  it("a zone on the client address is no match", () => {
    expect(ipAllowed(["fe80::/10"], "fe80::1%eth0")).toBe(false);
  });
  it("gives the same answer for the same array checked again (compiled once) and for an equal new array", () => {
    const list = ["10.0.0.0/8"];
    expect(ipAllowed(list, "10.1.2.3")).toBe(true);
    expect(ipAllowed(list, "10.1.2.3")).toBe(true);
    expect(ipAllowed([...list], "12.1.2.3")).toBe(false);
  });
});

describe("parseAddress", () => {
  it("reads client addresses, IPv4-mapped as IPv4", () => {
    expect(parseAddress("::ffff:192.0.2.1")).toEqual({ version: 4, words: [0xc0000201] });
    expect(parseAddress("192.0.2.1")).toEqual({ version: 4, words: [0xc0000201] });
    expect(parseAddress("::1")?.version).toBe(6);
    expect(parseAddress("192.0.2.1/32")).toBeNull();
  });
});

describe("allowlistWithin", () => {
  it("null outer contains anything; null inner is only within null", () => {
    expect(allowlistWithin(null, null)).toBe(true);
    expect(allowlistWithin(["10.0.0.0/8"], null)).toBe(true);
    expect(allowlistWithin(null, ["0.0.0.0/0"])).toBe(false);
  });
  it("every inner block must lie inside one outer block", () => {
    expect(allowlistWithin(["10.1.0.0/16", "10.2.3.4"], ["10.0.0.0/8"])).toBe(true);
    expect(allowlistWithin(["10.0.0.0/8"], ["10.0.0.0/8"])).toBe(true);
    expect(allowlistWithin(["10.0.0.0/7"], ["10.0.0.0/8"])).toBe(false);
    expect(allowlistWithin(["10.0.0.0/8", "11.0.0.1"], ["10.0.0.0/8"])).toBe(false);
    expect(allowlistWithin(["2001:db8:1::/48"], ["2001:db8::/32", "10.0.0.0/8"])).toBe(true);
    expect(allowlistWithin(["2001:db8::/31"], ["2001:db8::/32"])).toBe(false);
    expect(allowlistWithin(["10.0.0.1"], ["::/0"])).toBe(false);
  });
});
