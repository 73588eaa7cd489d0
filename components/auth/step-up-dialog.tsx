"use client";

import { useEffect, useRef, useState } from "react";
import { createRoot } from "react-dom/client";
import { confirmIdentityAction, confirmIdentityWithSsoAction, stepUpOptionsAction } from "@/app/(dashboard)/actions";
import { FormField } from "@/components/forms/form-field";
import { SubmitButton } from "@/components/forms/submit-button";
import { useFocusFirstError } from "@/components/forms/use-focus-first-error";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { STEP_UP_MINUTES } from "@/lib/accounts/step-up";
import type { ActionState } from "@/lib/action-state";
import { ACTIONS } from "@/lib/glossary";

/**
 * Opens the "Confirm it's you" dialog over whatever is on the page, in a React root of its own (it
 * shares Radix's layer and focus stacks with the page's dialogs, which are module-wide), and
 * resolves with whether the user confirmed; focus then goes back to `opener`. Loaded only when a
 * change asks for it (step-up.tsx).
 */
export function askToConfirmIdentity(opener: Element | null): Promise<boolean> {
  const host = document.createElement("div");
  document.body.appendChild(host);
  const root = createRoot(host);
  return new Promise<boolean>((resolve) => {
    const done = (confirmed: boolean) => {
      root.unmount();
      host.remove();
      returnFocus(opener);
      resolve(confirmed);
    };
    root.render(<StepUpDialog onDone={done} />);
  });
}

/**
 * Focus goes back to the control that asked. It is usually a submit button disabled while its change
 * runs (the dialog closes before the change is sent again), so this waits until it is enabled.
 */
function returnFocus(opener: Element | null) {
  if (!(opener instanceof HTMLElement)) return;
  const until = performance.now() + 10_000;
  const tick = () => {
    if (!opener.isConnected) return;
    // Focus parked on the page or on a frame around the opener (a dialog that keeps focus inside
    // itself moves it to its frame when the focused element goes away) goes on to the opener;
    // focus that something else took on purpose stays where it is.
    const active = document.activeElement;
    if (active && active !== opener && !active.contains(opener)) return;
    if (!opener.matches(":disabled")) opener.focus();
    else if (performance.now() < until) requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
}

function StepUpDialog({ onDone }: { onDone: (confirmed: boolean) => void }) {
  return (
    <Dialog open onOpenChange={(open) => !open && onDone(false)}>
      {/* Focus goes back to the control that asked, once it is usable again (returnFocus above). */}
      <DialogContent onCloseAutoFocus={(event) => event.preventDefault()}>
        <ConfirmIdentityForm onConfirmed={() => onDone(true)} onCancel={() => onDone(false)} />
      </DialogContent>
    </Dialog>
  );
}

function ConfirmIdentityForm({ onConfirmed, onCancel }: { onConfirmed: () => void; onCancel: () => void }) {
  // Not useActionState: the change that asked is itself an action still in flight, and React
  // commits the states of overlapping actions together, so a nested action's state would wait for
  // the outer one, which waits for this answer. A plain call and plain state avoid that deadlock.
  const [state, setState] = useState<ActionState>({ ok: false });
  const [pending, setPending] = useState(false);
  const [sso, setSso] = useState<string | null>(null);
  useEffect(() => {
    void stepUpOptionsAction()
      .then((options) => setSso(options.data?.sso ?? null))
      .catch(() => setSso(null));
  }, []);
  async function confirmWithSso() {
    setPending(true);
    // On success the browser leaves for the provider and comes back to this page, signed in afresh.
    const result = await confirmIdentityWithSsoAction(`${window.location.pathname}${window.location.search}`).catch(() => null);
    if (result?.ok && result.data) {
      window.location.assign(result.data.url);
      return;
    }
    setPending(false);
    setState({ ok: false, message: result?.message ?? "Single sign-on could not be started. Check your connection and try again." });
  }
  const form = useRef<HTMLFormElement>(null);
  useFocusFirstError(form, state.fieldErrors);
  async function submit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (pending) return;
    setPending(true);
    try {
      const result = await confirmIdentityAction({ ok: false }, new FormData(event.currentTarget));
      if (result.ok) onConfirmed();
      else setState(result);
    } catch {
      setState({ ok: false, message: "Your password could not be checked. Check your connection and try again." });
    } finally {
      setPending(false);
    }
  }
  const message = !state.ok && state.message && !state.fieldErrors ? state.message : undefined;
  return (
    <form ref={form} onSubmit={submit} noValidate className="grid gap-4">
      <DialogHeader>
        <DialogTitle>{ACTIONS.confirmIdentity}</DialogTitle>
        <DialogDescription>
          This change needs a recent sign-in. Enter your password to continue; you will not be asked again for {STEP_UP_MINUTES} minutes.
        </DialogDescription>
      </DialogHeader>
      {message && (
        <p role="alert" className="text-sm text-destructive">
          {message}
        </p>
      )}
      <FormField id="step-up-password" name="password" type="password" label="Password" autoComplete="current-password" required autoFocus error={state.fieldErrors?.password} />
      {sso && (
        <div className="grid gap-2 text-sm text-muted-foreground">
          <p>Signed in with {sso}? Confirm there instead: you come back to this page and make the change again.</p>
          <Button type="button" variant="outline" onClick={confirmWithSso} disabled={pending} className="justify-self-start">
            Continue with {sso}
          </Button>
        </div>
      )}
      <DialogFooter>
        <Button type="button" variant="outline" onClick={onCancel} disabled={pending}>
          Cancel
        </Button>
        <SubmitButton pending={pending} pendingLabel="Checking…">
          Continue
        </SubmitButton>
      </DialogFooter>
    </form>
  );
}
