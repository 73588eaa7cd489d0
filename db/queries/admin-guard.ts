import { and, eq, isNull } from "drizzle-orm";
import { AppError } from "@/lib/errors";
import type { Database } from "../client";
import { users } from "../schema";

type Tx = Parameters<Parameters<Database["transaction"]>[0]>[0];

/**
 * The acting admin's role, read (and share-locked) in the transaction that acts on it: an admin
 * demoted, suspended or deleted since the page loaded is refused like a member (not found), and
 * cannot be demoted by someone else until this transaction ends.
 */
export async function assertActiveAdmin(tx: Tx, adminId: string): Promise<void> {
  const [admin] = await tx
    .select({ role: users.role })
    .from(users)
    .where(and(eq(users.id, adminId), isNull(users.suspendedAt), isNull(users.deletedAt)))
    .for("share");
  if (admin?.role !== "admin") throw new AppError("not_found");
}
