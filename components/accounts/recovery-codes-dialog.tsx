"use client";

import { DownloadIcon } from "lucide-react";
import { useEffect } from "react";
import { CopyButton } from "@/components/api-keys/copy-button";
import { SecretDialog } from "@/components/api-keys/secret-dialog";
import { Button } from "@/components/ui/button";
import { DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";

const CLOSE_WARNING = {
  title: "Close without saving the recovery codes?",
  description: "You won't see these codes again. Without them, losing your phone means asking an administrator to reset your second factor.",
};

/**
 * The recovery codes, shown once (the one dialog for secrets shown once): copy or download them;
 * closing forgets them, and closing before saving asks first.
 */
export function RecoveryCodesDialog({ codes, onClose }: { codes: string[] | null; onClose: () => void }) {
  const text = (codes ?? []).join("\n");
  return (
    <SecretDialog open={!!codes} onClose={onClose} closeWarning={CLOSE_WARNING}>
      {({ secretShown, copied, requestClose }) => (
        <>
          <DialogHeader>
            <DialogTitle>Save your recovery codes</DialogTitle>
            <DialogDescription>
              Each code signs you in once if you lose your phone. Keep them somewhere safe, like a password manager. You won&apos;t see them again.
            </DialogDescription>
          </DialogHeader>
          <Shown onShown={secretShown} />
          <ul aria-label="Recovery codes" className="grid grid-cols-2 gap-2 rounded-md border bg-muted/40 p-3 font-mono text-sm">
            {(codes ?? []).map((code) => (
              <li key={code}>{code}</li>
            ))}
          </ul>
          <DialogFooter className="flex-wrap gap-2">
            <CopyButton text={text} label="Copy recovery codes" onCopied={copied} />
            <Button
              type="button"
              variant="outline"
              onClick={() => {
                const url = URL.createObjectURL(new Blob([`Keysmith recovery codes (each works once)\n\n${text}\n`], { type: "text/plain" }));
                const a = document.createElement("a");
                a.href = url;
                a.download = "keysmith-recovery-codes.txt";
                a.click();
                URL.revokeObjectURL(url);
                copied();
              }}
            >
              <DownloadIcon aria-hidden />
              Download
            </Button>
            <Button type="button" onClick={requestClose}>
              Done
            </Button>
          </DialogFooter>
        </>
      )}
    </SecretDialog>
  );
}

/** Tells the dialog once that the codes are on screen (from then on, closing asks first). */
function Shown({ onShown }: { onShown: () => void }) {
  useEffect(() => onShown(), [onShown]);
  return null;
}
