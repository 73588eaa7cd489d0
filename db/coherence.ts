import type { Logger } from "drizzle-orm/logger";

// The embedded database (PGlite) lives inside the server process: no other process can open the
// same folder while it runs, so every write to it passes through this process's Drizzle client.
// That makes an in-process cache of key lookups coherent there: Drizzle hands every statement to
// its logger before running it, and a write to a table a verification reads (api_keys,
// api_key_rotations, users, teams) moves a generation counter on. A cached lookup is served only while
// the generation it was read under is current. The order is safe either way: a lookup that ran
// before the write is marked stale by the move; one that ran after it read the new row.
// A Postgres server has other clients, so nothing is cached there (no generation is registered).

/** Statements that only mark a key used (db/queries/usage.ts) and so never change a verification. */
export const LAST_USED_TAG = "/* keysmith:last-used */";

const VERIFICATION_TABLES = /\b(api_keys|api_key_rotations|users|teams)\b/i;
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

// Kept on the client object under a global symbol, not in a module-level map: Next.js compiles
// instrumentation.ts and the route handlers separately, so this module can exist twice in one
// server process, while the client itself is shared (db/index.ts keeps it on globalThis).
const GENERATION = Symbol.for("keysmith.writeGeneration");
type WithGeneration = { [GENERATION]?: WriteGeneration };

export function registerWriteGeneration(db: object, generation: WriteGeneration): void {
  Object.defineProperty(db, GENERATION, { value: generation, enumerable: false });
}

/** The write generation of a client whose writes all pass through this process, if it is one. */
export function writeGenerationOf(db: object): WriteGeneration | undefined {
  return (db as WithGeneration)[GENERATION];
}

/** State that belongs to one client and must be one per process whatever the module copies (see above). */
export function perClient<T>(db: object, name: string, create: () => T): T {
  const key = Symbol.for(`keysmith.${name}`);
  const holder = db as Record<symbol, T | undefined>;
  if (holder[key] === undefined) Object.defineProperty(holder, key, { value: create(), enumerable: false });
  return holder[key]!;
}
