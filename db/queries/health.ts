import { sql } from "drizzle-orm";
import type { Database } from "../client";

/** One trivial statement: whether the database answers at all (readiness). */
export async function pingDatabase(db: Database): Promise<void> {
  await db.execute(sql`select 1`);
}
