import type { Logger } from "drizzle-orm/logger";

// The embedded database (PGlite) lives inside the server process: no other process can open the
// same folder while it runs, so every write to it passes through this process's Drizzle client.
// That makes an in-process cache of key lookups coherent there: Drizzle hands every statement to
// its logger before running it, and a write to a table a verification reads (api_keys,
// api_key_rotations, users) moves a generation counter on. A cached lookup is served only while
// the generation it was read under is current. The order is safe either way: a lookup that ran
// before the write is marked stale by the move; one that ran after it read the new row.
// A Postgres server has other clients, so nothing is cached there (no generation is registered).

/** Statements that only mark a key used (db/queries/usage.ts) and so never change a verification. */
export const LAST_USED_TAG = "/* keysmith:last-used */";

const VERIFICATION_TABLES = /\b(api_keys|api_key_rotations|users)\b/i;
const WRITE = /^\s*(insert|update|delete|truncate|alter|drop|create|with)\b/i;
const READ_OR_CONTROL = /^[\s(]*(select|begin|commit|rollback|savepoint|release|set|show)\b/i;

export class WriteGeneration implements Logger {
  private value = 0;

  get current(): number {
    return this.value;
  }

  /** Drizzle calls this for every statement, before running it, inside transactions too. */
  logQuery(query: string): void {
    if (query.startsWith(LAST_USED_TAG)) return;
    if (WRITE.test(query) ? VERIFICATION_TABLES.test(query) : !READ_OR_CONTROL.test(query)) this.value++; // the unfamiliar (DO blocks, raw SQL) counts as a write
  }
}

const generations = new WeakMap<object, WriteGeneration>();

export function registerWriteGeneration(db: object, generation: WriteGeneration): void {
  generations.set(db, generation);
}

/** The write generation of a client whose writes all pass through this process, if it is one. */
export function writeGenerationOf(db: object): WriteGeneration | undefined {
  return generations.get(db);
}
