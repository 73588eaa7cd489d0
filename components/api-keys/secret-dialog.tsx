"use client";

import { useEffect, useState } from "react";
import {
  AlertDialog,
  AlertDialogAction,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogFooter,
  AlertDialogHeader,
  AlertDialogTitle,
} from "@/components/ui/alert-dialog";
import { Dialog, DialogContent } from "@/components/ui/dialog";

export type SecretDialogControls = {
  /** Call once the secret is on screen: from then on, closing asks first until it is copied. */
  secretShown: () => void;
  copied: () => void;
  requestClose: () => void;
};

/**
 * The one dialog that shows a secret, for creation and rotation alike. Its body lives inside
 * DialogContent, which unmounts on close: closing is what forgets the secret. While a secret is
 * shown and not yet copied, closing (Escape, the X, Done) asks for confirmation and leaving the
 * page triggers the browser's "leave site?" prompt.
 */
export function SecretDialog({
  open,
  onClose,
  className,
  onCloseAutoFocus,
  closeWarning = { title: "Close without copying the key?", description: "You won't see this key again. If you close now, you will need to create or rotate a key again." },
  children,
}: {
  open: boolean;
  onClose: () => void;
  className?: string;
  /** Where focus goes after closing (see useReturnFocus). */
  onCloseAutoFocus?: (event: Event) => void;
  /** What the confirmation says when closing before copying (default: about an API key). */
  closeWarning?: { title: string; description: string };
  children: (controls: SecretDialogControls) => React.ReactNode;
}) {
  const [shown, setShown] = useState(false);
  const [copied, setCopied] = useState(false);
  const [confirming, setConfirming] = useState(false);

  useEffect(() => {
    if (!shown || copied) return;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [shown, copied]);

  function close() {
    setShown(false);
    setCopied(false);
    setConfirming(false);
    onClose();
  }

  function requestClose() {
    if (shown && !copied) setConfirming(true);
    else close();
  }

  return (
    <>
      <Dialog open={open} onOpenChange={(next) => !next && requestClose()}>
        <DialogContent className={className} onCloseAutoFocus={onCloseAutoFocus} onInteractOutside={(e) => shown && e.preventDefault()}>
          {open && children({ secretShown: () => setShown(true), copied: () => setCopied(true), requestClose })}
        </DialogContent>
      </Dialog>
      <AlertDialog open={confirming} onOpenChange={setConfirming}>
        <AlertDialogContent>
          <AlertDialogHeader>
            <AlertDialogTitle>{closeWarning.title}</AlertDialogTitle>
            <AlertDialogDescription>{closeWarning.description}</AlertDialogDescription>
          </AlertDialogHeader>
          <AlertDialogFooter>
            <AlertDialogCancel>Go back and copy</AlertDialogCancel>
            <AlertDialogAction variant="destructive" onClick={close}>
              Close anyway
            </AlertDialogAction>
          </AlertDialogFooter>
        </AlertDialogContent>
      </AlertDialog>
    </>
  );
}
