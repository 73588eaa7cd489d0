"use client";

import { withStepUp } from "@/components/auth/step-up";
import { Loader2Icon } from "lucide-react";
import { useState, useTransition } from "react";
import { toast } from "sonner";
import { setUserRoleAction } from "@/app/(dashboard)/admin/actions";
import {
  AlertDialog,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogFooter,
  AlertDialogHeader,
  AlertDialogTitle,
} from "@/components/ui/alert-dialog";
import { Button } from "@/components/ui/button";

/** Changes a user's role after a confirmation that says what the change gives or takes away. */
export function RoleButton({ userId, email, role }: { userId: string; email: string; role: "admin" | "member" }) {
  const [open, setOpen] = useState(false);
  const [pending, startTransition] = useTransition();
  const next = role === "admin" ? "member" : "admin";
  const label = next === "admin" ? "Make admin" : "Make member";
  function confirm() {
    startTransition(async () => {
      const result = await withStepUp(() => setUserRoleAction({ userId, role: next }));
      if (result.ok) {
        toast.success(result.message);
        setOpen(false);
      } else toast.error(result.message ?? "The role could not be changed. Try again.");
    });
  }
  return (
    <>
      {/* Not disabled while saving (the dialog is modal): a disabled button could not take focus back. */}
      <Button variant="outline" size="sm" aria-label={`${label}: ${email}`} onClick={() => setOpen(true)}>
        {label}
      </Button>
      <AlertDialog open={open} onOpenChange={(value) => !pending && setOpen(value)}>
        <AlertDialogContent>
          <AlertDialogHeader>
            <AlertDialogTitle className="[overflow-wrap:anywhere]">
              {next === "admin" ? `Make ${email} an administrator?` : `Make ${email} a member?`}
            </AlertDialogTitle>
            <AlertDialogDescription>
              {next === "admin"
                ? "Administrators see every key and the audit log, revoke anyone's keys, sign people out and change roles. It applies on their next request."
                : "They lose the admin pages on their next request. Their own keys keep working."}
            </AlertDialogDescription>
          </AlertDialogHeader>
          <AlertDialogFooter>
            <AlertDialogCancel disabled={pending}>Cancel</AlertDialogCancel>
            <Button variant={next === "admin" ? "default" : "destructive"} onClick={confirm} disabled={pending}>
              {pending && <Loader2Icon className="animate-spin" aria-hidden />}
              {pending ? "Saving…" : label}
            </Button>
          </AlertDialogFooter>
        </AlertDialogContent>
      </AlertDialog>
    </>
  );
}
