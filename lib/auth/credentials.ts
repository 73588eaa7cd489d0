import "server-only";
import type { Database } from "@/db/client";
import { recordAudit, recordSignIn, recordSignInFailure } from "@/db/queries/audit";
import { addToWindow, windowCounts } from "@/db/queries/rate-limits";
import { hasSecondFactor } from "@/db/queries/second-factor";
import { findUserByEmail } from "@/db/queries/users";
import { isBreakGlassAdmin, passwordAllowed } from "../accounts/sso-policy";
import { ssoOnlyNow } from "../commands/sso";
import type { User } from "@/db/schema";
import type { RequestContext } from "../audit-events";
import { config } from "../config";
import { log } from "../log";
import { dummyPasswordHash, verifyPassword } from "../password";

export const LOGIN_WINDOW_MS = 15 * 60_000;

export type CredentialsResult =
  | { ok: true; user: User; secondFactor: boolean }
  | { ok: false; reason: "invalid" | "suspended" | "password_off" }
  | { ok: false; reason: "rate_limited"; retryAfterSeconds: number };

/**
 * Checks an email and password, for every way in (the login form and next-auth's own callback
 * route both end here). Guessing is bounded per account and per address, counted in the shared
 * database so every server process agrees. Unknown emails are counted, hashed against a dummy
 * and audited exactly like wrong passwords: same work, same time, same answer, so neither the
 * message nor the timing says whether an account exists. Once a limit is reached, the password is
 * not even checked until the window ends.
 */
export async function checkCredentials(
  db: Database,
  input: { email: string; password: string },
  context: RequestContext,
  now = Date.now(),
): Promise<CredentialsResult> {
  const windowStart = new Date(Math.floor(now / LOGIN_WINDOW_MS) * LOGIN_WINDOW_MS);
  const retryAfterSeconds = Math.max(1, Math.ceil((windowStart.getTime() + LOGIN_WINDOW_MS - now) / 1000));
  const account = `login:account:${input.email}`;
  const address = `login:address:${context.ip ?? "unknown"}`;
  const limits = { perAccount: config.loginFailuresPerAccount, perAddress: config.loginFailuresPerIp };

  // Single sign-on only: no password is even checked, except a break-glass admin's (README).
  const ssoOnly = await ssoOnlyNow(db);
  if (!passwordAllowed({ ssoOnly, email: input.email, breakGlassEmails: config.breakGlassEmails })) {
    await recordSignInFailure(db, { email: input.email, userId: null, reason: "sso_only" }, context);
    return { ok: false, reason: "password_off" };
  }

  const counts = await windowCounts(db, [account, address], windowStart);
  const failures = (bucket: string) => counts.get(bucket) ?? 0;
  if (failures(account) >= limits.perAccount || failures(address) >= limits.perAddress) {
    log.warn("auth.sign_in_blocked", { ip: context.ip, byAccount: failures(account) >= limits.perAccount });
    return { ok: false, reason: "rate_limited", retryAfterSeconds };
  }

  const user = await findUserByEmail(db, input.email);
  const valid = await verifyPassword(user?.passwordHash ?? (await dummyPasswordHash()), input.password);
  if (!user || !valid || user.deletedAt) {
    await db.transaction(async (tx) => {
      await addToWindow(tx as unknown as Database, account, windowStart, 1);
      await addToWindow(tx as unknown as Database, address, windowStart, 1);
      // No actor: nobody proved who they are. The attempted email is kept (what an admin
      // investigating a guessing attack needs), and the account as target when there is one.
      await recordSignInFailure(tx, { email: input.email, userId: user?.id ?? null }, context);
    });
    return { ok: false, reason: "invalid" };
  }
  if (user.suspendedAt) {
    // Said only to someone who gave the right password: it reveals nothing to a guesser, and
    // tells the account's owner why they cannot get in and whom to ask.
    await recordSignInFailure(db, { email: input.email, userId: user.id, reason: "suspended" }, context);
    return { ok: false, reason: "suspended" };
  }
  if (ssoOnly) {
    // A listed address whose account is not an admin gets no exception.
    if (!isBreakGlassAdmin({ email: user.email, role: user.role, breakGlassEmails: config.breakGlassEmails })) {
      await recordSignInFailure(db, { email: input.email, userId: user.id, reason: "sso_only" }, context);
      return { ok: false, reason: "password_off" };
    }
    // Loud on purpose: every break-glass sign-in is an event an admin should see and explain.
    log.warn("auth.break_glass_sign_in", { userId: user.id, ip: context.ip });
    await recordAudit(db, { actorId: user.id, action: "user.break_glass_sign_in", targetType: "user", targetId: user.id, context });
    if (await hasSecondFactor(db, user.id)) return { ok: true, user, secondFactor: true };
    await recordSignIn(db, user.id, context, { method: "password", breakGlass: true });
    return { ok: true, user, secondFactor: false };
  }
  // With a second factor the sign-in is not done yet: it is audited when the code is accepted.
  if (await hasSecondFactor(db, user.id)) return { ok: true, user, secondFactor: true };
  await recordSignIn(db, user.id, context);
  return { ok: true, user, secondFactor: false };
}
