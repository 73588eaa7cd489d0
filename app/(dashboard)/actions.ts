"use server";

// Server actions every dashboard page can need: today, confirming who you are before a sensitive
// change (step-up). A thin adapter over lib/commands/accounts.ts confirmIdentity.
import { STEP_UP_MINUTES } from "@/lib/accounts/step-up";
import { parseInput, withUser } from "@/lib/action";
import type { ActionState } from "@/lib/action-state";
import { updateSession } from "@/lib/auth/config";
import { confirmIdentity } from "@/lib/commands/accounts";
import { confirmIdentitySchema } from "@/lib/validation/account.schema";

/**
 * Checks the signed-in user's password and, if right, marks this session as freshly authenticated:
 * the proof goes from the command straight into the session update (it never reaches the browser).
 * Only this browser's session is refreshed; other sessions of the account still have to confirm.
 */
export async function confirmIdentityAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  const password = form.get("password");
  return withUser("confirmIdentity", async ({ db, actor, user }) => {
    const input = parseInput(confirmIdentitySchema, { password: typeof password === "string" ? password : undefined });
    const { proof } = await confirmIdentity(db, actor, input, user.sessionVersion);
    await updateSession({ stepUp: proof } as Parameters<typeof updateSession>[0]);
    return { ok: true, message: `Confirmed: you will not be asked again for ${STEP_UP_MINUTES} minutes.` };
  });
}
