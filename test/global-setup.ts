import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { openDatabase } from "@/db/client";

declare module "vitest" {
  export interface ProvidedContext {
    /** A migrated PGlite data directory (tarball) every test file's database starts from. */
    pgliteTemplate: string;
  }
}

// Starting PGlite from an empty cluster runs initdb inside WebAssembly: 2-3 s a file. Starting from
// a migrated data directory takes about half a second, so the embedded pass migrates once, here,
// and every file's database (test/db.ts) is a copy of that one. The migrations themselves are
// still run per file (a no-op on a migrated copy) and from scratch by db/client.test.ts.
export default async function setup(project: TestProject) {
  if ((process.env.TEST_DRIVER ?? "pglite") !== "pglite") return;
  const handle = await openDatabase({ pgliteDir: "memory://" });
  let file: string;
  try {
    await handle.migrate();
    const dump = await handle.dumpDataDir!();
    file = path.join(os.tmpdir(), `keysmith-vitest-pglite-${process.pid}.tar`);
    fs.writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  } finally {
    await handle.close();
  }
  project.provide("pgliteTemplate", file);
  return () => fs.rmSync(file, { force: true });
}
