// A key's IP allowlist: which client addresses may use it. Pure rules, no I/O. One entry is an
// IPv4 or IPv6 address (one host) or a CIDR block; nothing else (no host names, no "a-b" ranges).
// Entries are canonical when stored (lower case, IPv6 compressed as RFC 5952 says, a single host
// without its /32 or /128, an IPv4-mapped IPv6 entry written as IPv4), so the same network is
// written one way and duplicates can be dropped. A block with bits set past its prefix
// (10.0.0.1/8) is refused, naming the network it would be (10.0.0.0/8), as Stripe does: quietly
// widening 10.0.0.1/8 to a whole /8 could let in far more than the person meant.
//
// The matcher runs on the verification path: a list is compiled once into numbers (compiled lists
// are kept per stored array, so a cached lookup row compiles once) and a check is a few integer
// compares per block, no regular expression and no allocation beyond parsing the client address.

import { ALLOWED_IP_ENTRY_MAX, ALLOWED_IPS_MAX } from "../validation/allowed-ips.limits";

export { ALLOWED_IP_ENTRY_MAX, ALLOWED_IPS_MAX };

/** An address as 32-bit words: one for IPv4, four for IPv6 (most significant first). */
type Words = number[];
type Address = { version: 4 | 6; words: Words };
type Block = { version: 4 | 6; words: Words; prefix: number };

export type EntryResult = { ok: true; entry: string } | { ok: false; error: string };

function parseIPv4(text: string): Words | null {
  const parts = text.split(".");
  if (parts.length !== 4) return null;
  let value = 0;
  for (const part of parts) {
    // Digits only, no leading zero (0-prefixed octets read as octal by some tools: ambiguous).
    if (part.length === 0 || part.length > 3 || (part.length > 1 && part[0] === "0")) return null;
    let n = 0;
    for (let i = 0; i < part.length; i++) {
      const c = part.charCodeAt(i) - 48;
      if (c < 0 || c > 9) return null;
      n = n * 10 + c;
    }
    if (n > 255) return null;
    value = value * 256 + n;
  }
  return [value >>> 0];
}

function parseGroup(group: string): number | null {
  if (group.length === 0 || group.length > 4) return null;
  let n = 0;
  for (let i = 0; i < group.length; i++) {
    const c = group.charCodeAt(i);
    const d = c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : c >= 65 && c <= 70 ? c - 55 : -1;
    if (d < 0) return null;
    n = n * 16 + d;
  }
  return n;
}

/** The groups of one side of "::" into `out` (embedded IPv4 allowed only at the very end); false if malformed. */
function pushGroups(half: string, out: number[], mayEndInIPv4: boolean): boolean {
  if (half === "") return true;
  const parts = half.split(":");
  const last = parts.length - 1;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    if (i === last && mayEndInIPv4 && part.length > 4 && part.includes(".")) {
      const v4 = parseIPv4(part);
      if (!v4) return false;
      out.push(v4[0]! >>> 16, v4[0]! & 0xffff);
      continue;
    }
    const g = parseGroup(part);
    if (g === null) return false;
    out.push(g);
  }
  return true;
}

function parseIPv6(text: string): Words | null {
  if (text.length < 2 || text.length > 45) return null;
  const gap = text.indexOf("::");
  const groups: number[] = [];
  if (gap < 0) {
    if (!pushGroups(text, groups, true) || groups.length !== 8) return null;
  } else {
    if (text.indexOf("::", gap + 1) >= 0) return null;
    const tail: number[] = [];
    if (!pushGroups(text.slice(0, gap), groups, false) || !pushGroups(text.slice(gap + 2), tail, true)) return null;
    const missing = 8 - groups.length - tail.length;
    if (missing < 1) return null;
    for (let i = 0; i < missing; i++) groups.push(0);
    for (const g of tail) groups.push(g);
  }
  return [
    ((groups[0]! << 16) | groups[1]!) >>> 0,
    ((groups[2]! << 16) | groups[3]!) >>> 0,
    ((groups[4]! << 16) | groups[5]!) >>> 0,
    ((groups[6]! << 16) | groups[7]!) >>> 0,
  ];
}

/** An IPv4-mapped IPv6 address (::ffff:a.b.c.d) as its IPv4 address; other addresses as they are. */
function unmap(address: Address): Address {
  const w = address.words;
  if (address.version === 6 && w[0] === 0 && w[1] === 0 && w[2] === 0xffff) return { version: 4, words: [w[3]!] };
  return address;
}

/** A client address (no prefix, no zone), IPv4-mapped IPv6 read as IPv4; null when it is not one. */
export function parseAddress(text: string): Address | null {
  if (text.includes(":")) {
    const words = parseIPv6(text);
    return words ? unmap({ version: 6, words }) : null;
  }
  const words = parseIPv4(text);
  return words ? { version: 4, words } : null;
}

function formatIPv4(word: number): string {
  return [word >>> 24, (word >>> 16) & 255, (word >>> 8) & 255, word & 255].join(".");
}

/** RFC 5952: lower case, no leading zeros, the longest run of two or more zero groups as "::" (the first if tied). */
function formatIPv6(words: Words): string {
  const groups = words.flatMap((w) => [w >>> 16, w & 0xffff]);
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(":");
  return `${hex.slice(0, bestStart).join(":")}::${hex.slice(bestStart + bestLength).join(":")}`;
}

function formatAddress(version: 4 | 6, words: Words): string {
  return version === 4 ? formatIPv4(words[0]!) : formatIPv6(words);
}

/** The mask of word `i` of a block with `prefix` bits. */
function maskWord(prefix: number, i: number): number {
  const bits = Math.min(32, Math.max(0, prefix - 32 * i));
  return bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
}

function networkOf(words: Words, prefix: number): Words {
  return words.map((w, i) => (w & maskWord(prefix, i)) >>> 0);
}

/** One block, or why not. `shown` is the entry as typed (trimmed), for the messages. */
function parseBlock(shown: string): { ok: true; block: Block } | { ok: false; error: string } {
  const invalid = (why: string) => ({ ok: false as const, error: `“${shown}” ${why}` });
  if (shown.includes("%")) return invalid("has a zone (%…): zones are local to one machine. Leave the zone out.");
  if (shown.includes("-")) return invalid("is a range: write it as one or more CIDR blocks, e.g. 203.0.113.0/24.");
  const slash = shown.indexOf("/");
  const addressText = slash < 0 ? shown : shown.slice(0, slash);
  const prefixText = slash < 0 ? null : shown.slice(slash + 1);
  const parsed = addressText.includes(":")
    ? (() => {
        const words = parseIPv6(addressText);
        return words ? { version: 6 as const, words } : null;
      })()
    : (() => {
        const words = parseIPv4(addressText);
        return words ? { version: 4 as const, words } : null;
      })();
  if (!parsed) return invalid("is not an IP address or CIDR block. Use e.g. 203.0.113.7, 203.0.113.0/24 or 2001:db8::/32.");
  const max = parsed.version === 4 ? 32 : 128;
  let prefix = max;
  if (prefixText !== null) {
    if (!/^(0|[1-9][0-9]{0,2})$/.test(prefixText) || Number(prefixText) > max) {
      return invalid(`has an invalid prefix length: use /0 to /${max} for an IPv${parsed.version} block.`);
    }
    prefix = Number(prefixText);
  }
  let block: Block = { version: parsed.version, words: parsed.words, prefix };
  // An IPv4-mapped block (::ffff:10.0.0.0/104) is an IPv4 block: written and matched as one.
  const mapped = unmap({ version: parsed.version, words: parsed.words });
  if (parsed.version === 6 && mapped.version === 4 && prefix >= 96) block = { version: 4, words: mapped.words, prefix: prefix - 96 };
  const network = networkOf(block.words, block.prefix);
  if (network.some((w, i) => w !== block.words[i])) {
    const named = `${formatAddress(block.version, network)}/${block.prefix}`;
    return invalid(`has bits set past its /${block.prefix} prefix. Did you mean ${named}? Write the network address, or the single address without a prefix.`);
  }
  return { ok: true, block };
}

function canonical(block: Block): string {
  const address = formatAddress(block.version, block.words);
  return block.prefix === (block.version === 4 ? 32 : 128) ? address : `${address}/${block.prefix}`;
}

/** One allowlist entry, canonical, or a sentence saying what is wrong with it. Surrounding whitespace is ignored. */
export function parseAllowedIp(raw: string): EntryResult {
  const shown = raw.trim();
  if (shown.length === 0) return { ok: false, error: "An entry is empty." };
  if (shown.length > ALLOWED_IP_ENTRY_MAX) return { ok: false, error: `An entry is longer than ${ALLOWED_IP_ENTRY_MAX} characters: an address or CIDR block is at most 43.` };
  // Printable ASCII only: a look-alike digit or an invisible character is never an address.
  if (!/^[\x21-\x7e]+$/.test(shown)) return { ok: false, error: `“${shown}” contains characters an IP address never has.` };
  const parsed = parseBlock(shown);
  return parsed.ok ? { ok: true, entry: canonical(parsed.block) } : parsed;
}

export type AllowlistResult = { ok: true; entries: string[] } | { ok: false; errors: string[] };

/**
 * A whole list: each entry canonical, duplicates (after canonicalizing) dropped, in the order
 * given. Every bad entry is named (up to ten messages). An empty list is valid: no restriction.
 */
export function parseAllowlist(raw: readonly string[]): AllowlistResult {
  const entries: string[] = [];
  const errors: string[] = [];
  for (const item of raw) {
    const result = parseAllowedIp(item);
    if (!result.ok) errors.push(result.error);
    else if (!entries.includes(result.entry)) entries.push(result.entry);
  }
  if (errors.length > 0) return { ok: false, errors: errors.slice(0, 10) };
  if (entries.length > ALLOWED_IPS_MAX) return { ok: false, errors: [`At most ${ALLOWED_IPS_MAX} addresses or blocks; this list has ${entries.length}. Combine them into wider blocks.`] };
  return { ok: true, entries };
}

/** The form's text (one entry per line, or separated by commas) as entries; blank ones dropped. */
export function splitAllowlistText(text: string): string[] {
  return text
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** A list compiled for matching: each block's network and mask as 32-bit words. */
export type CompiledAllowlist = { v4: Uint32Array; v6: Uint32Array };

/** Compiles a stored (canonical) list. An entry that does not parse is dropped: it can match nothing. */
export function compileAllowlist(list: readonly string[]): CompiledAllowlist {
  const v4: number[] = [];
  const v6: number[] = [];
  for (const item of list) {
    const parsed = parseBlock(item);
    if (!parsed.ok) continue;
    const { block } = parsed;
    const target = block.version === 4 ? v4 : v6;
    block.words.forEach((w, i) => target.push(w, maskWord(block.prefix, i)));
  }
  return { v4: Uint32Array.from(v4), v6: Uint32Array.from(v6) };
}

// Compiled once per list. A lookup row's array carries its compiled list under a symbol, so a
// cached row (the embedded database) checks with no lookup at all; a row read again from the
// database (a server database caches no rows) has a new array with the same text, found by that
// text in a bounded map. Compiling 100 entries costs a fraction of a millisecond, once per list
// per process; see scripts/bench-cidr.ts for the per-check figures.
const COMPILED = Symbol("compiledAllowlist");
type Marked = { [COMPILED]?: CompiledAllowlist };
const byText = new Map<string, CompiledAllowlist>();
const MAX_COMPILED = 10_000;

function compiledFor(list: readonly string[]): CompiledAllowlist {
  const marked = list as Marked;
  const own = marked[COMPILED];
  if (own) return own;
  const text = list.length === 1 ? list[0]! : list.join(",");
  let c = byText.get(text);
  if (!c) {
    c = compileAllowlist(list);
    if (byText.size >= MAX_COMPILED) byText.delete(byText.keys().next().value!);
    byText.set(text, c);
  }
  if (Object.isExtensible(list)) Object.defineProperty(list, COMPILED, { value: c, enumerable: false });
  return c;
}

/**
 * Whether a client address may use a key with this allowlist. null/undefined list: any address.
 * An unknown or unparsable client address is never allowed by a list. IPv4-mapped IPv6
 * (::ffff:10.0.0.1) matches IPv4 blocks.
 */
export function ipAllowed(list: readonly string[] | null | undefined, ip: string | null | undefined): boolean {
  if (!list) return true;
  if (!ip) return false;
  const address = parseAddress(ip);
  if (!address) return false;
  const c = compiledFor(list);
  const w = address.words;
  if (address.version === 4) {
    const blocks = c.v4;
    const a = w[0]!;
    for (let i = 0; i < blocks.length; i += 2) if (((a & blocks[i + 1]!) >>> 0) === blocks[i]) return true;
    return false;
  }
  const blocks = c.v6;
  for (let i = 0; i < blocks.length; i += 8) {
    if (
      ((w[0]! & blocks[i + 1]!) >>> 0) === blocks[i] &&
      ((w[1]! & blocks[i + 3]!) >>> 0) === blocks[i + 2] &&
      ((w[2]! & blocks[i + 5]!) >>> 0) === blocks[i + 4] &&
      ((w[3]! & blocks[i + 7]!) >>> 0) === blocks[i + 6]
    ) {
      return true;
    }
  }
  return false;
}

/** Whether every address `inner` allows, `outer` allows too (null: any address). */
export function allowlistWithin(inner: readonly string[] | null, outer: readonly string[] | null): boolean {
  if (!outer) return true;
  if (!inner) return false;
  const outerBlocks = outer.map(parseBlock).flatMap((p) => (p.ok ? [p.block] : []));
  return inner.every((item) => {
    const p = parseBlock(item);
    if (!p.ok) return false;
    const b = p.block;
    return outerBlocks.some(
      (o) => o.version === b.version && o.prefix <= b.prefix && networkOf(b.words, o.prefix).every((w, i) => w === o.words[i]),
    );
  });
}
