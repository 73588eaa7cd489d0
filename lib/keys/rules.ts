// The rules a key command checks before it changes or hands out a key. Pure: no I/O. Two kinds:
// the deployment's policy (maximum lifetime, from the environment), which applies to everyone;
// and the caller's limits, which apply when a command runs through an API key: a key can never
// create, widen or hand out a credential beyond its own scopes or its own lifetime.
import { AppError } from "../errors";
import { allowlistWithin } from "./cidr";
import { expiryPolicyError } from "../policy";
import { missingScopes, normalizeScopes, type Scope } from "../scopes";
import { DAY_MS } from "../time";
import { DEFAULT_LIFETIME_DAYS } from "../validation/api-key.limits";

/**
 * The key an /api/v1 request acts through. A dashboard session has none; a key carries limits of
 * its own (its scopes and its lifetime) that every key command checks with the rules below.
 */
export type CallerKey = {
  id: string;
  scopes: readonly string[];
  expiresAt: Date | null;
  /** The request authenticated with a previous secret still in its rotation grace period. */
  viaPreviousSecret: boolean;
  /** The caller's own IP allowlist (null or absent: any address). */
  allowedIps?: readonly string[] | null;
};

/** The expiry of a key created without one. */
export function defaultExpiry(now: Date): Date {
  return new Date(now.getTime() + DEFAULT_LIFETIME_DAYS * DAY_MS);
}

/**
 * The deployment's maximum key lifetime. For an edit, pass the key: its maximum counts from its
 * creation, not from today. Answers 422 naming the field `expiresAt`.
 */
export function assertExpiryAllowed(expiresAt: Date | null | undefined, key?: { createdAt: Date; expiresAt: Date | null }, now?: Date) {
  if (expiresAt === undefined) return;
  const problem = expiryPolicyError(expiresAt, key, now);
  if (problem) throw new AppError("validation_failed", { message: problem, fieldErrors: { expiresAt: problem } });
}

/** Whether a key expiring at `expiresAt` outlives the caller (a caller that never expires is outlived by none). */
export function outlivesCaller(caller: CallerKey, expiresAt: Date | null): boolean {
  return caller.expiresAt !== null && (expiresAt === null || expiresAt.getTime() > caller.expiresAt.getTime());
}

function beyondLifetime(caller: CallerKey, message: string): AppError {
  return new AppError("expiry_beyond_caller", {
    message: `${message} (this key expires ${caller.expiresAt?.toISOString()}).`,
    details: { callerExpiresAt: caller.expiresAt?.toISOString() ?? null },
  });
}

/** Scopes a key asks to grant must be its own, and an expiry it sets must not outlive it. */
export function assertMayGrant(caller: CallerKey | undefined, wanted: { scopes?: readonly string[]; expiresAt?: Date | null }) {
  if (!caller) return;
  if (wanted.scopes) {
    const missing = missingScopes(caller.scopes as Scope[], wanted.scopes as Scope[]);
    if (missing.length > 0) {
      throw new AppError("insufficient_scope", {
        message: `A key cannot grant scopes it does not have: ${missing.join(", ")}.`,
        details: { required: missing },
      });
    }
  }
  if (wanted.expiresAt !== undefined && outlivesCaller(caller, wanted.expiresAt)) {
    throw beyondLifetime(caller, "A key cannot create a key that outlives it");
  }
}

/** A key may only change, rotate or delete keys whose scopes it holds itself. */
export function assertMayManage(caller: CallerKey | undefined, target: { scopes: readonly string[] }) {
  if (!caller) return;
  const missing = missingScopes(caller.scopes as Scope[], normalizeScopes(target.scopes as Scope[]).scopes);
  if (missing.length > 0) {
    throw new AppError("insufficient_scope", {
      message: `This key cannot manage a key with more access than itself (${missing.join(", ")}).`,
      details: { required: missing },
    });
  }
}

/**
 * Rotation hands the caller the target's new secret, valid until the target expires: a key may
 * rotate itself or a key that dies no later than it does, never one that outlives it (that would
 * be creating a longer-lived credential by another door).
 */
export function assertMayRotate(caller: CallerKey | undefined, target: { id: string; expiresAt: Date | null }) {
  if (!caller || caller.id === target.id) return;
  if (outlivesCaller(caller, target.expiresAt)) {
    throw beyondLifetime(caller, "A key cannot rotate a key that outlives it: rotate it with a longer-lived key or in the dashboard");
  }
}

/**
 * Adding scopes to a key that outlives the caller would leave more power in a credential that
 * lasts longer than the caller: refused. Renaming, re-describing and narrowing are fine.
 */
export function assertMayWiden(caller: CallerKey | undefined, target: { id: string; scopes: readonly string[]; expiresAt: Date | null }, scopes?: readonly string[]) {
  if (!caller || !scopes || caller.id === target.id) return;
  const added = scopes.filter((s) => !target.scopes.includes(s));
  if (added.length > 0 && outlivesCaller(caller, target.expiresAt)) {
    throw beyondLifetime(caller, "A key cannot add scopes to a key that outlives it");
  }
}

/**
 * Rotation needs the key's current secret. A previous secret still in its grace period keeps
 * authenticating so apps can switch over, but if it could rotate, whoever leaked it could mint
 * a fresh secret and lock the owner out: the grace period would become a takeover window.
 */
export function assertCurrentSecret(caller: CallerKey | undefined) {
  if (caller?.viaPreviousSecret) throw new AppError("previous_secret");
}

// IP allowlists through the API, as scopes: a key grants only what it has. An allowlist limits
// where a leaked secret can be used, so a key must not hand out a way around its own:
// - a key gives a key (create or edit) only addresses it may use itself: a key with an allowlist
//   creates only keys whose allowlist lies within its own (a key without one, usable anywhere,
//   would be a way out of the caller's networks), and cannot remove or widen a key's allowlist
//   beyond its own; any key may narrow one. A key without an allowlist may set any (it could
//   create an equivalent key anyway);
// - a key with an allowlist rotates only itself or keys whose allowlist lies within its own
//   (rotation hands out the target's secret, usable wherever the target is).

function beyondAllowlist(message: string): AppError {
  return new AppError("allowed_ips_beyond_caller", { message, fieldErrors: { allowedIps: message } });
}

/** A key created through a key with an allowlist must be limited to addresses the caller may use. */
export function assertMayGrantAllowlist(caller: CallerKey | undefined, allowedIps: readonly string[] | null) {
  if (!caller?.allowedIps) return;
  if (!allowlistWithin(allowedIps, caller.allowedIps)) {
    throw beyondAllowlist(
      `This key may only be used from ${caller.allowedIps.join(", ")}, so a key it creates needs allowed IPs within those.`,
    );
  }
}

/**
 * Through a key, a target's new allowlist (undefined: unchanged) must lie within the caller's own
 * or within the target's current one (a narrowing).
 */
export function assertMayChangeAllowlist(
  caller: CallerKey | undefined,
  target: { allowedIps: readonly string[] | null },
  allowedIps: readonly string[] | null | undefined,
) {
  if (!caller?.allowedIps || allowedIps === undefined) return;
  if (allowlistWithin(allowedIps, caller.allowedIps) || allowlistWithin(allowedIps, target.allowedIps)) return;
  throw beyondAllowlist(
    allowedIps === null
      ? `This key may only be used from ${caller.allowedIps.join(", ")}, so it cannot let a key be used from any address. Remove the allowed IPs in the dashboard.`
      : `This key may only be used from ${caller.allowedIps.join(", ")}, so it can narrow a key's allowed IPs or set them within its own, not widen them. Widen them in the dashboard.`,
  );
}

/** A key with an allowlist rotates itself, or keys no more reachable than itself. */
export function assertMayRotateAllowlist(caller: CallerKey | undefined, target: { id: string; allowedIps: readonly string[] | null }) {
  if (!caller?.allowedIps || caller.id === target.id) return;
  if (!allowlistWithin(target.allowedIps, caller.allowedIps)) {
    throw beyondAllowlist("This key cannot rotate a key usable from addresses it cannot use itself. Rotate it in the dashboard.");
  }
}
