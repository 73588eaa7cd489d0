// npm start: builds only when the sources changed since the last build made here, then the
// server starts (package.json "start"). The fingerprint is a hash of every file the build reads
// (their paths and contents, not their times: a checkout or a copy keeps it), kept beside the
// build in .next/keysmith-sources. A build made another way (next build) has none, so the next
// npm start builds once more.
import { createHash } from "node:crypto";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const INPUTS = ["app", "components", "lib", "db", "public", "proxy.ts", "instrumentation.ts", "next.config.ts", "tsconfig.json", "postcss.config.mjs", "package-lock.json"];
const STAMP = ".next/keysmith-sources";

/** A hash of the build's inputs under `root`; tests (*.test.ts) and migrations' meta do not change the build. */
export function sourceFingerprint(root) {
  const hash = createHash("sha256");
  const visit = (rel) => {
    const full = path.join(root, rel);
    if (!fs.existsSync(full)) return;
    const stat = fs.statSync(full);
    if (stat.isDirectory()) {
      for (const name of fs.readdirSync(full).sort()) visit(path.posix.join(rel, name));
    } else if (!/\.test\.(ts|tsx|mjs)$/.test(rel)) {
      hash.update(`${rel}\0`).update(fs.readFileSync(full)).update("\0");
    }
  };
  for (const input of INPUTS) visit(input);
  return hash.digest("hex");
}

/** Whether `root` has a build made from exactly its current sources. */
export function isBuildCurrent(root) {
  const stamp = path.join(root, STAMP);
  return fs.existsSync(path.join(root, ".next/BUILD_ID")) && fs.existsSync(stamp) && fs.readFileSync(stamp, "utf8") === sourceFingerprint(root);
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  const root = process.cwd();
  if (isBuildCurrent(root)) {
    console.log("The build is current with the sources; starting it.");
  } else {
    const fingerprint = sourceFingerprint(root);
    console.log(fs.existsSync(path.join(root, ".next/BUILD_ID")) ? "The sources changed since the last build: building." : "No build yet: building.");
    const built = spawnSync("npx", ["next", "build"], { stdio: "inherit", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
    if (built.status !== 0) process.exit(built.status ?? 1);
    fs.writeFileSync(path.join(root, STAMP), fingerprint);
  }
}
