import "server-only";
import { headers } from "next/headers";
import { unstable_rethrow } from "next/navigation";
import type { z } from "zod";
import { getDb, type Database } from "@/db";
import type { SessionUserWithFactor } from "@/db/queries/users";
import type { ActionState } from "./action-state";
import type { RequestContext } from "./audit-events";
import { clockOffsetMs } from "./clock";
import type { Actor } from "./commands/actor";
import { AppError, isDatabaseUnavailable } from "./errors";
import { errorFields, log } from "./log";
import { contextFromHeaders } from "./request-context";
import { currentSession, needsSecondFactorSetup } from "./session";
import { fieldErrorsOf } from "./validation/common";

/**
 * `clockOffsetMs` is the test clock's shift (lib/clock.ts): always 0 in production. `actor` is the
 * same user as the commands of lib/commands take it.
 */
export type ActionContext = { user: SessionUserWithFactor; db: Database; context: RequestContext; clockOffsetMs: number; actor: Actor };

/**
 * Every server action is a public endpoint, so every one goes through here: session (read fresh
 * from the database) -> the action's own validation and owner-scoped work -> typed state.
 * It fails closed: no user, no work. Errors become a sentence for the user; causes are logged.
 * A user the second-factor policy covers who has none may only set one up (`allowSecondFactorSetup`,
 * the set-up actions alone): every other action is refused, whatever a page or proxy.ts did.
 */
export async function withUser<T>(
  name: string,
  run: (ctx: ActionContext) => Promise<ActionState<T>>,
  options: { allowSecondFactorSetup?: boolean } = {},
): Promise<ActionState<T>> {
  try {
    const session = await currentSession();
    if (!session) throw new AppError("session_expired");
    const { user, authenticatedAt } = session;
    if (!options.allowSecondFactorSetup && needsSecondFactorSetup(user)) throw new AppError("second_factor_required");
    const db = await getDb();
    const requestHeaders = await headers();
    const context = contextFromHeaders(requestHeaders);
    const offset = clockOffsetMs(requestHeaders);
    return await run({ user, db, context, clockOffsetMs: offset, actor: { userId: user.id, context, clockOffsetMs: offset, authenticatedAt } });
  } catch (error) {
    unstable_rethrow(error);
    return toActionState(name, error);
  }
}

/** withUser for admin-only actions: a member gets the same "not found" as for a missing thing. */
export async function withAdmin<T>(name: string, run: (ctx: ActionContext) => Promise<ActionState<T>>): Promise<ActionState<T>> {
  return withUser(name, async (ctx) => {
    if (ctx.user.role !== "admin") throw new AppError("not_found");
    return run(ctx);
  });
}

// The actions' input parser is the commands' (lib/validation/common.ts).
export { parseInput } from "./validation/common";

export function validationError(error: z.ZodError): AppError {
  return new AppError("validation_failed", { fieldErrors: fieldErrorsOf(error) });
}

export function toActionState<T>(name: string, error: unknown): ActionState<T> {
  if (error instanceof AppError) {
    if (error.status >= 500) log.error("action.failed", { action: name, code: error.code });
    return { ok: false, message: error.message, fieldErrors: error.fieldErrors, ...(error.code === "reauthentication_required" ? { code: error.code } : {}) };
  }
  if (isDatabaseUnavailable(error)) {
    log.error("action.db_unavailable", { action: name, ...errorFields(error) });
    return { ok: false, message: new AppError("service_unavailable").message };
  }
  log.error("action.failed", { action: name, ...errorFields(error) });
  return { ok: false, message: new AppError("internal_error").message };
}
