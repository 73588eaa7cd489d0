#!/usr/bin/env node
// Known-vulnerable production dependencies fail the suite (checklist D-01): `npm audit` at
// level high. A registry without the audit endpoint (some mirrors, this build machine's) cannot
// answer; that is reported and is not a failure, while the dependency-floor test still holds the
// known advisories' fixed versions (test/dependencies.test.ts).
import { spawnSync } from "node:child_process";

const { stdout } = spawnSync("npm", ["audit", "--omit=dev", "--json"], { encoding: "utf8", timeout: 60_000 });
let report;
try {
  report = JSON.parse(stdout);
} catch {
  report = null;
}
if (!report || (report.statusCode && !report.metadata)) {
  console.log(`npm audit: the registry did not answer (${report?.statusCode ?? "no response"}); skipped. Dependency floors are still enforced by test/dependencies.test.ts.`);
  process.exit(0);
}
const counts = report.metadata?.vulnerabilities ?? {};
const serious = (counts.high ?? 0) + (counts.critical ?? 0);
console.log(`npm audit: ${JSON.stringify(counts)}`);
if (serious > 0) {
  for (const [name, v] of Object.entries(report.vulnerabilities ?? {})) {
    if (v.severity === "high" || v.severity === "critical") console.log(`  ${v.severity}: ${name} (${v.range})`);
  }
  process.exit(1);
}
