import "server-only";
import { randomUUID } from "node:crypto";
import dns from "node:dns/promises";
import type { Database } from "@/db/client";
import { recordAudit } from "@/db/queries/audit";
import { insertNotices } from "@/db/queries/notifications";
import { lockMembership } from "@/db/queries/teams";
import {
  WEBHOOK_ENDPOINTS_MAX,
  WEBHOOK_MAX_ATTEMPTS,
  countEndpoints,
  deleteEndpoint,
  deliveryToSend,
  failDelivery,
  findEndpoint,
  insertEndpoint,
  listDeliveries,
  listEndpoints,
  queueDeliveries,
  recordDeliveryAttempt,
  redeliver,
  teamAdministrators,
  updateEndpoint,
  type EndpointSummary,
  type WebhookOwner,
} from "@/db/queries/webhooks";
import { config } from "../config";
import { seal, unseal } from "../crypto/seal";
import { AppError } from "../errors";
import { PermanentJobError } from "../jobs/runner";
import { log } from "../log";
import { mailConfigured } from "../mail";
import { getSecrets } from "../secrets";
import { parseInput, uuidSchema } from "../validation/common";
import { createWebhookInput, updateWebhookInput } from "../validation/webhook.schema";
import { isTeamSlug } from "../teams/slug";
import { canAdministerTeam } from "../teams/roles";
import { addressBlocked, endpointUrlProblem, hostPort, parseAllowedHosts, urlProblemText } from "../webhooks/address";
import { postWebhook } from "../webhooks/deliver";
import { WEBHOOK_TEST_EVENT, type WebhookPayload } from "../webhooks/events";
import { newWebhookSecret, webhookHeaders } from "../webhooks/signing";
import type { Actor } from "./actor";

// Webhook endpoints (Settings -> Webhooks): who may register, change, delete and test them, and the
// delivery job. A person manages their own endpoints, which hear of their own keys' events. The
// events themselves are queued by recordAudit (db/queries/audit.ts) and the expiry scan.

/** The sealed secret's context: a seal copied into another endpoint's row does not open there. */
const sealContext = (endpointId: string) => `webhook-secret:${endpointId}`;
const openKeys = () => [getSecrets().encryptionKey, ...config.encryptionKeysPrevious];

type Tx = Parameters<Parameters<Database["transaction"]>[0]>[0];

/**
 * Whose endpoints a command acts on, decided inside its transaction: the person's own, or with a
 * team's address (untrusted), the team's, for its owners and admins only (the membership
 * share-locked until the change commits). A non-member learns nothing: team_not_found.
 */
async function ownerIn(tx: Tx | Database, actor: Pick<Actor, "userId" | "key">, team: unknown): Promise<WebhookOwner> {
  if (team === undefined) return { userId: actor.userId };
  if (actor.key || !isTeamSlug(team)) throw new AppError("team_not_found");
  const membership = await lockMembership(tx as Tx, team, actor.userId);
  if (!membership) throw new AppError("team_not_found");
  if (!canAdministerTeam(membership.role)) throw new AppError("team_webhooks_admins_only");
  return { teamId: membership.team.id };
}

/** A team endpoint's audit events join the team's log. */
function teamMeta(owner: WebhookOwner): { teamId?: string } {
  return "teamId" in owner ? { teamId: owner.teamId } : {};
}

function idOrNotFound(raw: unknown, code: "webhook_not_found" | "webhook_delivery_not_found"): string {
  const parsed = uuidSchema.safeParse(raw);
  if (!parsed.success) throw new AppError(code);
  return parsed.data;
}

/** How long the registration's DNS check may take before it gives up (the delivery checks again). */
const RESOLVE_TIMEOUT_MS = 3_000;

/**
 * The URL's rules (lib/webhooks/address.ts), then its host's addresses now: a name that resolves to
 * a private address is refused here with words, not only at delivery. A name that does not resolve
 * is refused too; an allowlisted host is not looked up.
 */
async function checkEndpointUrl(raw: string): Promise<string> {
  const allowed = parseAllowedHosts(config.webhookAllowedHosts);
  const problem = endpointUrlProblem(raw, allowed);
  if (problem) throw new AppError("validation_failed", { fieldErrors: { url: urlProblemText(problem) } });
  const url = new URL(raw);
  if (allowed.has(hostPort(url))) return url.toString();
  const host = url.hostname.replace(/^\[|\]$/g, "");
  let timer: NodeJS.Timeout | undefined;
  const addresses = await Promise.race([
    dns.lookup(host, { all: true }).catch(() => null),
    new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), RESOLVE_TIMEOUT_MS))),
  ]).finally(() => clearTimeout(timer));
  if (!addresses || addresses.length === 0) throw new AppError("validation_failed", { fieldErrors: { url: `The host name ${host} does not resolve. Check the URL.` } });
  if (addresses.some((a) => addressBlocked(a.address))) throw new AppError("validation_failed", { fieldErrors: { url: urlProblemText("blocked_address") } });
  return url.toString();
}

/** The person's endpoints, or with `team` (an address) the team's, for its owners and admins. */
export async function myEndpoints(db: Database, actor: Pick<Actor, "userId" | "key">, team?: unknown): Promise<EndpointSummary[]> {
  return db.transaction(async (tx) => listEndpoints(tx, await ownerIn(tx, actor, team)));
}

/** One of the actor's endpoints and its newest deliveries (anyone else's: not found). */
export async function endpointWithDeliveries(db: Database, actor: Pick<Actor, "userId" | "key">, rawId: unknown, team?: unknown) {
  return db.transaction(async (tx) => {
    const owner = await ownerIn(tx, actor, team);
    const id = idOrNotFound(rawId, "webhook_not_found");
    const endpoint = await findEndpoint(tx, owner, id);
    if (!endpoint) throw new AppError("webhook_not_found");
    return { endpoint, deliveries: await listDeliveries(tx, id) };
  });
}

/**
 * Registers an endpoint for the actor's keys' events. Returns the endpoint and its signing secret,
 * which exists in this answer only: the row keeps it sealed (lib/crypto/seal.ts).
 */
export async function createEndpoint(db: Database, actor: Actor, raw: unknown, team?: unknown): Promise<{ endpoint: EndpointSummary; secret: string }> {
  // The team is checked first (a non-member learns nothing from the URL's words), and again in the transaction.
  if (team !== undefined) await ownerIn(db, actor, team);
  const input = parseInput(createWebhookInput, raw);
  const url = await checkEndpointUrl(input.url);
  const id = randomUUID();
  const secret = newWebhookSecret();
  const endpoint = await db.transaction(async (tx) => {
    const owner = await ownerIn(tx, actor, team);
    if ((await countEndpoints(tx, owner)) >= WEBHOOK_ENDPOINTS_MAX) throw new AppError("webhook_limit_reached");
    const created = await insertEndpoint(tx, {
      id,
      owner,
      url,
      description: input.description,
      events: input.events,
      secretSealed: seal(secret, sealContext(id), getSecrets().encryptionKey),
      createdBy: actor.userId,
    });
    await recordAudit(tx, { actorId: actor.userId, action: "webhook.created", targetType: "webhook", targetId: id, metadata: { url, events: input.events, ...teamMeta(owner) }, context: actor.context });
    return created;
  });
  return { endpoint, secret };
}

/** Changes an endpoint's URL, description or events, or turns it on or off. */
export async function changeEndpoint(db: Database, actor: Actor, rawId: unknown, raw: unknown, team?: unknown): Promise<EndpointSummary> {
  if (team !== undefined) await ownerIn(db, actor, team);
  const id = idOrNotFound(rawId, "webhook_not_found");
  const input = parseInput(updateWebhookInput, raw);
  const url = input.url !== undefined ? await checkEndpointUrl(input.url) : undefined;
  return db.transaction(async (tx) => {
    const owner = await ownerIn(tx, actor, team);
    if (!(await findEndpoint(tx, owner, id, true))) throw new AppError("webhook_not_found");
    const updated = await updateEndpoint(tx, owner, id, { url, description: input.description, events: input.events, enabled: input.enabled });
    if (!updated) throw new AppError("webhook_not_found");
    await recordAudit(tx, {
      actorId: actor.userId,
      action: "webhook.updated",
      targetType: "webhook",
      targetId: id,
      metadata: { url: updated.url, ...(input.events ? { events: updated.events } : {}), ...(input.enabled !== undefined ? { enabled: input.enabled } : {}), ...teamMeta(owner) },
      context: actor.context,
    });
    return updated;
  });
}

/** A new signing secret for an endpoint, returned once; the one it replaces keeps signing beside it for a day. */
export async function rotateEndpointSecret(db: Database, actor: Actor, rawId: unknown, team?: unknown): Promise<{ endpoint: EndpointSummary; secret: string }> {
  const secret = newWebhookSecret();
  const endpoint = await db.transaction(async (tx) => {
    const owner = await ownerIn(tx, actor, team);
    const id = idOrNotFound(rawId, "webhook_not_found");
    const updated = await updateEndpoint(tx, owner, id, { secretSealed: seal(secret, sealContext(id), getSecrets().encryptionKey), clockOffsetMs: actor.clockOffsetMs });
    if (!updated) throw new AppError("webhook_not_found");
    await recordAudit(tx, { actorId: actor.userId, action: "webhook.secret_rotated", targetType: "webhook", targetId: id, metadata: { url: updated.url, ...teamMeta(owner) }, context: actor.context });
    return updated;
  });
  return { endpoint, secret };
}

export async function removeEndpoint(db: Database, actor: Actor, rawId: unknown, team?: unknown): Promise<EndpointSummary> {
  return db.transaction(async (tx) => {
    const owner = await ownerIn(tx, actor, team);
    const id = idOrNotFound(rawId, "webhook_not_found");
    const deleted = await deleteEndpoint(tx, owner, id);
    if (!deleted) throw new AppError("webhook_not_found");
    await recordAudit(tx, { actorId: actor.userId, action: "webhook.deleted", targetType: "webhook", targetId: id, metadata: { url: deleted.url, ...teamMeta(owner) }, context: actor.context });
    return deleted;
  });
}

/** Queues a `webhook.test` event to one enabled endpoint (delivered, logged and retried like any other). */
export async function sendTestEvent(db: Database, actor: Actor, rawId: unknown, team?: unknown): Promise<void> {
  await db.transaction(async (tx) => {
    const owner = await ownerIn(tx, actor, team);
    const id = idOrNotFound(rawId, "webhook_not_found");
    const endpoint = await findEndpoint(tx, owner, id, true);
    if (!endpoint) throw new AppError("webhook_not_found");
    if (endpoint.disabledAt) throw new AppError("webhook_disabled");
    const payload: WebhookPayload = {
      type: WEBHOOK_TEST_EVENT,
      timestamp: new Date(Date.now() + actor.clockOffsetMs).toISOString(),
      data: { endpoint: { id: endpoint.id, url: endpoint.url }, message: "A test event from Keysmith. Answer with a 2xx status to acknowledge it." },
    };
    await queueDeliveries(tx, [{ endpointId: id, event: WEBHOOK_TEST_EVENT, payload, dedupeKey: null }]);
  });
}

/** Sends one of the actor's deliveries again (after its attempts ended). */
export async function redeliverDelivery(db: Database, actor: Actor, rawId: unknown, team?: unknown): Promise<void> {
  const result = await db.transaction(async (tx) => redeliver(tx, await ownerIn(tx, actor, team), idOrNotFound(rawId, "webhook_delivery_not_found")));
  if (result === "not_found") throw new AppError("webhook_delivery_not_found");
  if (result === "in_progress") throw new AppError("webhook_delivery_in_progress");
}

/**
 * The delivery job (lib/jobs/app-jobs.ts): one attempt, signed anew (a fresh timestamp, the same
 * `webhook-id`), its outcome recorded; a failure throws so the runner retries it with the webhook
 * schedule, until the last attempt. An endpoint failing for 3 days is disabled here and its owner told.
 */
export async function deliverWebhook(db: Database, input: { deliveryId: string; attempt: number; clockOffsetMs: number }): Promise<void> {
  const delivery = await deliveryToSend(db, input.deliveryId, input.clockOffsetMs);
  if (!delivery) throw new PermanentJobError("The delivery or its endpoint no longer exists.");
  if (delivery.endpoint.disabledAt) {
    await failDelivery(db, delivery.id, "Not sent: the endpoint is disabled.");
    throw new PermanentJobError("The endpoint is disabled.");
  }
  const secrets: string[] = [];
  try {
    secrets.push(unseal(delivery.endpoint.secretSealed, sealContext(delivery.endpoint.id), openKeys()));
    if (delivery.previousSecretSealed) secrets.push(unseal(delivery.previousSecretSealed, sealContext(delivery.endpoint.id), openKeys()));
  } catch (error) {
    await failDelivery(db, delivery.id, "Not sent: the signing secret cannot be opened (ENCRYPTION_KEY changed). Make a new secret for the endpoint.");
    throw new PermanentJobError(`The endpoint's secret cannot be opened: ${error instanceof Error ? error.message : String(error)}`);
  }
  const body = JSON.stringify(delivery.payload);
  const messageId = `msg_${delivery.id.replaceAll("-", "")}`;
  // The real clock: a receiver compares the timestamp with its own (the test clock moves only Keysmith's).
  const headers = webhookHeaders(secrets, messageId, Math.floor(Date.now() / 1000), body);
  const outcome = await postWebhook({ url: delivery.endpoint.url, body, headers, allowedHosts: parseAllowedHosts(config.webhookAllowedHosts) });
  const final = !outcome.ok && input.attempt >= WEBHOOK_MAX_ATTEMPTS;
  const { disabled } = await recordDeliveryAttempt(db, {
    deliveryId: delivery.id,
    endpointId: delivery.endpoint.id,
    ok: outcome.ok,
    final,
    status: outcome.status,
    durationMs: outcome.durationMs,
    excerpt: outcome.excerpt,
    error: outcome.error,
    clockOffsetMs: input.clockOffsetMs,
  });
  if (disabled) await endpointDisabled(db, disabled);
  if (!outcome.ok) {
    if (disabled) throw new PermanentJobError(`Not retried: the endpoint was disabled after failing for 3 days. ${outcome.error ?? ""}`);
    throw new Error(outcome.error ?? "The delivery failed.");
  }
}

/** Tells the owner (in the app, and by mail unless they turned it off) and audits it. */
async function endpointDisabled(db: Database, endpoint: EndpointSummary): Promise<void> {
  log.warn("webhooks.endpoint_disabled", { endpoint: endpoint.id });
  await db.transaction(async (tx) => {
    await recordAudit(tx, { actorId: null, action: "webhook.disabled", targetType: "webhook", targetId: endpoint.id, metadata: { url: endpoint.url, ...(endpoint.teamId ? { teamId: endpoint.teamId } : {}) }, context: { ip: null, userAgent: null } });
    // A person's endpoint: its owner; a team's: the team's owners and admins.
    const told = endpoint.userId ? [{ userId: endpoint.userId, teamSlug: null, teamName: null }] : await teamAdministrators(tx, endpoint.teamId!);
    await insertNotices(
      tx,
      told.map((person) => ({
        userId: person.userId,
        kind: "webhook.disabled" as const,
        keyId: null,
        teamId: endpoint.teamId,
        data: { url: endpoint.url, endpointId: endpoint.id, teamSlug: person.teamSlug, teamName: person.teamName },
        dedupeKey: `webhook.disabled:${endpoint.id}:${endpoint.disabledAt?.toISOString()}:${person.userId}`,
      })),
      { mail: mailConfigured() },
    );
  });
}
