import { aliasedTable, and, asc, desc, eq, inArray, ne, sql } from "drizzle-orm";
import { AppError, isUniqueViolation } from "@/lib/errors";
import type { Access } from "@/lib/scopes";
import type { Database } from "../client";
import { apiKeyRequests, users } from "../schema";

// Key requests (api_key_requests): a developer's request for a team key the team's policy puts
// behind approval. The rules (who may request, decide, cancel or issue, and when) are in
// lib/commands/key-requests.ts, which calls these inside one transaction with the membership and
// the team's policy locked first, then the request row (FOR UPDATE): two decisions, or a decision
// and a cancellation, or two issues, queue on it and the second sees the first's status.

type Tx = Parameters<Parameters<Database["transaction"]>[0]>[0];

export type KeyRequestStatus = "pending" | "approved" | "denied" | "cancelled" | "issued";

export type KeyRequestRow = {
  id: string;
  teamId: string;
  requestedBy: string;
  name: string;
  description: string | null;
  justification: string | null;
  access: Access;
  scopes: string[];
  expiresAt: Date | null;
  allowedIps: string[] | null;
  status: KeyRequestStatus;
  decidedBy: string | null;
  decidedAt: Date | null;
  decisionReason: string | null;
  keyId: string | null;
  createdAt: Date;
};

const columns = {
  id: apiKeyRequests.id,
  teamId: apiKeyRequests.teamId,
  requestedBy: apiKeyRequests.requestedBy,
  name: apiKeyRequests.name,
  description: apiKeyRequests.description,
  justification: apiKeyRequests.justification,
  access: apiKeyRequests.access,
  scopes: apiKeyRequests.scopes,
  expiresAt: apiKeyRequests.expiresAt,
  allowedIps: apiKeyRequests.allowedIps,
  status: apiKeyRequests.status,
  decidedBy: apiKeyRequests.decidedBy,
  decidedAt: apiKeyRequests.decidedAt,
  decisionReason: apiKeyRequests.decisionReason,
  keyId: apiKeyRequests.keyId,
  createdAt: apiKeyRequests.createdAt,
};

/** What a request is made of: the key it asks for, who asks and why; the rest is its decision. */
export type NewKeyRequest = Pick<KeyRequestRow, "teamId" | "requestedBy" | "name" | "description" | "justification" | "access" | "scopes" | "expiresAt" | "allowedIps">;

/** A new pending request; a pending or approved request of the same name in the team is refused. */
export async function insertKeyRequest(tx: Tx, input: NewKeyRequest): Promise<KeyRequestRow> {
  try {
    // A savepoint: the unique violation must not abort the caller's transaction before it answers.
    return await tx.transaction(async (sp) => {
      const [row] = await sp.insert(apiKeyRequests).values(input).returning(columns);
      return row!;
    });
  } catch (error) {
    if (isUniqueViolation(error, "api_key_requests_open_name_key")) {
      const message = "A request with this name is already waiting or approved in this team. Choose another name, or cancel that request.";
      throw new AppError("key_name_taken", { message, fieldErrors: { name: message } });
    }
    throw error;
  }
}

/** The request, in this team, locked for update; null when there is none (or it is another team's). */
export async function lockKeyRequest(tx: Tx, teamId: string, id: string): Promise<KeyRequestRow | null> {
  const [row] = await tx
    .select(columns)
    .from(apiKeyRequests)
    .where(and(eq(apiKeyRequests.id, id), eq(apiKeyRequests.teamId, teamId)))
    .for("update");
  return row ?? null;
}

/** An approval or a denial of a pending request (the caller checked it is pending, locked). */
export async function decideKeyRequest(tx: Tx, id: string, decision: { status: "approved" | "denied"; decidedBy: string; reason: string | null }): Promise<void> {
  await tx
    .update(apiKeyRequests)
    .set({ status: decision.status, decidedBy: decision.decidedBy, decidedAt: sql`now()`, decisionReason: decision.reason, updatedAt: sql`now()` })
    .where(and(eq(apiKeyRequests.id, id), eq(apiKeyRequests.status, "pending")));
}

export async function cancelKeyRequestRow(tx: Tx, id: string): Promise<void> {
  await tx
    .update(apiKeyRequests)
    .set({ status: "cancelled", updatedAt: sql`now()` })
    .where(and(eq(apiKeyRequests.id, id), eq(apiKeyRequests.status, "pending")));
}

/** The approved request became the key `keyId`: issued, once. */
export async function markKeyRequestIssued(tx: Tx, id: string, keyId: string): Promise<void> {
  await tx
    .update(apiKeyRequests)
    .set({ status: "issued", keyId, updatedAt: sql`now()` })
    .where(and(eq(apiKeyRequests.id, id), eq(apiKeyRequests.status, "approved")));
}

/** The email of an account (for the audit row naming a requester). */
export async function emailOf(tx: Tx, userId: string): Promise<string | null> {
  const [row] = await tx.select({ email: users.email }).from(users).where(eq(users.id, userId));
  return row?.email ?? null;
}

export type KeyRequestView = KeyRequestRow & {
  requester: { name: string; email: string };
  decider: { name: string; email: string } | null;
};

const REQUESTS_SHOWN = 100;

/**
 * The requests page: a team's pending requests, oldest first (the queue an admin works through),
 * or the rest, newest first (the history); `requestedBy` keeps only one member's own.
 */
export async function listKeyRequests(
  db: Database,
  teamId: string,
  which: { pending: boolean; requestedBy?: string },
): Promise<KeyRequestView[]> {
  const requester = aliasedTable(users, "requester");
  const decider = aliasedTable(users, "decider");
  const rows = await db
    .select({
      ...columns,
      requesterName: requester.name,
      requesterEmail: requester.email,
      deciderName: decider.name,
      deciderEmail: decider.email,
    })
    .from(apiKeyRequests)
    .innerJoin(requester, eq(requester.id, apiKeyRequests.requestedBy))
    .leftJoin(decider, eq(decider.id, apiKeyRequests.decidedBy))
    .where(
      and(
        eq(apiKeyRequests.teamId, teamId),
        which.pending ? eq(apiKeyRequests.status, "pending") : ne(apiKeyRequests.status, "pending"),
        which.requestedBy ? eq(apiKeyRequests.requestedBy, which.requestedBy) : undefined,
      ),
    )
    .orderBy(which.pending ? asc(apiKeyRequests.createdAt) : desc(apiKeyRequests.createdAt), asc(apiKeyRequests.id))
    .limit(REQUESTS_SHOWN);
  return rows.map((row) => {
    const { requesterName, requesterEmail, deciderName, deciderEmail, ...request } = row as KeyRequestRow & {
      requesterName: string;
      requesterEmail: string;
      deciderName: string | null;
      deciderEmail: string | null;
    };
    return {
      ...request,
      requester: { name: requesterName, email: requesterEmail },
      decider: deciderEmail ? { name: deciderName ?? "", email: deciderEmail } : null,
    };
  });
}

/** How many requests wait in the team (the tab's count). */
export async function pendingRequestCount(db: Database, teamId: string): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(apiKeyRequests)
    .where(and(eq(apiKeyRequests.teamId, teamId), inArray(apiKeyRequests.status, ["pending"])));
  return row?.n ?? 0;
}
