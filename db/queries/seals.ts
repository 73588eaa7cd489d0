import { and, asc, eq, gt, isNotNull, or } from "drizzle-orm";
import type { Database } from "../client";
import { totpFactors } from "../schema";

/** A second-factor row's sealed seeds (the enabled one and a set-up in progress), for re-sealing after a key rotation. */
export type SealedSeeds = { userId: string; secret: string | null; pendingSecret: string | null };

/** One page of rows holding a sealed seed, in user id order after `afterUserId` (keyset paging: a long run never rereads a row). */
export async function sealedSeedsPage(db: Database, afterUserId: string | null, limit: number): Promise<SealedSeeds[]> {
  return db
    .select({ userId: totpFactors.userId, secret: totpFactors.secret, pendingSecret: totpFactors.pendingSecret })
    .from(totpFactors)
    .where(and(or(isNotNull(totpFactors.secret), isNotNull(totpFactors.pendingSecret)), afterUserId ? gt(totpFactors.userId, afterUserId) : undefined))
    .orderBy(asc(totpFactors.userId))
    .limit(limit);
}

/**
 * Replaces one sealed seed with its new seal, only if it still holds the value that was opened (a
 * user who meanwhile turned the factor off or set up another keeps theirs). True when replaced.
 */
export async function replaceSeal(db: Database, userId: string, column: "secret" | "pendingSecret", from: string, to: string): Promise<boolean> {
  const target = column === "secret" ? totpFactors.secret : totpFactors.pendingSecret;
  const rows = await db
    .update(totpFactors)
    .set({ [column]: to })
    .where(and(eq(totpFactors.userId, userId), eq(target, from)))
    .returning({ userId: totpFactors.userId });
  return rows.length === 1;
}
