"use client";

import { withStepUp } from "@/components/auth/step-up";
import { useState, useTransition } from "react";
import { toast } from "sonner";
import type { CreatedKey } from "@/app/(dashboard)/settings/api-keys/actions";
import { useKeyServerActions } from "./key-server-actions";
import { SubmitButton } from "@/components/forms/submit-button";
import { DialogDescription, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { Label } from "@/components/ui/label";
import { RadioGroup, RadioGroupItem } from "@/components/ui/radio-group";
import { formatDateTime, formatExact } from "@/lib/format";
import { DEFAULT_GRACE, GRACE_CHOICES, GRACE_PERIODS, type GracePeriod } from "@/lib/keys/grace";
import { runtimeTimeZone } from "@/lib/time-zone";
import type { KeyRow } from "./key-row";
import { NewKeyView } from "./new-key-secret";
import { SecretDialog, type SecretDialogControls } from "./secret-dialog";

export function RotateKeyDialog({
  origin,
  target,
  onClose,
  onCloseAutoFocus,
}: {
  origin: string;
  target: KeyRow | null;
  onClose: () => void;
  onCloseAutoFocus?: (event: Event) => void;
}) {
  return (
    <SecretDialog open={target !== null} onClose={onClose} onCloseAutoFocus={onCloseAutoFocus} className="sm:max-w-xl">
      {(controls) => target && <RotateBody origin={origin} target={target} controls={controls} />}
    </SecretDialog>
  );
}

function RotateBody({ origin, target, controls }: { origin: string; target: KeyRow; controls: SecretDialogControls }) {
  const server = useKeyServerActions();
  const [grace, setGrace] = useState<GracePeriod>(DEFAULT_GRACE);
  const [pending, startTransition] = useTransition();
  const [rotated, setRotated] = useState<CreatedKey | null>(null);

  if (rotated) {
    const until = rotated.previousSecretValidUntil ? new Date(rotated.previousSecretValidUntil) : null;
    // Decided by the choice, not by comparing with this browser's clock (which may differ from the server's).
    const ended = grace === "none" || !until;
    return (
      <NewKeyView
        title="Save the new secret"
        description={`“${rotated.name}” has a new secret. Its name, access and history are unchanged.`}
        secret={rotated.secret}
        origin={origin}
        controls={controls}
        note={
          <p className="rounded-md border p-3 text-sm">
            {ended ? (
              "The previous secret stopped working just now."
            ) : (
              <>
                The previous secret keeps working until{" "}
                {/* The dialog renders only in the browser: its own zone is the viewer's. */}
                <time dateTime={until!.toISOString()} title={formatExact(until!, runtimeTimeZone())}>
                  {formatDateTime(until!, runtimeTimeZone())}
                </time>
                . Update your apps before then.
              </>
            )}
          </p>
        }
      />
    );
  }

  return (
    <form
      className="grid min-w-0 gap-5"
      onSubmit={(e) => {
        e.preventDefault();
        startTransition(async () => {
          const result = await withStepUp(() => server.rotate(target.id, grace));
          if (result.ok && result.data) {
            setRotated(result.data);
            controls.secretShown();
            toast.success(`“${result.data.name}” rotated`);
          } else {
            toast.error(result.message ?? "The key could not be rotated. Try again.");
          }
        });
      }}
    >
      <DialogHeader>
        <DialogTitle>Rotate “{target.name}”</DialogTitle>
        <DialogDescription>
          A new secret replaces <code className="font-mono">{target.hint}</code>. The key keeps its name, access and usage
          history. The new secret is shown once.
        </DialogDescription>
      </DialogHeader>
      <fieldset className="grid gap-2">
        <legend className="mb-2 text-sm font-medium">When should the current secret stop working?</legend>
        <RadioGroup value={grace} onValueChange={(v) => setGrace(v as GracePeriod)} className="grid gap-2 sm:grid-cols-2">
          {GRACE_CHOICES.map((g) => (
            <div key={g} className="flex items-center gap-2 rounded-md border p-3">
              <RadioGroupItem id={`grace-${g}`} value={g} />
              <Label htmlFor={`grace-${g}`} className="font-normal">
                {GRACE_PERIODS[g].label}
              </Label>
            </div>
          ))}
        </RadioGroup>
        <p className="text-xs text-muted-foreground">
          Both secrets work during the grace period, never past the key&apos;s own expiry, but only the new one can
          rotate the key. Choose Immediately if the current secret may have leaked: it also ends any older secret
          still in a grace period.
        </p>
      </fieldset>
      <div className="flex justify-end">
        <SubmitButton pending={pending} pendingLabel="Rotating…">
          Rotate key
        </SubmitButton>
      </div>
    </form>
  );
}
