import "server-only";
import type { Database } from "@/db/client";
import { recordPasskeySignInFailure, recordSignIn } from "@/db/queries/audit";
import { addToWindow, windowCounts } from "@/db/queries/rate-limits";
import type { SessionUser } from "@/db/queries/users";
import type { RequestContext } from "../audit-events";
import { isBreakGlassAdmin } from "../accounts/sso-policy";
import { ssoOnlyNow } from "../commands/sso";
import { verifyPasskeyAssertion } from "../commands/passkeys";
import { config } from "../config";
import { log } from "../log";
import type { RelyingParty } from "../passkeys/rules";
import { LOGIN_WINDOW_MS } from "./credentials";

export type PasskeySignInResult =
  | { ok: true; user: SessionUser; passkeyName: string }
  | { ok: false; reason: "invalid" | "suspended" | "sso_only" }
  | { ok: false; reason: "rate_limited"; retryAfterSeconds: number };

/**
 * "Sign in with a passkey" (next-auth's "passkey" provider ends here). Failed attempts count
 * against the same per-address limit as failed passwords (in the shared database), and once it is
 * reached nothing is verified until the window ends. Successes and failures are audited with the
 * method; a suspended account is refused and told so, as the password form does.
 */
export async function signInWithPasskey(
  db: Database,
  input: { response: unknown; challengeToken: string | undefined; rp: RelyingParty; clockOffsetMs: number },
  context: RequestContext,
  now = Date.now(),
): Promise<PasskeySignInResult> {
  const windowStart = new Date(Math.floor(now / LOGIN_WINDOW_MS) * LOGIN_WINDOW_MS);
  const address = `login:address:${context.ip ?? "unknown"}`;
  const failures = (await windowCounts(db, [address], windowStart)).get(address) ?? 0;
  if (failures >= config.loginFailuresPerIp) {
    log.warn("auth.sign_in_blocked", { ip: context.ip, byAccount: false, method: "passkey" });
    return { ok: false, reason: "rate_limited", retryAfterSeconds: Math.max(1, Math.ceil((windowStart.getTime() + LOGIN_WINDOW_MS - now) / 1000)) };
  }
  const result = await verifyPasskeyAssertion(db, input);
  // Single sign-on as the only way in closes this door too, but for break-glass administrators.
  if (result.ok && (await ssoOnlyNow(db)) && !isBreakGlassAdmin({ email: result.user.email, role: result.user.role, breakGlassEmails: config.breakGlassEmails })) {
    await recordPasskeySignInFailure(db, { userId: result.user.id, reason: "sso_only" }, context);
    return { ok: false, reason: "sso_only" };
  }
  if (result.ok) {
    await recordSignIn(db, result.user.id, context, { method: "passkey", passkey: result.passkey.name });
    return { ok: true, user: result.user, passkeyName: result.passkey.name };
  }
  await db.transaction(async (tx) => {
    if (result.reason !== "suspended") await addToWindow(tx as unknown as Database, address, windowStart, 1);
    await recordPasskeySignInFailure(tx, { userId: result.user?.id ?? null, reason: result.reason }, context);
  });
  return { ok: false, reason: result.reason === "suspended" ? "suspended" : "invalid" };
}
