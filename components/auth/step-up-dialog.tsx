"use client";

import { createRoot } from "react-dom/client";
import { Dialog, DialogContent } from "@/components/ui/dialog";
import { ConfirmIdentityForm } from "./confirm-identity-form";

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
