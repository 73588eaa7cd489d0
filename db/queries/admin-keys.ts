import { and, arrayContains, asc, count, desc, eq, gte, ilike, inArray, isNull, or, sql, type SQL } from "drizzle-orm";
import type { RequestContext } from "@/lib/audit-events";
import { AppError } from "@/lib/errors";
import { BULK_REVOKE_MAX, SEARCH_MIN, isUuid, type AdminKeyFilters, type KeySort, type KeyStatusFilter } from "@/lib/validation/admin.schema";
import type { Database } from "../client";
import { apiKeys, apiKeyUsageDaily, teams, users, type ApiKey } from "../schema";
import { assertActiveAdmin } from "./admin-guard";
import { recordAudit } from "./audit";
import { DB_NOW, keyStatusCondition, keyUsableCondition } from "./key-status";
import { insertNotices, keyRecipients, revokedNotices } from "./notifications";
import { ADMIN_PAGE_SIZE, afterCursor, containsPattern, countLimit, prefixPattern, toPaged, type Paged } from "./paging";

type Tx = Parameters<Parameters<Database["transaction"]>[0]>[0];

export const STALE_DAYS = 90;

/**
 * SQL for one status filter: the rules of keyStatus() (db/queries/key-status.ts), by the
 * database's clock, read once per statement.
 */
function statusCondition(status: KeyStatusFilter, rotationDays: number | null): SQL {
  return status === "usable" ? keyUsableCondition(DB_NOW) : keyStatusCondition(status, DB_NOW, rotationDays);
}

/**
 * The WHERE clause of the admin key list. It only ever reads api_keys (owners are matched by id),
 * so the page, the count and the export can all walk api_keys' indexes. A search first looks up
 * the owners whose email matches (searchOwners), so the plan is made with the real owner ids.
 */
export function adminKeyWhere(f: Partial<AdminKeyFilters>, rotationDays: number | null, owners?: SearchOwners): SQL | undefined {
  const conditions: (SQL | undefined)[] = [];
  if (f.q && f.q.length < SEARCH_MIN) {
    // 1-2 characters: the start of the name (api_keys_name_prefix_idx), not a substring anywhere.
    conditions.push(sql`lower(${apiKeys.name}) like ${prefixPattern(f.q.toLowerCase())}`);
  } else if (f.q) {
    const like = containsPattern(f.q);
    conditions.push(or(ilike(apiKeys.name, like), ilike(apiKeys.hint, like), ownersCondition(like, owners)));
  }
  // The owner filter names one user exactly (id, or email: stored lower-cased), unlike q.
  if (f.owner) {
    conditions.push(
      isUuid(f.owner) ? eq(apiKeys.userId, f.owner) : sql`${apiKeys.userId} = (select ${users.id} from ${users} where ${users.email} = ${f.owner})`,
    );
  }
  // The team filter names one team by its slug (a deleted team's keys too: the slug is all an admin has).
  if (f.team) conditions.push(sql`${apiKeys.teamId} in (select ${teams.id} from ${teams} where ${teams.slug} = ${f.team})`);
  if (f.scope) conditions.push(arrayContains(apiKeys.scopes, [f.scope]));
  if (f.status) conditions.push(statusCondition(f.status, rotationDays));
  if (f.usage === "never") conditions.push(isNull(apiKeys.lastUsedAt));
  // A key never used counts from its creation: one created today is not "unused for 90 days".
  if (f.usage === "stale") {
    conditions.push(sql`coalesce(${apiKeys.lastUsedAt}, ${apiKeys.createdAt}) < (select now() - (${STALE_DAYS}::int * interval '1 day'))`);
  }
  return and(...conditions);
}

/** Ids of the users whose email contains the search text; "many" past OWNER_IDS_MAX. */
type SearchOwners = string[] | "many";
const OWNER_IDS_MAX = 5_000;

/**
 * Why the lookup is a query of its own: inside one statement the owners' ids are unknown when
 * Postgres plans, so it guesses ~1% of keys match and walks the sort index with a filter, which
 * reads all 100,000 keys when a search matches one. With the ids (or none) in hand, it estimates
 * well: a narrow search uses the trigram indexes, a broad one walks the sort index.
 */
export async function searchOwners(db: Database, q: string | undefined): Promise<SearchOwners | undefined> {
  if (!q || q.length < SEARCH_MIN) return undefined;
  const rows = await db
    .select({ id: users.id })
    .from(users)
    .where(ilike(users.email, containsPattern(q)))
    .limit(OWNER_IDS_MAX + 1);
  return rows.length > OWNER_IDS_MAX ? "many" : rows.map((r) => r.id);
}

function ownersCondition(like: string, owners: SearchOwners | undefined): SQL | undefined {
  if (owners === undefined || owners === "many") {
    return sql`${apiKeys.userId} = any(array(select ${users.id} from ${users} where ${users.email} ilike ${like}))`;
  }
  return owners.length > 0 ? inArray(apiKeys.userId, owners) : undefined;
}

// Each sort expression is exactly an index's leading expression (db/schema.ts), with id as the
// tie-breaker in the same direction, so every order is an index walk. Never used sorts as the
// oldest use, never expiring as the latest expiry.
const SORTS: Record<KeySort, { expr: SQL; type: "text" | "timestamptz" }> = {
  created: { expr: sql`${apiKeys.createdAt}`, type: "timestamptz" },
  name: { expr: sql`lower(${apiKeys.name})`, type: "text" },
  last_used: { expr: sql`coalesce(${apiKeys.lastUsedAt}, '-infinity'::timestamptz)`, type: "timestamptz" },
  expires: { expr: sql`coalesce(${apiKeys.expiresAt}, 'infinity'::timestamptz)`, type: "timestamptz" },
};

function orderOf(f: Pick<AdminKeyFilters, "sort" | "dir">): SQL[] {
  const { expr } = SORTS[f.sort];
  return f.dir === "asc" ? [sql`${expr} asc`, asc(apiKeys.id)] : [sql`${expr} desc`, desc(apiKeys.id)];
}

export const adminKeyColumns = {
  id: apiKeys.id,
  name: apiKeys.name,
  hint: apiKeys.hint,
  access: apiKeys.access,
  scopes: apiKeys.scopes,
  createdAt: apiKeys.createdAt,
  lastUsedAt: apiKeys.lastUsedAt,
  expiresAt: apiKeys.expiresAt,
  revokedAt: apiKeys.revokedAt,
  revokedReason: apiKeys.revokedReason,
  secretCreatedAt: apiKeys.secretCreatedAt,
  // The owner: a person or a team (LEFT JOINs; exactly one side is there, api_keys_one_owner).
  ownerId: users.id,
  ownerEmail: users.email,
  ownerName: users.name,
  teamId: teams.id,
  teamSlug: teams.slug,
  teamName: teams.name,
};
export type AdminKeyListRow = Pick<
  ApiKey,
  "id" | "name" | "hint" | "access" | "scopes" | "createdAt" | "lastUsedAt" | "expiresAt" | "revokedAt" | "revokedReason" | "secretCreatedAt"
> & {
  ownerId: string | null;
  ownerEmail: string | null;
  ownerName: string | null;
  teamId: string | null;
  teamSlug: string | null;
  teamName: string | null;
};

/** Every key of every user, filtered, sorted and paged in the database. */
export async function listAllKeys(
  db: Database,
  f: AdminKeyFilters,
  rotationDays: number | null,
  pageSize = ADMIN_PAGE_SIZE,
): Promise<Paged<AdminKeyListRow>> {
  const where = adminKeyWhere(f, rotationDays, await searchOwners(db, f.q));
  const offset = (f.page - 1) * pageSize;
  const order = orderOf(f);
  // Deferred join: the page's ids come from api_keys alone (an index walk in sort order, one
  // extra row to know whether there is a next page); owners are joined to those rows only.
  const pageIds = db.select({ id: apiKeys.id }).from(apiKeys).where(where).orderBy(...order).limit(pageSize + 1).offset(offset);
  const counted = db
    .select({ one: sql<number>`1`.as("one") })
    .from(apiKeys)
    .where(where)
    .limit(countLimit(offset))
    .as("counted");
  const rows = await db
    .select(adminKeyColumns)
    .from(apiKeys)
    .leftJoin(users, eq(users.id, apiKeys.userId))
    .leftJoin(teams, eq(teams.id, apiKeys.teamId))
    .where(inArray(apiKeys.id, pageIds))
    .orderBy(...order);
  const [total] = await db.select({ n: count() }).from(counted);
  return toPaged(rows, Number(total?.n ?? 0), offset, pageSize);
}

/**
 * Same filters and order as the list, every matching row, in batches for a streamed CSV. Each
 * batch continues after the last row sent (keyset), so batch 100 costs what batch 1 did, and
 * nothing is capped or truncated.
 */
export async function* exportAllKeys(db: Database, f: AdminKeyFilters, rotationDays: number | null, batchSize = 1_000): AsyncGenerator<AdminKeyListRow[]> {
  const { expr, type } = SORTS[f.sort];
  const where = adminKeyWhere(f, rotationDays, await searchOwners(db, f.q));
  let cursor: { value: string; id: string } | undefined;
  for (;;) {
    const batch = await db
      .select({ ...adminKeyColumns, cursor: sql<string>`(${expr})::text` })
      .from(apiKeys)
      .leftJoin(users, eq(users.id, apiKeys.userId))
      .leftJoin(teams, eq(teams.id, apiKeys.teamId))
      .where(and(where, cursor ? afterCursor(expr, sql`${apiKeys.id}`, f.dir, cursor, type) : undefined))
      .orderBy(...orderOf(f))
      .limit(batchSize);
    if (batch.length > 0) yield batch.map(({ cursor: _, ...row }) => row);
    if (batch.length < batchSize) return;
    const last = batch[batch.length - 1]!;
    cursor = { value: last.cursor, id: last.id };
  }
}

/**
 * An admin revokes keys of any user, with a reason their owners will see. One transaction:
 * every still-active selected key is revoked and gets its own audit event.
 */
export async function adminRevokeKeys(db: Database, adminId: string, ids: string[], reason: string, context: RequestContext, notify: { mail: boolean }) {
  return db.transaction(async (tx) => {
    await assertActiveAdmin(tx, adminId);
    return revokeInTransaction(tx, adminId, ids, reason, context, notify);
  });
}

/**
 * Revokes the still-active keys among `ids`, each with its own audit event, inside the caller's
 * transaction, and tells each key's owner (or a team key's owners and admins, the admin excepted)
 * with the reason (db/queries/notifications.ts).
 */
export async function revokeInTransaction(tx: Tx, adminId: string | null, ids: string[], reason: string, context: RequestContext, notify: { mail: boolean }): Promise<number> {
  const revoked = await tx
    .update(apiKeys)
    .set({ revokedAt: sql`now()`, revokedReason: `by an administrator: ${reason}`, updatedAt: sql`now()` })
    .where(and(inArray(apiKeys.id, ids), isNull(apiKeys.revokedAt)))
    .returning({ id: apiKeys.id, name: apiKeys.name, hint: apiKeys.hint, userId: apiKeys.userId, teamId: apiKeys.teamId });
  for (const key of revoked) {
    await recordAudit(tx, {
      actorId: adminId,
      action: "api_key.admin_revoked",
      targetType: "api_key",
      targetId: key.id,
      metadata: { name: key.name, hint: key.hint, ...(key.teamId ? { teamId: key.teamId } : { ownerId: key.userId }), reason },
      context,
    });
  }
  const hints = new Map(revoked.map((k) => [k.id, k.hint]));
  const recipients = await keyRecipients(tx, [...hints.keys()], adminId);
  for (const [keyId, hint] of hints) {
    await insertNotices(tx, revokedNotices(recipients.filter((r) => r.keyId === keyId), { by: "admin", reason }, hint), notify);
  }
  return revoked.length;
}

/**
 * How many keys "revoke all matching" would revoke: the usable ones (not revoked, not expired)
 * that match the filters, counted up to one past BULK_REVOKE_MAX.
 */
export async function countRevocable(db: Database, f: Partial<AdminKeyFilters>, rotationDays: number | null): Promise<number> {
  const where = and(adminKeyWhere(f, rotationDays, await searchOwners(db, f.q)), keyUsableCondition(DB_NOW));
  // Counted in the database over at most BULK_REVOKE_MAX + 1 rows: one number back, not 5,001 ids.
  const capped = db.select({ one: sql`1` }).from(apiKeys).where(where).limit(BULK_REVOKE_MAX + 1).as("capped");
  const [row] = await db.select({ n: count() }).from(capped);
  return Number(row?.n ?? 0);
}

/**
 * An admin revokes every usable key that matches the filters, having seen and confirmed how many.
 * One transaction: the matching keys are locked, and if there are not exactly `expected` of them
 * (a key was created, revoked or expired since) nothing is revoked (409 selection_changed).
 */
export async function adminRevokeMatching(
  db: Database,
  adminId: string,
  f: Partial<AdminKeyFilters>,
  rotationDays: number | null,
  expected: number,
  reason: string,
  context: RequestContext,
  notify: { mail: boolean },
): Promise<number> {
  const owners = await searchOwners(db, f.q);
  return db.transaction(async (tx) => {
    await assertActiveAdmin(tx, adminId);
    const where = and(adminKeyWhere(f, rotationDays, owners), keyUsableCondition(DB_NOW));
    const matching = await tx.select({ id: apiKeys.id }).from(apiKeys).where(where).limit(BULK_REVOKE_MAX + 1).for("update");
    if (matching.length !== expected) {
      throw new AppError("selection_changed", {
        message: `${matching.length > BULK_REVOKE_MAX ? `More than ${BULK_REVOKE_MAX.toLocaleString("en-US")}` : matching.length.toLocaleString("en-US")} keys match these filters now, not ${expected.toLocaleString("en-US")}. Review the list and try again.`,
      });
    }
    return revokeInTransaction(tx, adminId, matching.map((m) => m.id), reason, context, notify);
  });
}

/**
 * The overview's cards. Each count uses the very condition of the list filter its card links to
 * (OVERVIEW_LINKS), so a card and the list it opens always agree.
 */
export async function keyOverview(db: Database, rotationDays: number | null) {
  const n = (condition: SQL) => sql<number>`count(*) filter (where ${condition})`.mapWith(Number);
  const of = (filters: Partial<AdminKeyFilters>) => adminKeyWhere(filters, rotationDays)!;
  const [counts] = await db
    .select({
      active: n(of(OVERVIEW_LINKS.active)),
      expiringSoon: n(of(OVERVIEW_LINKS.expiringSoon)),
      rotationDue: n(of(OVERVIEW_LINKS.rotationDue)),
      neverUsed: n(of(OVERVIEW_LINKS.neverUsed)),
      revoked: n(of(OVERVIEW_LINKS.revoked)),
    })
    .from(apiKeys);
  const perDay = await db
    .select({
      day: apiKeyUsageDaily.day,
      success: sql<number>`sum(${apiKeyUsageDaily.successCount})`.mapWith(Number),
      failure: sql<number>`sum(${apiKeyUsageDaily.failureCount})`.mapWith(Number),
    })
    .from(apiKeyUsageDaily)
    .where(gte(apiKeyUsageDaily.day, sql`(now() at time zone 'utc')::date - 29`))
    .groupBy(apiKeyUsageDaily.day)
    .orderBy(asc(apiKeyUsageDaily.day));
  return { counts: counts!, perDay };
}

/**
 * The list filters behind each overview card. "Never used" means keys that still work and have
 * never been used: revoked or expired keys cannot be used any more, so they are not counted.
 */
export const OVERVIEW_LINKS = {
  active: { status: "active" },
  expiringSoon: { status: "expiring_soon" },
  rotationDue: { status: "rotation_due" },
  neverUsed: { status: "usable", usage: "never" },
  revoked: { status: "revoked" },
} as const satisfies Record<string, Partial<AdminKeyFilters>>;
