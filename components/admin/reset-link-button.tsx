"use client";

import { withStepUp } from "@/components/auth/step-up";
import { Loader2Icon } from "lucide-react";
import { useState, useTransition } from "react";
import { toast } from "sonner";
import { createResetLinkAction } from "@/app/(dashboard)/admin/actions";
import { CopyButton } from "@/components/api-keys/copy-button";
import {
  AlertDialog,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogFooter,
  AlertDialogHeader,
  AlertDialogTitle,
  AlertDialogTrigger,
} from "@/components/ui/alert-dialog";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";

/**
 * Makes a one-time password reset link for a user, after a confirmation, and shows it once: it is
 * in this dialog's state only, gone when the dialog closes (the database keeps its digest).
 */
export function ResetLinkButton({ userId, email }: { userId: string; email: string }) {
  const [open, setOpen] = useState(false);
  const [link, setLink] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  function close(next: boolean) {
    if (pending) return;
    setOpen(next);
    if (!next) setLink(null);
  }
  function create() {
    startTransition(async () => {
      const result = await withStepUp(() => createResetLinkAction({ userId }));
      if (result.ok && result.data) setLink(result.data.link);
      else toast.error(result.message ?? "The link could not be made. Try again.");
    });
  }
  return (
    <>
      <AlertDialog open={open} onOpenChange={close}>
        {/* A Trigger, so Radix returns focus to this button when the dialog closes. */}
        <AlertDialogTrigger asChild>
          <Button variant="outline" size="sm" aria-label={`Reset link: ${email}`}>
            Reset link
          </Button>
        </AlertDialogTrigger>
        <AlertDialogContent>
          <AlertDialogHeader>
            <AlertDialogTitle className="[overflow-wrap:anywhere]">{link ? `Reset link for ${email}` : `Make a password reset link for ${email}?`}</AlertDialogTitle>
            <AlertDialogDescription>
              {link
                ? "Copy it now and give it to them privately: it is shown only once. It works once, for an hour; setting a new password signs them out everywhere."
                : "Anyone with the link can choose their password for the next hour, so send it only to them. Links made earlier for this account stop working."}
            </AlertDialogDescription>
          </AlertDialogHeader>
          {link && (
            <div className="grid gap-2">
              <Label htmlFor="reset-link">Reset link</Label>
              <div className="flex gap-2">
                <Input id="reset-link" readOnly value={link} className="font-mono text-xs" onFocus={(e) => e.currentTarget.select()} />
                <CopyButton text={link} label="Copy reset link" />
              </div>
            </div>
          )}
          <AlertDialogFooter>
            {link ? (
              <AlertDialogCancel>Done</AlertDialogCancel>
            ) : (
              <>
                <AlertDialogCancel disabled={pending}>Cancel</AlertDialogCancel>
                <Button onClick={create} disabled={pending}>
                  {pending && <Loader2Icon className="animate-spin" aria-hidden />}
                  {pending ? "Making the link…" : "Make link"}
                </Button>
              </>
            )}
          </AlertDialogFooter>
        </AlertDialogContent>
      </AlertDialog>
    </>
  );
}
