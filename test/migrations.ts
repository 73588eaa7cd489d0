import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { MIGRATIONS_FOLDER, type DbHandle } from "@/db/client";
import { openTestDb } from "./db";

/** A copy of the migrations folder whose journal stops at `lastIdx`. */
function migrationsUpTo(lastIdx: number): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "keysmith-migrations-"));
  fs.cpSync(MIGRATIONS_FOLDER, dir, { recursive: true });
  const journalPath = path.join(dir, "meta", "_journal.json");
  const journal = JSON.parse(fs.readFileSync(journalPath, "utf8")) as { entries: { idx: number }[] };
  journal.entries = journal.entries.filter((e) => e.idx <= lastIdx);
  fs.writeFileSync(journalPath, JSON.stringify(journal));
  return dir;
}

/**
 * A test database made by the migrations up to `lastIdx` only, as a deployment of that version
 * left it: a migration test fills it, runs `handle.migrate()` (the rest) and checks nothing was lost.
 */
export async function openDbAtMigration(lastIdx: number): Promise<{ handle: DbHandle; close: () => Promise<void> }> {
  const handle = await openTestDb({ migrate: false });
  const folder = migrationsUpTo(lastIdx);
  try {
    await handle.migrate(folder);
  } finally {
    fs.rmSync(folder, { recursive: true, force: true });
  }
  return { handle, close: () => handle.close() };
}
