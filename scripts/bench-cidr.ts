// Micro-benchmark of the IP allowlist check on the verification path (lib/keys/cidr.ts), beside
// node:net's BlockList for comparison. Prints figures only: `npx tsx scripts/bench-cidr.ts`.
import { BlockList } from "node:net";
import { compileAllowlist, ipAllowed } from "../lib/keys/cidr";

const list = Array.from({ length: 100 }, (_, i) => (i % 2 ? `10.${i}.0.0/16` : `2001:db8:${i.toString(16)}::/48`));
const small = ["10.0.0.0/8"];

function time(label: string, n: number, run: () => void) {
  for (let i = 0; i < Math.min(n, 10_000); i++) run(); // warm up
  const started = performance.now();
  for (let i = 0; i < n; i++) run();
  console.log(`${label.padEnd(60)} ${(((performance.now() - started) * 1e6) / n).toFixed(0).padStart(8)} ns/check`);
}

const N = 1_000_000;
time("1 block, IPv4 hit, same array (cached lookup row)", N, () => ipAllowed(small, "10.1.2.3"));
time("1 block, IPv4 hit, new array each time (database row)", N / 10, () => ipAllowed(["10.0.0.0/8"], "10.1.2.3"));
time("100 blocks, IPv4 miss, same array", N, () => ipAllowed(list, "192.168.1.1"));
time("100 blocks, IPv6 miss, same array", N, () => ipAllowed(list, "2001:db9::1"));
time("100 blocks, IPv4 miss, new array each time", N / 10, () => ipAllowed([...list], "192.168.1.1"));
time("IPv4-mapped client, 1 block", N, () => ipAllowed(small, "::ffff:10.1.2.3"));
time("compile 100 entries (once per list)", 2_000, () => compileAllowlist(list));
const one = new BlockList();
one.addSubnet("10.0.0.0", 8, "ipv4");
time("node:net BlockList, 1 subnet, IPv4 hit", N, () => one.check("10.1.2.3", "ipv4"));
const hundred = new BlockList();
for (const e of list) {
  const [address, prefix] = e.split("/");
  hundred.addSubnet(address!, Number(prefix), address!.includes(":") ? "ipv6" : "ipv4");
}
time("node:net BlockList, 100 subnets, IPv4 miss", N / 10, () => hundred.check("192.168.1.1", "ipv4"));
