import type { z } from "zod";
import type { ErrorCode } from "../errors";
import type { Scope } from "../scopes";
import { createKeyBody, leakReportBody, listQuery, patchKeyBody, profilePatchBody, rotateKeyBody, usageQuery, verifyKeyBody } from "../validation/api.schema";

// Every /api/v1 operation: its method and path (the router, lib/api/app.ts, is built from them),
// its scope, the schemas of its body and query (the handlers validate with them and the OpenAPI
// document describes them: one definition), and the error codes it can answer. The OpenAPI
// document lists exactly these per operation (lib/api/openapi.ts), and the handler wrapper
// (lib/api/http.ts) logs any code an operation answers without declaring it here, which fails the
// e2e suite. A new failure of an operation is added here, or the suite says so.

/** A JSON body can fail in these ways before any of the operation's own rules run. */
const BODY: ErrorCode[] = ["invalid_json", "incomplete_body", "payload_too_large", "unsupported_media_type", "validation_failed"];
/** Every operation behind a key: no key, a bad key, a key over its limit, the database away. */
const AUTHENTICATED: ErrorCode[] = ["unauthorized", "user_suspended", "ip_not_allowed", "rate_limited", "service_unavailable", "internal_error"];
/** An operation that needs a scope can also answer that the key lacks it. */
const SCOPED: ErrorCode[] = [...AUTHENTICATED, "insufficient_scope"];

type Operation = {
  method: "GET" | "POST" | "PATCH" | "DELETE";
  path: string;
  scope: Scope | null;
  errors: readonly ErrorCode[];
  /** The JSON body; `bodyOptional` when the operation also runs without one. */
  body?: z.ZodType;
  bodyOptional?: boolean;
  query?: z.ZodObject;
};

export const OPERATIONS = {
  me: { method: "GET", path: "/me", scope: null, errors: AUTHENTICATED },
  "keys.list": { method: "GET", path: "/keys", scope: "keys:read", query: listQuery, errors: [...SCOPED, "validation_failed"] },
  "keys.create": {
    method: "POST",
    path: "/keys",
    scope: "keys:write",
    body: createKeyBody,
    errors: [...SCOPED, ...BODY, "expiry_beyond_caller", "allowed_ips_beyond_caller", "key_name_taken", "key_quota_reached"],
  },
  "keys.get": { method: "GET", path: "/keys/{id}", scope: "keys:read", errors: [...SCOPED, "key_not_found"] },
  "keys.update": {
    method: "PATCH",
    path: "/keys/{id}",
    scope: "keys:write",
    body: patchKeyBody,
    errors: [...SCOPED, ...BODY, "key_not_found", "expiry_beyond_caller", "allowed_ips_beyond_caller", "key_name_taken", "key_inactive"],
  },
  "keys.delete": { method: "DELETE", path: "/keys/{id}", scope: "keys:write", errors: [...SCOPED, "key_not_found"] },
  "keys.rotate": {
    method: "POST",
    path: "/keys/{id}/rotate",
    scope: "keys:rotate",
    body: rotateKeyBody,
    bodyOptional: true,
    errors: [...SCOPED, ...BODY, "key_not_found", "key_inactive", "expiry_beyond_caller", "allowed_ips_beyond_caller", "previous_secret"],
  },
  "keys.verify": { method: "POST", path: "/keys/verify", scope: "keys:verify", body: verifyKeyBody, errors: [...SCOPED, ...BODY] },
  "keys.revokeLeaked": {
    method: "POST",
    path: "/keys/revoke-leaked",
    scope: null,
    body: leakReportBody,
    errors: [...BODY, "rate_limited", "service_unavailable", "internal_error"],
  },
  "usage.list": { method: "GET", path: "/usage", scope: "usage:read", query: usageQuery, errors: [...SCOPED, "validation_failed"] },
  "profile.get": { method: "GET", path: "/profile", scope: "profile:read", errors: [...SCOPED, "user_not_found", "team_key_not_allowed"] },
  "profile.update": {
    method: "PATCH",
    path: "/profile",
    scope: "profile:write",
    body: profilePatchBody,
    errors: [...SCOPED, ...BODY, "user_not_found", "team_key_not_allowed"],
  },
} as const satisfies Record<string, Operation>;

export type OperationId = keyof typeof OPERATIONS;

/** The codes an operation can answer, each once. */
export function operationErrors(id: OperationId): ErrorCode[] {
  return [...new Set<ErrorCode>(OPERATIONS[id].errors)];
}
