"use client";

import type { ActionState } from "@/lib/action-state";

/**
 * Runs a server action; if the server answers that the user must confirm who they are first (a
 * sensitive change from a session whose last authentication is older than STEP_UP_MINUTES), asks
 * in the "Confirm it's you" dialog (a passkey, an authenticator code or the password), then runs it again, so nothing the user typed
 * is lost. The server decides every time; this only saves a round of retyping.
 *
 * The dialog's code is loaded, and the dialog mounted in a React root of its own, only when a change
 * asks for it: most visits never see it, so it costs the pages' first load nothing.
 */
export async function withStepUp<T>(run: () => Promise<ActionState<T>>): Promise<ActionState<T>> {
  // The control that asked, taken now: by the time the server answers it is usually disabled, and a
  // disabled button loses focus.
  const opener = typeof document === "undefined" ? null : document.activeElement;
  const first = await run();
  if (first.ok || first.code !== "reauthentication_required") return first;
  const { askToConfirmIdentity } = await import("./step-up-dialog");
  return (await askToConfirmIdentity(opener)) ? run() : first;
}
