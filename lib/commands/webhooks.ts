import "server-only";
import { randomUUID } from "node:crypto";
import dns from "node:dns/promises";
import type { Database } from "@/db/client";
import { recordAudit } from "@/db/queries/audit";
import { insertNotices } from "@/db/queries/notifications";
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

function ownerOf(actor: Pick<Actor, "userId">): WebhookOwner {
  return { userId: actor.userId };
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

export async function myEndpoints(db: Database, actor: Pick<Actor, "userId">): Promise<EndpointSummary[]> {
  return listEndpoints(db, ownerOf(actor));
}

/** One of the actor's endpoints and its newest deliveries (anyone else's: not found). */
export async function endpointWithDeliveries(db: Database, actor: Pick<Actor, "userId">, rawId: unknown) {
  const id = idOrNotFound(rawId, "webhook_not_found");
  const endpoint = await findEndpoint(db, ownerOf(actor), id);
  if (!endpoint) throw new AppError("webhook_not_found");
  return { endpoint, deliveries: await listDeliveries(db, id) };
}

/**
 * Registers an endpoint for the actor's keys' events. Returns the endpoint and its signing secret,
 * which exists in this answer only: the row keeps it sealed (lib/crypto/seal.ts).
 */
export async function createEndpoint(db: Database, actor: Actor, raw: unknown): Promise<{ endpoint: EndpointSummary; secret: string }> {
  const input = parseInput(createWebhookInput, raw);
  const url = await checkEndpointUrl(input.url);
  const owner = ownerOf(actor);
  const id = randomUUID();
  const secret = newWebhookSecret();
  const endpoint = await db.transaction(async (tx) => {
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
    await recordAudit(tx, { actorId: actor.userId, action: "webhook.created", targetType: "webhook", targetId: id, metadata: { url, events: input.events }, context: actor.context });
    return created;
  });
  return { endpoint, secret };
}

/** Changes an endpoint's URL, description or events, or turns it on or off. */
export async function changeEndpoint(db: Database, actor: Actor, rawId: unknown, raw: unknown): Promise<EndpointSummary> {
  const id = idOrNotFound(rawId, "webhook_not_found");
  const input = parseInput(updateWebhookInput, raw);
  const url = input.url !== undefined ? await checkEndpointUrl(input.url) : undefined;
  return db.transaction(async (tx) => {
    const owner = ownerOf(actor);
    if (!(await findEndpoint(tx, owner, id, true))) throw new AppError("webhook_not_found");
    const updated = await updateEndpoint(tx, owner, id, { url, description: input.description, events: input.events, enabled: input.enabled });
    if (!updated) throw new AppError("webhook_not_found");
    await recordAudit(tx, {
      actorId: actor.userId,
      action: "webhook.updated",
      targetType: "webhook",
      targetId: id,
      metadata: { url: updated.url, ...(input.events ? { events: updated.events } : {}), ...(input.enabled !== undefined ? { enabled: input.enabled } : {}) },
      context: actor.context,
    });
    return updated;
  });
}

/** A new signing secret for an endpoint, returned once; the one it replaces keeps signing beside it for a day. */
export async function rotateEndpointSecret(db: Database, actor: Actor, rawId: unknown): Promise<{ endpoint: EndpointSummary; secret: string }> {
  const id = idOrNotFound(rawId, "webhook_not_found");
  const secret = newWebhookSecret();
  const endpoint = await db.transaction(async (tx) => {
    const updated = await updateEndpoint(tx, ownerOf(actor), id, { secretSealed: seal(secret, sealContext(id), getSecrets().encryptionKey), clockOffsetMs: actor.clockOffsetMs });
    if (!updated) throw new AppError("webhook_not_found");
    await recordAudit(tx, { actorId: actor.userId, action: "webhook.secret_rotated", targetType: "webhook", targetId: id, metadata: { url: updated.url }, context: actor.context });
    return updated;
  });
  return { endpoint, secret };
}

export async function removeEndpoint(db: Database, actor: Actor, rawId: unknown): Promise<EndpointSummary> {
  const id = idOrNotFound(rawId, "webhook_not_found");
  return db.transaction(async (tx) => {
    const deleted = await deleteEndpoint(tx, ownerOf(actor), id);
    if (!deleted) throw new AppError("webhook_not_found");
    await recordAudit(tx, { actorId: actor.userId, action: "webhook.deleted", targetType: "webhook", targetId: id, metadata: { url: deleted.url }, context: actor.context });
    return deleted;
  });
}

/** Queues a `webhook.test` event to one enabled endpoint (delivered, logged and retried like any other). */
export async function sendTestEvent(db: Database, actor: Actor, rawId: unknown): Promise<void> {
  const id = idOrNotFound(rawId, "webhook_not_found");
  await db.transaction(async (tx) => {
    const endpoint = await findEndpoint(tx, ownerOf(actor), id, true);
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
export async function redeliverDelivery(db: Database, actor: Actor, rawId: unknown): Promise<void> {
  const id = idOrNotFound(rawId, "webhook_delivery_not_found");
  const result = await db.transaction((tx) => redeliver(tx, ownerOf(actor), id));
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
    await recordAudit(tx, { actorId: null, action: "webhook.disabled", targetType: "webhook", targetId: endpoint.id, metadata: { url: endpoint.url }, context: { ip: null, userAgent: null } });
    if (!endpoint.userId) return;
    await insertNotices(
      tx,
      [{ userId: endpoint.userId, kind: "webhook.disabled", keyId: null, teamId: null, data: { url: endpoint.url, endpointId: endpoint.id }, dedupeKey: `webhook.disabled:${endpoint.id}:${endpoint.disabledAt?.toISOString()}` }],
      { mail: mailConfigured() },
    );
  });
}
