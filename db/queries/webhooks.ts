import { and, arrayContains, desc, eq, inArray, isNull, sql, type SQL } from "drizzle-orm";
import { sqlNow } from "@/lib/clock";
import { DAY_MS } from "@/lib/time";
import { WEBHOOK_ATTEMPTS_KEPT, type WebhookAttempt } from "@/lib/webhooks/delivery-status";
import type { DeliveredEvent, WebhookEvent, WebhookKey, WebhookPayload } from "@/lib/webhooks/events";
import type { Database } from "../client";
import { apiKeys, teamMembers, teams, users, webhookDeliveries, webhookEndpoints, type WebhookDelivery, type WebhookEndpoint } from "../schema";
import { enqueueJob } from "./jobs";

type Tx = Parameters<Parameters<Database["transaction"]>[0]>[0];
type Executor = Tx | Database;

/** Whose endpoints: a person's, or a team's (the command has checked the role first). */
export type WebhookOwner = { userId: string } | { teamId: string };

function ownedBy(owner: WebhookOwner): SQL {
  return "userId" in owner ? eq(webhookEndpoints.userId, owner.userId) : eq(webhookEndpoints.teamId, owner.teamId);
}

/** The job that sends one delivery (lib/jobs/app-jobs.ts). */
export const WEBHOOK_DELIVERY_JOB = "webhooks.deliver";
/** Attempts per delivery: the first and ten retries over about 24 hours (WEBHOOK_RETRY_DELAYS_MS). */
export const WEBHOOK_MAX_ATTEMPTS = 11;
/** An endpoint whose deliveries have failed for this long (none succeeding) is disabled. */
export const WEBHOOK_DISABLE_AFTER_MS = 3 * DAY_MS;
/** How many endpoints one owner may register. */
export const WEBHOOK_ENDPOINTS_MAX = 20;

export type EndpointSummary = Omit<WebhookEndpoint, "secretSealed" | "previousSecretSealed">;
/** How long the secret a new one replaced keeps signing beside it, so a receiver can be updated without missing a delivery. */
export const WEBHOOK_SECRET_OVERLAP_MS = DAY_MS;
const summaryColumns = {
  id: webhookEndpoints.id,
  userId: webhookEndpoints.userId,
  teamId: webhookEndpoints.teamId,
  url: webhookEndpoints.url,
  description: webhookEndpoints.description,
  events: webhookEndpoints.events,
  previousSecretUntil: webhookEndpoints.previousSecretUntil,
  createdBy: webhookEndpoints.createdBy,
  disabledAt: webhookEndpoints.disabledAt,
  disabledReason: webhookEndpoints.disabledReason,
  failingSince: webhookEndpoints.failingSince,
  createdAt: webhookEndpoints.createdAt,
  updatedAt: webhookEndpoints.updatedAt,
};

export async function countEndpoints(tx: Executor, owner: WebhookOwner): Promise<number> {
  const [row] = await tx.select({ n: sql<number>`count(*)::int` }).from(webhookEndpoints).where(ownedBy(owner));
  return row?.n ?? 0;
}

/** A new endpoint; its id is chosen by the caller, since the sealed secret's context names it. */
export async function insertEndpoint(
  tx: Executor,
  input: { id: string; owner: WebhookOwner; url: string; description: string; events: WebhookEvent[]; secretSealed: string; createdBy: string },
): Promise<EndpointSummary> {
  const [row] = await tx
    .insert(webhookEndpoints)
    .values({
      id: input.id,
      userId: "userId" in input.owner ? input.owner.userId : null,
      teamId: "teamId" in input.owner ? input.owner.teamId : null,
      url: input.url,
      description: input.description,
      events: input.events,
      secretSealed: input.secretSealed,
      createdBy: input.createdBy,
    })
    .returning(summaryColumns);
  return row!;
}

export async function listEndpoints(db: Executor, owner: WebhookOwner): Promise<EndpointSummary[]> {
  return db.select(summaryColumns).from(webhookEndpoints).where(ownedBy(owner)).orderBy(desc(webhookEndpoints.createdAt), desc(webhookEndpoints.id));
}

/** One of the owner's endpoints (undefined for anyone else's: not found), locked when asked. */
export async function findEndpoint(tx: Executor, owner: WebhookOwner, id: string, lock = false): Promise<EndpointSummary | undefined> {
  const query = tx.select(summaryColumns).from(webhookEndpoints).where(and(eq(webhookEndpoints.id, id), ownedBy(owner))).limit(1);
  const [row] = lock ? await query.for("update") : await query;
  return row;
}

export async function updateEndpoint(
  tx: Executor,
  owner: WebhookOwner,
  id: string,
  change: { url?: string; description?: string; events?: WebhookEvent[]; enabled?: boolean; secretSealed?: string; clockOffsetMs?: number },
): Promise<EndpointSummary | undefined> {
  const [row] = await tx
    .update(webhookEndpoints)
    .set({
      ...(change.url !== undefined ? { url: change.url } : {}),
      ...(change.description !== undefined ? { description: change.description } : {}),
      ...(change.events !== undefined ? { events: change.events } : {}),
      // A new secret: the one it replaces keeps signing beside it for WEBHOOK_SECRET_OVERLAP_MS.
      ...(change.secretSealed !== undefined
        ? {
            secretSealed: change.secretSealed,
            previousSecretSealed: sql`${webhookEndpoints.secretSealed}`,
            previousSecretUntil: sql`${sqlNow(change.clockOffsetMs ?? 0)} + make_interval(secs => ${WEBHOOK_SECRET_OVERLAP_MS / 1000})`,
          }
        : {}),
      // Turned on again: its failing spell starts over.
      ...(change.enabled === true ? { disabledAt: null, disabledReason: null, failingSince: null } : {}),
      ...(change.enabled === false ? { disabledAt: sql`coalesce(${webhookEndpoints.disabledAt}, now())`, disabledReason: sql`coalesce(${webhookEndpoints.disabledReason}, 'by its owner')` } : {}),
      updatedAt: sql`now()`,
    })
    .where(and(eq(webhookEndpoints.id, id), ownedBy(owner)))
    .returning(summaryColumns);
  return row;
}

export async function deleteEndpoint(tx: Executor, owner: WebhookOwner, id: string): Promise<EndpointSummary | undefined> {
  const [row] = await tx.delete(webhookEndpoints).where(and(eq(webhookEndpoints.id, id), ownedBy(owner))).returning(summaryColumns);
  return row;
}

/** A key as payloads tell it, with its team's address. */
async function webhookKey(tx: Executor, keyId: string): Promise<(WebhookKey & { userId: string | null }) | undefined> {
  const [row] = await tx
    .select({
      id: apiKeys.id,
      name: apiKeys.name,
      hint: apiKeys.hint,
      access: apiKeys.access,
      scopes: apiKeys.scopes,
      expiresAt: apiKeys.expiresAt,
      revokedAt: apiKeys.revokedAt,
      userId: apiKeys.userId,
      teamId: apiKeys.teamId,
      teamSlug: teams.slug,
    })
    .from(apiKeys)
    .leftJoin(teams, eq(teams.id, apiKeys.teamId))
    .where(eq(apiKeys.id, keyId))
    .limit(1);
  if (!row) return undefined;
  return {
    id: row.id,
    name: row.name,
    hint: row.hint,
    access: row.access,
    scopes: row.scopes,
    expiresAt: row.expiresAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
    team: row.teamId && row.teamSlug ? { id: row.teamId, slug: row.teamSlug } : null,
    userId: row.userId,
  };
}

/**
 * A key's event, told to every enabled endpoint of its owner (a person's endpoints for their key,
 * a team's for the team's key) that takes it: one delivery row and one job each, in the caller's
 * transaction, so the event is sent exactly when the change commits. With `dedupe`, once per
 * endpoint ever (the expiry scan, which any process may run). Returns how many were queued.
 */
export async function queueKeyEvent(
  tx: Executor,
  input: { event: WebhookEvent; keyId: string; data?: Record<string, unknown>; dedupe?: string; at?: Date },
): Promise<number> {
  // The endpoints first, in one statement through the key's owner: most keys' owners have none, and
  // then the key's change costs this one query.
  const endpoints = await tx
    .select({ id: webhookEndpoints.id })
    .from(webhookEndpoints)
    .innerJoin(
      apiKeys,
      sql`${apiKeys.id} = ${input.keyId} and (case when ${apiKeys.teamId} is null then ${webhookEndpoints.userId} = ${apiKeys.userId} else ${webhookEndpoints.teamId} = ${apiKeys.teamId} end)`,
    )
    .where(and(isNull(webhookEndpoints.disabledAt), arrayContains(webhookEndpoints.events, [input.event])));
  if (endpoints.length === 0) return 0;
  const key = await webhookKey(tx, input.keyId);
  if (!key) return 0;
  const { userId: _owner, ...told } = key;
  const payload: WebhookPayload = { type: input.event, timestamp: (input.at ?? new Date()).toISOString(), data: { key: told, ...input.data } };
  return queueDeliveries(
    tx,
    endpoints.map((e) => ({ endpointId: e.id, event: input.event, payload, dedupeKey: input.dedupe ? `${input.dedupe}:${e.id}` : null })),
  );
}

/** Delivery rows and their jobs (a dedupe key already taken: nothing). */
export async function queueDeliveries(
  tx: Executor,
  rows: { endpointId: string; event: DeliveredEvent; payload: WebhookPayload; dedupeKey: string | null }[],
): Promise<number> {
  if (rows.length === 0) return 0;
  const created = await tx.insert(webhookDeliveries).values(rows).onConflictDoNothing({ target: webhookDeliveries.dedupeKey }).returning({ id: webhookDeliveries.id });
  for (const delivery of created) {
    await enqueueJob(tx, { kind: WEBHOOK_DELIVERY_JOB, payload: { deliveryId: delivery.id }, dedupeKey: `webhook:${delivery.id}`, maxAttempts: WEBHOOK_MAX_ATTEMPTS });
  }
  return created.length;
}

export type DeliveryToSend = Pick<WebhookDelivery, "id" | "event" | "payload" | "status"> & {
  endpoint: Pick<WebhookEndpoint, "id" | "url" | "secretSealed" | "disabledAt" | "userId" | "teamId">;
  /** The replaced secret, while it still signs beside the new one (else null). */
  previousSecretSealed: string | null;
};

/** A delivery with what sending it needs (undefined once it, or its endpoint, is gone). */
export async function deliveryToSend(db: Executor, id: string, clockOffsetMs = 0): Promise<DeliveryToSend | undefined> {
  const [row] = await db
    .select({
      id: webhookDeliveries.id,
      event: webhookDeliveries.event,
      payload: webhookDeliveries.payload,
      status: webhookDeliveries.status,
      endpoint: {
        id: webhookEndpoints.id,
        url: webhookEndpoints.url,
        secretSealed: webhookEndpoints.secretSealed,
        disabledAt: webhookEndpoints.disabledAt,
        userId: webhookEndpoints.userId,
        teamId: webhookEndpoints.teamId,
      },
      previousSecretSealed: sql<string | null>`case when ${webhookEndpoints.previousSecretUntil} > ${sqlNow(clockOffsetMs)} then ${webhookEndpoints.previousSecretSealed} end`,
    })
    .from(webhookDeliveries)
    .innerJoin(webhookEndpoints, eq(webhookEndpoints.id, webhookDeliveries.endpointId))
    .where(eq(webhookDeliveries.id, id))
    .limit(1);
  return row;
}

/**
 * An attempt's outcome: the delivery's status and log, and its endpoint's failing spell (ended by a
 * success; begun by the first failure after one). An endpoint failing for three days, and failing
 * again now, is disabled: `disabled` is then the endpoint (its owner is told by the caller).
 */
export async function recordDeliveryAttempt(
  db: Database,
  input: { deliveryId: string; endpointId: string; ok: boolean; final: boolean; status: number | null; durationMs: number; excerpt: string | null; error: string | null; clockOffsetMs: number },
): Promise<{ disabled: EndpointSummary | null }> {
  const now = sqlNow(input.clockOffsetMs);
  const attempt: WebhookAttempt = { at: new Date(Date.now() + input.clockOffsetMs).toISOString(), status: input.status, durationMs: input.durationMs, ...(input.error ? { error: input.error } : {}) };
  return db.transaction(async (tx) => {
    await tx
      .update(webhookDeliveries)
      .set({
        status: input.ok ? "delivered" : input.final ? "failed" : "retrying",
        attempts: sql`${webhookDeliveries.attempts} + 1`,
        responseStatus: input.status,
        durationMs: input.durationMs,
        responseExcerpt: input.excerpt,
        error: input.error,
        // Appended, then the one before the newest WEBHOOK_ATTEMPTS_KEPT dropped (a path of -(kept + 1)).
        history: sql`(${webhookDeliveries.history} || ${JSON.stringify([attempt])}::jsonb) #- ${`{${-WEBHOOK_ATTEMPTS_KEPT - 1}}`}::text[]`,
        lastAttemptAt: now,
        ...(input.ok ? { deliveredAt: now } : {}),
      })
      .where(eq(webhookDeliveries.id, input.deliveryId));
    if (input.ok) {
      await tx.update(webhookEndpoints).set({ failingSince: null }).where(and(eq(webhookEndpoints.id, input.endpointId), sql`${webhookEndpoints.failingSince} is not null`));
      return { disabled: null };
    }
    const [endpoint] = await tx
      .update(webhookEndpoints)
      .set({ failingSince: sql`coalesce(${webhookEndpoints.failingSince}, ${now})` })
      .where(eq(webhookEndpoints.id, input.endpointId))
      .returning({ failingSince: webhookEndpoints.failingSince, disabledAt: webhookEndpoints.disabledAt });
    if (!endpoint || endpoint.disabledAt) return { disabled: null };
    const [disabled] = await tx
      .update(webhookEndpoints)
      .set({ disabledAt: now, disabledReason: "failing for 3 days", updatedAt: sql`now()` })
      .where(
        and(
          eq(webhookEndpoints.id, input.endpointId),
          isNull(webhookEndpoints.disabledAt),
          sql`${webhookEndpoints.failingSince} <= ${now} - make_interval(secs => ${WEBHOOK_DISABLE_AFTER_MS / 1000})`,
        ),
      )
      .returning(summaryColumns);
    return { disabled: disabled ?? null };
  });
}

/** A delivery that was given up when its endpoint was off, or is gone: marked failed with the reason. */
export async function failDelivery(db: Executor, id: string, error: string): Promise<void> {
  await db.update(webhookDeliveries).set({ status: "failed", error }).where(eq(webhookDeliveries.id, id));
}

/** An endpoint's delivery log, newest first. */
export async function listDeliveries(db: Executor, endpointId: string, limit = 50): Promise<Omit<WebhookDelivery, "dedupeKey">[]> {
  return db
    .select({
      id: webhookDeliveries.id,
      endpointId: webhookDeliveries.endpointId,
      event: webhookDeliveries.event,
      payload: webhookDeliveries.payload,
      status: webhookDeliveries.status,
      attempts: webhookDeliveries.attempts,
      responseStatus: webhookDeliveries.responseStatus,
      durationMs: webhookDeliveries.durationMs,
      responseExcerpt: webhookDeliveries.responseExcerpt,
      error: webhookDeliveries.error,
      history: webhookDeliveries.history,
      lastAttemptAt: webhookDeliveries.lastAttemptAt,
      deliveredAt: webhookDeliveries.deliveredAt,
      createdAt: webhookDeliveries.createdAt,
    })
    .from(webhookDeliveries)
    .where(eq(webhookDeliveries.endpointId, endpointId))
    .orderBy(desc(webhookDeliveries.createdAt), desc(webhookDeliveries.id))
    .limit(limit);
}

/**
 * Sends a delivery of the owner's endpoint again (the same `webhook-id`: a receiver that already
 * has it can tell). A new job, as many attempts again; none while one is already under way.
 */
export async function redeliver(tx: Tx, owner: WebhookOwner, deliveryId: string): Promise<"queued" | "not_found" | "in_progress"> {
  const [row] = await tx
    .select({ id: webhookDeliveries.id, status: webhookDeliveries.status, attempts: webhookDeliveries.attempts })
    .from(webhookDeliveries)
    .innerJoin(webhookEndpoints, eq(webhookEndpoints.id, webhookDeliveries.endpointId))
    .where(and(eq(webhookDeliveries.id, deliveryId), ownedBy(owner)))
    .for("update", { of: webhookDeliveries })
    .limit(1);
  if (!row) return "not_found";
  if (row.status === "pending" || row.status === "retrying") return "in_progress";
  await tx.update(webhookDeliveries).set({ status: "pending" }).where(eq(webhookDeliveries.id, deliveryId));
  await enqueueJob(tx, { kind: WEBHOOK_DELIVERY_JOB, payload: { deliveryId }, dedupeKey: `webhook:${deliveryId}:again:${row.attempts}`, maxAttempts: WEBHOOK_MAX_ATTEMPTS });
  return "queued";
}

/** Who is told about a team's endpoint: its owners and admins (active, not deleted), with the team's address and name. */
export async function teamAdministrators(tx: Executor, teamId: string): Promise<{ userId: string; teamSlug: string; teamName: string }[]> {
  return tx
    .select({ userId: users.id, teamSlug: teams.slug, teamName: teams.name })
    .from(teamMembers)
    .innerJoin(teams, and(eq(teams.id, teamMembers.teamId), isNull(teams.deletedAt)))
    .innerJoin(users, and(eq(users.id, teamMembers.userId), isNull(users.deletedAt)))
    .where(and(eq(teamMembers.teamId, teamId), inArray(teamMembers.role, ["owner", "admin"])));
}
