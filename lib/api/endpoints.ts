import "server-only";
import { getDb } from "@/db";
import { usageForOwner } from "@/db/queries/usage";
import { getProfile } from "@/db/queries/users";
import { updateProfile } from "../commands/accounts";
import { createKey, deleteKey, getKey, listKeys, reportLeakedKeys, rotateKey, updateKey } from "../commands/keys";
import { AppError } from "../errors";
import { DEFAULT_GRACE } from "../keys/grace";
import { verifyKey } from "../keys/verify";
import { clientIp, contextFromHeaders } from "../request-context";
import { isScope, type Scope } from "../scopes";
import { apiActor, apiPersonActor, authenticate, lookupWithCaller, personId, verifyDeps } from "./authenticate";
import { keyDto } from "./dto";
import { handler, json, readJson, readQuery } from "./http";
import { acceptLeakReport } from "./leak-report";
import { OPERATIONS as OP, type OperationId } from "./operations";
import { apiServices } from "./services";

// The body of every /api/v1 operation, one function per entry of lib/api/operations.ts, as thin
// adapters over lib/commands: parse, call one command, shape the answer. The router (lib/api/app.ts)
// takes method and path from operations.ts; whoever serves it (server.mjs directly, or the Next
// route app/api/v1/[[...path]]) passes the path parameters and a way to run work after the answer.

export type EndpointContext = {
  params: Record<string, string>;
  /** Runs a task after the response is sent (Next's after() inside Next, the event loop in server.mjs). */
  defer: (task: () => Promise<void>) => void;
};
type Endpoint = (request: Request, context: EndpointContext) => Promise<Response>;

const REPORTS_PER_MINUTE = 10;

function ownerDto(user: { id: string; email: string; name: string; role: string; createdAt: Date }) {
  return { id: user.id, email: user.email, name: user.name, role: user.role, createdAt: user.createdAt.toISOString() };
}

const bodies: { [K in OperationId]: Endpoint } = {
  // Who this key belongs to and what it may do. Any valid key may ask.
  async me(request) {
    const { key } = await authenticate(request);
    const { owner } = key;
    return json({
      // A team key authenticates as its team, never as the person who created it.
      owner:
        owner.type === "team"
          ? { type: "team" as const, id: owner.id, slug: owner.slug, name: owner.name }
          : { type: "user" as const, id: owner.id, email: owner.email, name: owner.name },
      key: { id: key.id, name: key.name, access: key.access, scopes: key.scopes, expiresAt: key.expiresAt?.toISOString() ?? null },
    });
  },

  async "keys.list"(request) {
    const caller = await authenticate(request, "keys:read");
    const page = readQuery(request, OP["keys.list"].query, "limit must be 1-100 and offset 0 or more.");
    const keys = await listKeys(await getDb(), apiActor(request, caller), page);
    const now = new Date();
    return json({ data: keys.map((k) => keyDto(k, now)), limit: page.limit, offset: page.offset });
  },

  async "keys.create"(request) {
    const caller = await authenticate(request, "keys:write");
    const body = await readJson(request, OP["keys.create"].body);
    const { key, secret } = await createKey(await getDb(), apiActor(request, caller), body);
    // The only response that ever carries this secret.
    return json({ ...keyDto(key), key: secret }, { status: 201 });
  },

  // Another user's key, an unknown id and a malformed id all answer the same 404; a revoked or
  // expired key cannot be changed (409), only deleted. The checks live in lib/commands/keys.ts.
  async "keys.get"(request, { params }) {
    const caller = await authenticate(request, "keys:read");
    return json(keyDto(await getKey(await getDb(), apiActor(request, caller), params.id!)));
  },

  async "keys.update"(request, { params }) {
    const caller = await authenticate(request, "keys:write");
    const body = await readJson(request, OP["keys.update"].body);
    return json(keyDto(await updateKey(await getDb(), apiActor(request, caller), params.id!, body)));
  },

  async "keys.delete"(request, { params }) {
    const caller = await authenticate(request, "keys:write");
    return json(keyDto(await deleteKey(await getDb(), apiActor(request, caller), params.id!)));
  },

  // A new secret for the same key, shown once. Only a key's current secret may rotate, and never
  // a key that outlives it (lib/commands/keys.ts).
  async "keys.rotate"(request, { params }) {
    const caller = await authenticate(request, "keys:rotate");
    const hasBody = request.headers.has("content-type") || Number(request.headers.get("content-length") ?? 0) > 0;
    const body = hasBody ? await readJson(request, OP["keys.rotate"].body) : { grace: DEFAULT_GRACE };
    const { key, secret, graceUntil } = await rotateKey(await getDb(), apiActor(request, caller), params.id!, body.grace);
    // The only response that ever carries the new secret.
    return json({ ...keyDto(key), key: secret, previousSecretValidUntil: graceUntil.toISOString() });
  },

  // Lets another service check a key it was handed (keys:verify).
  async "keys.verify"(request) {
    // The body is read first, so that the calling key and the key it checks are found in one
    // round trip; a bad body is still answered only after the caller is authenticated.
    const parsed = await readJson(request, OP["keys.verify"].body).then(
      (body) => ({ body }),
      (error: unknown) => ({ error }),
    );
    const lookup = "body" in parsed ? await lookupWithCaller(request, parsed.body.key) : undefined;
    await authenticate(request, "keys:verify", lookup);
    if ("error" in parsed) throw parsed.error;
    const { body } = parsed;
    // An unknown scope can never be held, so asking for one is simply INSUFFICIENT_SCOPE.
    const wanted = (body.scopes ?? []) as Scope[];
    const unknown = wanted.filter((s) => !isScope(s));
    // The checked key's allowlist is about the end client, whose address only the verifying service
    // knows: `ip` in the body. Without it, a key with an allowlist is refused (IP_NOT_ALLOWED).
    const result = await verifyKey({ ...(await verifyDeps(request)), lookup }, body.key, {
      scopes: wanted.filter(isScope),
      ip: body.ip ?? clientIp(request.headers),
      allowlistIp: body.ip ?? null,
    });
    const key = "key" in result ? result.key : null;
    const code = result.code === "VALID" && unknown.length > 0 ? "INSUFFICIENT_SCOPE" : result.code;
    return json({
      valid: code === "VALID",
      code,
      keyId: key?.id ?? null,
      ownerType: key?.owner.type ?? null,
      ownerId: key?.owner.id ?? null,
      scopes: key?.scopes ?? [],
      expiresAt: key?.expiresAt?.toISOString() ?? null,
      // Only a key that was found and is otherwise valid has scopes worth naming.
      ...(code === "INSUFFICIENT_SCOPE" ? { missingScopes: [...("missing" in result ? result.missing : []), ...unknown] } : {}),
      ...(result.code === "RATE_LIMITED" ? { retryAfterSeconds: result.retryAfterSeconds } : {}),
      ...(result.code === "IP_NOT_ALLOWED"
        ? {
            message: result.ip
              ? `The key does not accept requests from ${result.ip}: add it to the key's allowed IP addresses, or refuse the request.`
              : "The key only accepts requests from its allowed IP addresses: pass the client's address in `ip`.",
          }
        : {}),
      // The checked key's limit after this check (not the verifier's, which is in the headers).
      ...("rate" in result ? { rateLimit: { limit: result.rate.limit, remaining: result.rate.remaining, resetSeconds: result.rate.resetSeconds } } : {}),
    });
  },

  // For secret scanners. No key needed (a leaked key is reported by whoever found it); rate
  // limited per address; the answer never says which keys were real, by its content or by its
  // timing (the revocations run after the response: lib/api/leak-report.ts).
  async "keys.revokeLeaked"(request, { defer }) {
    const db = await getDb();
    const limit = await apiServices().reports.take(db, `leak:${clientIp(request.headers) ?? "unknown"}`, REPORTS_PER_MINUTE);
    if (!limit.ok) {
      throw new AppError("rate_limited", {
        message: "Too many reports from this address. Wait and retry.",
        headers: { "Retry-After": String(limit.retryAfterSeconds) },
      });
    }
    const body = await readJson(request, OP["keys.revokeLeaked"].body);
    const context = contextFromHeaders(request.headers);
    return acceptLeakReport(body, { defer, revoke: (candidates, source) => reportLeakedKeys(db, candidates, context, source) });
  },

  // Requests per key per day for the owner's keys (a team key: the team's keys).
  async "usage.list"(request) {
    const { key } = await authenticate(request, "usage:read");
    const query = readQuery(request, OP["usage.list"].query, "days must be 1-90; keyId a key id.");
    const owner = key.owner.type === "team" ? { teamId: key.owner.id, actorId: null } : key.owner.id;
    const rows = await usageForOwner(await getDb(), owner, query.days, query.keyId);
    return json({ days: query.days, data: rows });
  },

  async "profile.get"(request) {
    const caller = await authenticate(request, "profile:read");
    // The account can vanish between verification and this read: 404 user_not_found, never a 500.
    return json(ownerDto(await getProfile(await getDb(), personId(caller))));
  },

  async "profile.update"(request) {
    const caller = await authenticate(request, "profile:write");
    const body = await readJson(request, OP["profile.update"].body);
    return json(ownerDto(await updateProfile(await getDb(), apiPersonActor(request, caller), body)));
  },
};

/** Every operation's body inside handler(): errors become their responses, the caller's limit its headers. */
export const ENDPOINTS = Object.fromEntries(Object.entries(bodies).map(([id, body]) => [id, handler(id as OperationId, body)])) as {
  [K in OperationId]: Endpoint;
};
