"use client";

import { useRef, useTransition } from "react";
import { toast } from "sonner";
import { ConfirmButton } from "@/components/forms/confirm-button";
import { Button } from "@/components/ui/button";
import type { ActionState } from "@/lib/action-state";

type Answer = (input: { reviewId: string; keyId: string; decision: string }) => Promise<ActionState>;

/** One key's two answers: "Still needed" at once, "Revoke" after a confirmation. */
export function ReviewAnswers({ reviewId, keyId, keyName, answer }: { reviewId: string; keyId: string; keyName: string; answer: Answer }) {
  const [pending, start] = useTransition();
  const group = useRef<HTMLDivElement>(null);
  /** The answered key leaves the list: focus goes to the next key's answers (else the previous, else the page's heading). */
  function focusNext(row: Element | null | undefined) {
    const target = row?.isConnected ? row.querySelector<HTMLElement>("button") : document.getElementById("reviews-heading");
    target?.focus();
  }
  return (
    <div ref={group} role="group" aria-label={`Answer for ${keyName}`} className="flex flex-wrap gap-2">
      <Button
        size="sm"
        variant="outline"
        disabled={pending}
        aria-label={`Still needed: ${keyName}`}
        onClick={() =>
          start(async () => {
            const item = group.current?.closest("li");
            const neighbour = item?.nextElementSibling ?? item?.previousElementSibling;
            const result = await answer({ reviewId, keyId, decision: "confirmed" });
            if (result.ok) {
              toast.success(result.message ?? "Confirmed.");
              requestAnimationFrame(() => focusNext(neighbour));
            } else toast.error(result.message ?? "The answer was not saved. Try again.");
          })
        }
      >
        {pending ? "Saving…" : "Still needed"}
      </Button>
      <ConfirmButton
        label="Revoke"
        name={`Revoke: ${keyName}`}
        title={`Revoke “${keyName}”?`}
        description="It stops working at once, for everything that uses it. This cannot be undone: a key that is needed again must be created anew."
        confirmLabel="Revoke key"
        pendingLabel="Revoking…"
        destructive
        run={() => answer({ reviewId, keyId, decision: "revoked" })}
        failure="The key was not revoked. Try again."
      />
    </div>
  );
}
