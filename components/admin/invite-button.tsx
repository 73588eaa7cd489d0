"use client";

import { useActionState, useEffect, useRef, useState } from "react";
import { toast } from "sonner";
import { createInvitationAction, type InvitationState } from "@/app/(dashboard)/admin/actions";
import { CopyButton } from "@/components/api-keys/copy-button";
import { FormField } from "@/components/forms/form-field";
import { SubmitButton } from "@/components/forms/submit-button";
import { useFocusFirstError } from "@/components/forms/use-focus-first-error";
import { Button } from "@/components/ui/button";
import { Dialog, DialogClose, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { NativeSelect } from "@/components/ui/native-select";
import { FormAlert } from "@/components/forms/form-alert";

/**
 * Invites someone by email with a role. With mail set up the link goes by mail; without, it is
 * shown here once (in this dialog's state only, gone when it closes: the database keeps its digest).
 * The dialog is a Trigger's, so focus returns to the Invite button when it closes.
 */
export function InviteButton({ byEmail }: { byEmail: boolean }) {
  const [open, setOpen] = useState(false);
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button>Invite someone</Button>
      </DialogTrigger>
      <DialogContent>
        {/* Mounted while open only: each opening starts with an empty form and no link. */}
        {open && <InviteForm byEmail={byEmail} />}
      </DialogContent>
    </Dialog>
  );
}

function InviteForm({ byEmail }: { byEmail: boolean }) {
  const [state, action, pending] = useActionState<InvitationState, FormData>(createInvitationAction, { ok: false });
  const form = useRef<HTMLFormElement>(null);
  useFocusFirstError(form, state.fieldErrors);
  const made = state.ok ? state.data : undefined;
  useEffect(() => {
    if (made?.mailed) toast.success(`Invitation mailed to ${made.email}.`);
  }, [made]);

  if (made?.link) {
    return (
      <>
        <DialogHeader>
          <DialogTitle className="[overflow-wrap:anywhere]">Invitation link for {made.email}</DialogTitle>
          <DialogDescription>
            Copy it now and send it to them privately: it is shown only once. It works once, for 7 days, to create their account
            {made.role === "admin" ? " as an administrator" : ""}.
          </DialogDescription>
        </DialogHeader>
        <div className="grid gap-2">
          <Label htmlFor="invitation-link">Invitation link</Label>
          <div className="flex gap-2">
            <Input id="invitation-link" readOnly value={made.link} className="font-mono text-xs" onFocus={(e) => e.currentTarget.select()} />
            <CopyButton text={made.link} label="Copy invitation link" />
          </div>
        </div>
        <DialogFooter>
          <DialogClose asChild>
            <Button variant="outline">Done</Button>
          </DialogClose>
        </DialogFooter>
      </>
    );
  }
  if (made?.mailed) {
    return (
      <>
        <DialogHeader>
          <DialogTitle className="[overflow-wrap:anywhere]">Invitation mailed to {made.email}</DialogTitle>
          <DialogDescription>The link in it works once, for 7 days. It is listed under Pending invitations until it is accepted.</DialogDescription>
        </DialogHeader>
        <DialogFooter>
          <DialogClose asChild>
            <Button variant="outline">Done</Button>
          </DialogClose>
        </DialogFooter>
      </>
    );
  }
  return (
    <form ref={form} action={action} noValidate className="grid gap-4">
      <DialogHeader>
        <DialogTitle>Invite someone</DialogTitle>
        <DialogDescription>
          {byEmail
            ? "They get a mail with a link to create their account, whoever may sign up here. It works once, for 7 days."
            : "This Keysmith does not send mail: you get a link to pass on. It works once, for 7 days, whoever may sign up here."}{" "}
          A newer invitation to the same address replaces the older one.
        </DialogDescription>
      </DialogHeader>
      {state.message && !state.fieldErrors && !state.ok && (
        <FormAlert>
          {state.message}
        </FormAlert>
      )}
      <FormField id="invite-email" name="email" type="email" label="Email" autoComplete="off" required maxLength={254} defaultValue={state.data?.email} error={state.fieldErrors?.email} />
      <div className="grid gap-2">
        <Label htmlFor="invite-role">Role</Label>
        <NativeSelect id="invite-role" name="role" defaultValue={state.data?.role ?? "member"} aria-describedby="invite-role-hint">
          <option value="member">Member</option>
          <option value="admin">Admin</option>
        </NativeSelect>
        <p id="invite-role-hint" className="text-xs text-muted-foreground">
          Admins see every key and the audit log, and manage users.
        </p>
      </div>
      <DialogFooter>
        <DialogClose asChild>
          <Button variant="outline" type="button" disabled={pending}>
            Cancel
          </Button>
        </DialogClose>
        <SubmitButton pending={pending} pendingLabel="Inviting…">
          {byEmail ? "Send invitation" : "Create link"}
        </SubmitButton>
      </DialogFooter>
    </form>
  );
}
