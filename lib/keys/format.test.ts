import { describe, expect, it } from "vitest";
import {
  KEY_LENGTH,
  KEY_PATTERN,
  checksumOf,
  crc32,
  generateKey,
  isWellFormedKey,
  keyHint,
  toBase62,
} from "./format";

describe("key format", () => {
  it("matches the published pattern, has a fixed length and never repeats", () => {
    const keys = new Set<string>();
    for (let i = 0; i < 10_000; i++) {
      const key = generateKey();
      expect(key).toMatch(KEY_PATTERN);
      expect(key).toHaveLength(KEY_LENGTH);
      expect(isWellFormedKey(key)).toBe(true);
      keys.add(key);
    }
    expect(keys.size).toBe(10_000);
  });

  it("uses every base62 character roughly evenly (no modulo bias)", () => {
    const counts = new Map<string, number>();
    for (let i = 0; i < 2_000; i++) {
      for (const c of generateKey().slice(4, 34)) counts.set(c, (counts.get(c) ?? 0) + 1);
    }
    expect(counts.size).toBe(62);
    const expected = (2_000 * 30) / 62;
    for (const n of counts.values()) expect(Math.abs(n - expected) / expected).toBeLessThan(0.2);
  });

  it("computes the standard CRC32 and pads the base62 checksum to six characters", () => {
    expect(crc32("123456789")).toBe(0xcbf43926);
    expect(crc32("")).toBe(0);
    expect(toBase62(0, 6)).toBe("000000");
    expect(toBase62(61, 6)).toBe("00000z");
    expect(toBase62(0xffffffff, 6)).toHaveLength(6);
    expect(checksumOf("a")).toHaveLength(6);
  });

  it("rejects every single-character change of a valid key", () => {
    const key = generateKey();
    const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    for (let i = 4; i < key.length; i++) {
      for (const c of alphabet) {
        if (c === key[i]) continue;
        const mutated = key.slice(0, i) + c + key.slice(i + 1);
        expect(isWellFormedKey(mutated), mutated).toBe(false);
      }
    }
  });

  it("rejects wrong prefixes, lengths and characters", () => {
    const key = generateKey();
    expect(isWellFormedKey(key.replace("ksk_", "ksx_"))).toBe(false);
    expect(isWellFormedKey(key + "a")).toBe(false);
    expect(isWellFormedKey(key.slice(0, -1))).toBe(false);
    expect(isWellFormedKey(key.replace(/.$/, "-"))).toBe(false);
    expect(isWellFormedKey(` ${key}`)).toBe(false);
    expect(isWellFormedKey("")).toBe(false);
    expect(isWellFormedKey("x".repeat(10_000))).toBe(false);
  });

  it("hints with the prefix and last four characters only", () => {
    const key = generateKey();
    expect(keyHint(key)).toBe(`ksk_…${key.slice(-4)}`);
    expect(keyHint(key)).not.toContain(key.slice(4, 20));
  });
});
