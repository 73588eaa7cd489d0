// Step-up ("confirm it's you"): sensitive changes made from a dashboard session need an
// authentication newer than STEP_UP_MINUTES. The session remembers when its holder last proved who
// they are (signing in, or confirming their password since); the commands check it. A key acting
// through /api/v1 is not asked: it cannot type a password, and its scopes and lifetime already bound
// what it may hand out (lib/keys/rules.ts).
import { appNow } from "../clock";
import { AppError } from "../errors";
import { MINUTE_MS } from "../time";

export const STEP_UP_MINUTES = 15;

/** Who is asking, as far as step-up cares: a key, or a session and when it last authenticated. */
export type StepUpActor = { key?: unknown; authenticatedAt?: Date; clockOffsetMs?: number };

/** Whether this actor must confirm who they are before a sensitive change at `now`. */
export function needsStepUp(actor: StepUpActor, now: Date): boolean {
  if (actor.key) return false;
  // A session actor that does not say when it authenticated is treated as stale: fail closed.
  if (!actor.authenticatedAt) return true;
  return now.getTime() - actor.authenticatedAt.getTime() > STEP_UP_MINUTES * MINUTE_MS;
}

/** Refuses a sensitive change from a stale session, at the actor's "now" (the test clock's shift included). */
export function assertRecentAuthentication(actor: StepUpActor): void {
  if (needsStepUp(actor, appNow(actor.clockOffsetMs))) throw new AppError("reauthentication_required");
}
