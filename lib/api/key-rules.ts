import "server-only";
import { expiryPolicyError } from "../policy";
import { missingScopes, normalizeScopes, type Scope } from "../scopes";
import type { ApiCaller } from "./authenticate";
import { ApiProblem, apiError } from "./http";

/**
 * A key can never mint or widen a key beyond itself: requested scopes must be a subset of the
 * caller's, and a caller that expires cannot create a key that outlives it.
 */
export function assertWithinCaller(caller: ApiCaller, wanted: { scopes?: Scope[]; expiresAt?: Date | null }) {
  if (wanted.scopes) {
    const missing = missingScopes(caller.key.scopes, wanted.scopes);
    if (missing.length > 0) {
      throw new ApiProblem(
        apiError(403, "insufficient_scope", `A key cannot grant scopes it does not have: ${missing.join(", ")}.`, {
          details: { required: missing },
        }),
      );
    }
  }
  const limit = caller.key.expiresAt;
  if (limit && wanted.expiresAt !== undefined && (wanted.expiresAt === null || wanted.expiresAt > limit)) {
    throw new ApiProblem(
      apiError(403, "expiry_beyond_caller", `A key cannot create a key that outlives it (this key expires ${limit.toISOString()}).`),
    );
  }
}

/**
 * The deployment's maximum key lifetime applies to the API exactly as to the dashboard. For an
 * edit, pass the key: its maximum counts from its creation, not from today.
 */
export function assertExpiryPolicy(expiresAt: Date | null | undefined, key?: { createdAt: Date; expiresAt: Date | null }) {
  if (expiresAt === undefined) return;
  const problem = expiryPolicyError(expiresAt, key);
  if (problem) {
    throw new ApiProblem(apiError(422, "validation_failed", problem, { details: { fields: { expiresAt: problem } } }));
  }
}

/** A key may only change or delete keys whose scopes it holds itself. */
export function assertCanManage(caller: ApiCaller, target: { scopes: string[] }) {
  const missing = missingScopes(caller.key.scopes, normalizeScopes(target.scopes as Scope[]).scopes);
  if (missing.length > 0) {
    throw new ApiProblem(
      apiError(403, "insufficient_scope", `This key cannot manage a key with more access than itself (${missing.join(", ")}).`, {
        details: { required: missing },
      }),
    );
  }
}

/**
 * Rotation needs the key's current secret. A previous secret still in its grace period keeps
 * authenticating so apps can switch over, but if it could rotate, whoever leaked it could mint
 * a fresh secret and lock the owner out: the grace period would become a takeover window.
 */
export function assertCurrentSecret(caller: ApiCaller) {
  if (caller.key.viaPreviousSecret) {
    throw new ApiProblem(
      apiError(
        403,
        "previous_secret",
        "This is the key's previous secret, still in its rotation grace period. Only the current secret can rotate the key: use the newest secret.",
      ),
    );
  }
}
