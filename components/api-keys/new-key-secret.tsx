"use client";

import { TriangleAlertIcon } from "lucide-react";
import { Button } from "@/components/ui/button";
import { DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { CopyButton } from "./copy-button";
import type { SecretDialogControls } from "./secret-dialog";

/** The one and only display of a new (or rotated) key's secret. */
export function NewKeyView({
  title,
  description,
  secret,
  origin,
  controls,
  note,
}: {
  title: string;
  description: string;
  secret: string;
  origin: string;
  controls: SecretDialogControls;
  note?: React.ReactNode;
}) {
  const curl = `curl ${origin}/api/v1/me \\\n  -H "Authorization: Bearer ${secret}"`;
  return (
    <>
      <DialogHeader>
        <DialogTitle>{title}</DialogTitle>
        <DialogDescription>{description}</DialogDescription>
      </DialogHeader>
      <div className="grid min-w-0 gap-4">
        <div role="note" className="flex gap-2 rounded-md border border-warning/60 bg-warning/15 p-3 text-sm">
          <TriangleAlertIcon className="mt-0.5 size-4 shrink-0" aria-hidden />
          <p>
            Copy this key now and store it somewhere safe, such as a secret manager.{" "}
            <strong>It will not be shown again.</strong>
          </p>
        </div>
        {note}
        <div className="grid gap-2">
          <Label htmlFor="new-key-secret">Your new API key</Label>
          <div className="flex gap-2">
            <Input
              id="new-key-secret"
              readOnly
              value={secret}
              spellCheck={false}
              autoComplete="off"
              onFocus={(e) => e.currentTarget.select()}
              className="min-w-0 flex-1 font-mono text-xs sm:text-sm"
            />
            <CopyButton text={secret} label="Copy API key" onCopied={controls.copied} />
          </div>
        </div>
        <div className="grid gap-2">
          <div className="flex items-center justify-between gap-2">
            <span id="curl-label" className="text-sm font-medium">
              Try it
            </span>
            <CopyButton text={curl.replace(" \\\n  ", " ")} label="Copy curl example" size="sm" onCopied={controls.copied} />
          </div>
          <pre aria-labelledby="curl-label" className="overflow-x-auto rounded-md bg-muted p-3 font-mono text-xs">
            {curl}
          </pre>
        </div>
      </div>
      <DialogFooter>
        <Button type="button" onClick={controls.requestClose}>
          Done
        </Button>
      </DialogFooter>
    </>
  );
}
