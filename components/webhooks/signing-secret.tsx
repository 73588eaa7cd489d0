"use client";

import { useEffect } from "react";
import { CopyButton } from "@/components/api-keys/copy-button";
import { Button } from "@/components/ui/button";
import { DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import type { SecretDialogControls } from "@/components/api-keys/secret-dialog";

export const SECRET_CLOSE_WARNING = {
  title: "Close without copying the signing secret?",
  description: "You won't see this secret again. Without it you cannot check that deliveries come from Keysmith; you would have to make a new one.",
};

/** A new signing secret, shown once inside a SecretDialog, with how a receiver uses it. */
export function SigningSecret({ secret, title, controls }: { secret: string; title: string; controls: SecretDialogControls }) {
  const { secretShown } = controls;
  useEffect(() => secretShown(), [secretShown]);
  return (
    <>
      <DialogHeader>
        <DialogTitle>{title}</DialogTitle>
        <DialogDescription>
          Copy the signing secret now: it is shown only once. Your receiver uses it to check each delivery&apos;s webhook-signature header (the Standard
          Webhooks scheme: HMAC-SHA-256 of the webhook-id, webhook-timestamp and body).
        </DialogDescription>
      </DialogHeader>
      <div className="grid gap-2">
        <Label htmlFor="webhook-secret">Signing secret</Label>
        <div className="flex gap-2">
          <Input id="webhook-secret" readOnly value={secret} className="font-mono text-xs" onFocus={(e) => e.currentTarget.select()} />
          <CopyButton text={secret} label="Copy signing secret" onCopied={controls.copied} />
        </div>
      </div>
      <DialogFooter>
        <Button variant="outline" onClick={controls.requestClose}>
          Done
        </Button>
      </DialogFooter>
    </>
  );
}
